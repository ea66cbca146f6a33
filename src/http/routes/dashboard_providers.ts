/**
 * @module Providers pages: the catalog (`/providers`) and one provider (`/providers/:id`) with its connections
 * (add, edit, test, enable/disable, delete; keys never sent back), custom models and account strategy override.
 * Writes go through the same operations as /api (manage/*).
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { ACCOUNT_STRATEGIES } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  catalogModel,
  connectionBody,
  type HealthInfo,
  type ProviderInfo,
  providerPageModel,
  type Renderer,
} from "../../dashboard/mod.ts";
import type { ProviderSpec } from "../../providers/mod.ts";
import { listConnections, listProviderModels } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import {
  createConnectionOp,
  deleteConnectionOp,
  mustGetConnection,
  testConnectionOp,
  updateConnectionOp,
} from "../manage/connections.ts";
import { addCustomModelOp, deleteCustomModelOp } from "../manage/models.ts";
import { patchSettingsOp } from "../manage/settings.ts";
import { fieldErrors, type Form, guarded, isHtmx, lines, readForm, show, written } from "./dashboard_base.ts";

function info(p: ProviderSpec): ProviderInfo {
  return {
    id: p.id,
    prefix: p.prefix,
    name: p.name,
    format: p.format,
    custom: p.custom === true,
    defaultBaseUrl: p.defaultBaseUrl,
    models: p.models.length,
  };
}

function healthMap(gw: Gateway): Map<string, HealthInfo> {
  return new Map(gw.routing.health.list().map((h) => [h.connectionId, { ...h, lockouts: h.lockouts.length }]));
}

function connectionForm(form: Form) {
  return {
    name: form.text("name"),
    apiKey: form.text("apiKey"),
    baseUrl: form.text("baseUrl"),
    priority: form.text("priority"),
    models: lines(form.text("models")),
    enabled: form.has("enabled"),
  };
}

export function providerRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function providerOf(c: Context): ProviderSpec {
    const p = gw.state.registry.get(c.req.param("id") ?? "");
    if (!p) throw new GatewayError("not_found", `no provider ${c.req.param("id")}`);
    return p;
  }

  function connectionOf(c: Context, p: ProviderSpec) {
    const row = mustGetConnection(gw, c.req.param("cid") ?? "");
    if (row.provider !== p.id) throw new GatewayError("not_found", `no connection ${row.id} for ${p.id}`);
    return row;
  }

  function page(c: Context<AppEnv>, p: ProviderSpec, extra: Record<string, unknown> = {}, status = 200): Response {
    const model = providerPageModel({
      now: gw.now(),
      provider: info(p),
      builtinModels: p.models.map((m) => m.id),
      connections: listConnections(gw.db),
      health: healthMap(gw),
      customModels: listProviderModels(gw.db, p.id),
      strategy: {
        override: gw.state.settings.routing.providerStrategies[p.id],
        global: gw.state.settings.routing.accountStrategy,
        choices: ACCOUNT_STRATEGIES,
        locked: gw.state.lockedSettings.has("routing.providerStrategies"),
      },
    });
    return show(c, render, {
      page: "provider",
      active: "providers",
      data: { ...model, editing: "", tests: {}, ...extra },
      status,
    });
  }

  app.get(
    "/providers",
    guarded(gw, (c) => {
      const model = catalogModel({
        now: gw.now(),
        providers: gw.state.registry.providers.map(info),
        connections: listConnections(gw.db),
        health: healthMap(gw),
      });
      return show(c, render, { page: "providers", active: "providers", data: { ...model } });
    }),
  );

  app.get("/providers/:id", guarded(gw, (c) => page(c, providerOf(c))));

  app.get(
    "/providers/:id/connections/:cid/edit",
    guarded(gw, (c) => {
      const p = providerOf(c);
      return page(c, p, { editing: connectionOf(c, p).id });
    }),
  );

  app.post(
    "/providers/:id/connections",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const form = await readForm(c);
      try {
        const row = await createConnectionOp(
          gw,
          connectionBody(connectionForm(form), { provider: p.id, editing: false }),
        );
        return written(c, `Connection "${row.name}" added.`, `/providers/${p.id}`, (flash) => page(c, p, { flash }));
      } catch (err) {
        return page(c, p, { errors: fieldErrors(err), values: form.values(["apiKey"]) }, 422);
      }
    }),
  );

  app.post(
    "/providers/:id/connections/:cid",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const row = connectionOf(c, p);
      const form = await readForm(c);
      try {
        const body = connectionBody(connectionForm(form), { editing: true, removeKey: form.has("removeKey") });
        await updateConnectionOp(gw, row.id, body);
        return written(
          c,
          `Connection "${form.text("name")}" saved.`,
          `/providers/${p.id}`,
          (flash) => page(c, p, { flash }),
        );
      } catch (err) {
        const errors = fieldErrors(err);
        return page(c, p, { editing: row.id, errors, values: form.values(["apiKey"]) }, 422);
      }
    }),
  );

  for (const [action, enabled] of [["enable", true], ["disable", false]] as const) {
    app.post(
      `/providers/:id/connections/:cid/${action}`,
      guarded(gw, async (c) => {
        const p = providerOf(c);
        const row = connectionOf(c, p);
        try {
          await updateConnectionOp(gw, row.id, { enabled });
        } catch (err) {
          return page(c, p, { errors: fieldErrors(err) }, 422);
        }
        const flash = `Connection "${row.name}" ${enabled ? "enabled" : "disabled"}.`;
        return written(c, flash, `/providers/${p.id}`, (f) => page(c, p, { flash: f }));
      }),
    );
  }

  app.post(
    "/providers/:id/connections/:cid/delete",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const row = connectionOf(c, p);
      try {
        await deleteConnectionOp(gw, row.id);
      } catch (err) {
        return page(c, p, { errors: fieldErrors(err) }, 422);
      }
      return written(c, `Connection "${row.name}" deleted.`, `/providers/${p.id}`, (flash) => page(c, p, { flash }));
    }),
  );

  app.post(
    "/providers/:id/connections/:cid/test",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const row = connectionOf(c, p);
      const result = await testConnectionOp(gw, row.id);
      const text = result.ok
        ? `OK: HTTP ${result.status} in ${result.latencyMs} ms${
          result.models !== undefined ? `, ${result.models} models listed` : ""
        }`
        : `Failed: HTTP ${result.status} in ${result.latencyMs} ms: ${result.error ?? "no detail"}`;
      if (isHtmx(c)) {
        return c.html(render.partial("connection_test", { ok: result.ok, text }), 200, { "cache-control": "no-store" });
      }
      return page(c, p, { tests: { [row.id]: { ok: result.ok, text } } });
    }),
  );

  app.post(
    "/providers/:id/models",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const form = await readForm(c);
      try {
        const body: Record<string, unknown> = { provider: p.id, modelId: form.text("modelId") };
        if (form.text("modelName")) body.modelName = form.text("modelName");
        const added = await addCustomModelOp(gw, body);
        return written(c, `Model "${added.modelId}" added.`, `/providers/${p.id}`, (flash) => page(c, p, { flash }));
      } catch (err) {
        return page(c, p, { errors: fieldErrors(err), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/providers/:id/models/delete",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const form = await readForm(c);
      try {
        const id = await deleteCustomModelOp(gw, p.id, form.text("modelId"));
        return written(c, `Model "${id}" removed.`, `/providers/${p.id}`, (flash) => page(c, p, { flash }));
      } catch (err) {
        return page(c, p, { errors: fieldErrors(err) }, 422);
      }
    }),
  );

  app.post(
    "/providers/:id/strategy",
    guarded(gw, async (c) => {
      const p = providerOf(c);
      const form = await readForm(c);
      const value = form.text("strategy");
      // providerStrategies is a record: PATCH replaces it whole, so send every provider's entry.
      const next = { ...gw.state.settings.routing.providerStrategies };
      if (value === "") delete next[p.id];
      else next[p.id] = value as typeof next[string];
      try {
        await patchSettingsOp(gw, { routing: { providerStrategies: next } });
      } catch (err) {
        return page(c, p, { errors: fieldErrors(err, () => "strategy") }, 422);
      }
      const flash = value ? `Account strategy for ${p.name}: ${value}.` : `${p.name} follows the global strategy.`;
      return written(c, flash, `/providers/${p.id}`, (f) => page(c, p, { flash: f }));
    }),
  );

  return app;
}
