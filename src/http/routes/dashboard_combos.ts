/**
 * @module Combos & aliases page: combos (create, edit, reorder, strategy and weights, delete), aliases (wildcards),
 * the global fallback chain, and a "what would route where" preview through the real planner (planCandidates).
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { COMBO_STRATEGIES } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  comboField,
  combosModel,
  moveEntry,
  parseEntries,
  type PreviewInput,
  type Renderer,
} from "../../dashboard/mod.ts";
import { planCandidates } from "../../routing/runtime.ts";
import { createRoundRobin } from "../../routing/strategies.ts";
import { listAliases, listCombos } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { patchSettingsOp } from "../manage/settings.ts";
import { deleteAliasOp, deleteComboOp, mustGetCombo, saveAliasOp, saveComboOp } from "../manage/routing_data.ts";
import { fieldErrors, guarded, isHtmx, lines, readForm, show, written } from "./dashboard_base.ts";
import { connectionStatus } from "../../dashboard/providers.ts";

/** The planner's answer for a name, without moving the live round-robin cursors. */
export function previewRoute(gw: Gateway, name: string): PreviewInput {
  const rt = { ...gw.routing, comboCursor: createRoundRobin(), accountCursor: createRoundRobin() };
  try {
    const plan = planCandidates(gw.state, rt, name);
    const now = gw.now();
    return {
      name,
      targets: plan.targets.map((t) => ({ provider: t.provider.id, model: t.model })),
      candidates: plan.candidates.map((c) => {
        const h = gw.routing.health.get(c.connection.id);
        return {
          provider: c.target.provider.id,
          connection: c.connection.name,
          model: c.target.model,
          ...connectionStatus(
            now,
            true,
            h ? { ...h, lockouts: h.lockouts.filter((l) => l.model === c.target.model).length } : undefined,
          ),
        };
      }),
    };
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return { name, error: err.message, targets: [], candidates: [] };
  }
}

export function comboRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function page(c: Context<AppEnv>, extra: Record<string, unknown> = {}, status = 200): Response {
    const model = combosModel({
      combos: listCombos(gw.db),
      aliases: listAliases(gw.db),
      fallbackChain: gw.state.settings.routing.fallbackChain,
      fallbackLocked: gw.state.lockedSettings.has("routing.fallbackChain"),
      strategies: COMBO_STRATEGIES,
      preview: (extra.preview as PreviewInput | undefined) ?? null,
    });
    return show(c, render, { page: "combos", active: "combos", data: { ...model, editing: "", ...extra }, status });
  }

  app.get("/combos", guarded(gw, (c) => page(c)));

  app.get(
    "/combo-preview",
    guarded(gw, (c) => {
      const name = (c.req.query("model") ?? "").trim();
      const preview = name ? previewRoute(gw, name) : null;
      if (isHtmx(c)) return c.html(render.partial("route_preview", { preview }), 200, { "cache-control": "no-store" });
      return page(c, { preview, values: { model: name } });
    }),
  );

  app.get("/combos/:id/edit", guarded(gw, (c) => page(c, { editing: mustGetCombo(gw, c.req.param("id")!).id })));

  app.post(
    "/combos",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const row = await saveComboOp(gw, {
          name: form.text("name"),
          strategy: form.text("strategy") || undefined,
          models: parseEntries(form.text("models")),
        });
        return written(c, `Combo "${row.name}" created.`, "/combos", (flash) => page(c, { flash }));
      } catch (err) {
        return page(c, { errors: fieldErrors(err, comboField), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/combos/:id",
    guarded(gw, async (c) => {
      const existing = mustGetCombo(gw, c.req.param("id")!);
      const form = await readForm(c);
      try {
        const row = await saveComboOp(gw, {
          name: form.text("name"),
          strategy: form.text("strategy"),
          models: parseEntries(form.text("models")),
        }, existing);
        return written(c, `Combo "${row.name}" saved.`, "/combos", (flash) => page(c, { flash }));
      } catch (err) {
        return page(c, { editing: existing.id, errors: fieldErrors(err, comboField), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/combos/:id/move",
    guarded(gw, async (c) => {
      const existing = mustGetCombo(gw, c.req.param("id")!);
      const form = await readForm(c);
      const dir = form.text("dir") === "up" ? "up" : "down";
      const models = moveEntry(existing.models, Number(form.text("index")), dir);
      try {
        await saveComboOp(gw, { strategy: existing.strategy, models }, existing);
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => "_form") }, 422);
      }
      return written(c, `Combo "${existing.name}" reordered.`, "/combos", (flash) => page(c, { flash }));
    }),
  );

  app.post(
    "/combos/:id/delete",
    guarded(gw, async (c) => {
      try {
        const row = await deleteComboOp(gw, c.req.param("id")!);
        return written(c, `Combo "${row.name}" deleted.`, "/combos", (flash) => page(c, { flash }));
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => "_form") }, 422);
      }
    }),
  );

  app.post(
    "/aliases",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const a = await saveAliasOp(gw, { pattern: form.text("pattern"), target: form.text("target") });
        return written(c, `Alias "${a.pattern}" → "${a.target}" saved.`, "/combos", (flash) => page(c, { flash }));
      } catch (err) {
        const errors = fieldErrors(err, (p) => (p === "models" ? "pattern" : p));
        return page(c, { errors, values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/aliases/delete",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const a = await deleteAliasOp(gw, form.text("pattern"));
        return written(c, `Alias "${a.pattern}" removed.`, "/combos", (flash) => page(c, { flash }));
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => "_form") }, 422);
      }
    }),
  );

  app.post(
    "/fallback",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        await patchSettingsOp(gw, { routing: { fallbackChain: lines(form.text("fallback")) } });
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => "fallback"), values: form.values() }, 422);
      }
      return written(c, "Fallback chain saved.", "/combos", (flash) => page(c, { flash }));
    }),
  );

  return app;
}
