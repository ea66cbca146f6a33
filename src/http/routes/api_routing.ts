/** @module /api/combos and /api/aliases: CRUD over the routing data; cycles are refused at save time. */
import { Hono } from "hono";
import { z } from "zod";
import { comboEntrySchema } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import { resolveTargets } from "../../routing/resolve.ts";
import type { GatewayState } from "../../routing/state.ts";
import {
  type ComboRow,
  deleteAlias,
  deleteCombo,
  getCombo,
  listAliases,
  listCombos,
  upsertAlias,
  upsertCombo,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

function comboView(row: ComboRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    strategy: row.strategy,
    models: row.models,
    source: row.source,
    readOnly: row.source === "file",
  };
}

const aliasSchema = z.strictObject({ pattern: z.string().min(1).max(256), target: z.string().min(1).max(256) });

/** Throws when the candidate state has a name that resolves in a cycle. */
function assertNoCycle(state: GatewayState, names: string[]): void {
  for (const name of names) {
    try {
      resolveTargets(state, name);
    } catch (err) {
      if (err instanceof GatewayError && err.message.includes("cycle")) {
        throw new GatewayError("invalid_request", `saving this would make "${name}" resolve in a cycle`, {
          param: "models",
        });
      }
    }
  }
}

export function routingDataRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/combos", (c) => c.json({ data: listCombos(gw.db).map(comboView) }));
  app.get("/api/combos/:id", (c) => {
    const row = getCombo(gw.db, c.req.param("id"));
    if (!row) throw new GatewayError("not_found", `no combo ${c.req.param("id")}`);
    return c.json(comboView(row));
  });

  const save = async (c: import("hono").Context<AppEnv>, existing?: ComboRow): Promise<Response> => {
    const input = validate(comboEntrySchema, {
      ...(existing ? { name: existing.name } : {}),
      ...(await readJsonObject(c)),
    });
    const prior = getCombo(gw.db, input.name);
    if (prior?.source === "file") {
      throw new GatewayError("invalid_request", "this combo comes from the config file", { status: 409 });
    }
    if (!existing && prior) {
      throw new GatewayError("invalid_request", `a combo named "${input.name}" exists`, { param: "name", status: 409 });
    }
    const models = input.models.map((m) => typeof m === "string" ? { model: m, weight: 1 } : m);
    const trial: GatewayState = { ...gw.state, combos: new Map(gw.state.combos) };
    trial.combos.set(input.name, {
      id: "trial",
      name: input.name,
      strategy: input.strategy,
      models,
      source: "api",
      createdAt: 0,
      updatedAt: 0,
    });
    if (existing && existing.name !== input.name) trial.combos.delete(existing.name);
    assertNoCycle(trial, [...trial.combos.keys()]);
    if (existing && existing.name !== input.name) deleteCombo(gw.db, existing.id);
    const row = upsertCombo(gw.db, { name: input.name, strategy: input.strategy, models, source: "api" }, gw.now());
    await gw.reload();
    return c.json(comboView(row), existing ? 200 : 201);
  };

  app.post("/api/combos", (c) => save(c));
  const update = (c: import("hono").Context<AppEnv>): Promise<Response> => {
    const row = getCombo(gw.db, c.req.param("id")!);
    if (!row) throw new GatewayError("not_found", `no combo ${c.req.param("id")}`);
    return save(c, row);
  };
  app.put("/api/combos/:id", update);
  app.patch("/api/combos/:id", update);
  app.delete("/api/combos/:id", async (c) => {
    const row = getCombo(gw.db, c.req.param("id"));
    if (!row) throw new GatewayError("not_found", `no combo ${c.req.param("id")}`);
    if (row.source === "file") {
      throw new GatewayError("invalid_request", "this combo comes from the config file", { status: 409 });
    }
    deleteCombo(gw.db, row.id);
    await gw.reload();
    return c.json({ id: row.id, deleted: true });
  });

  app.get(
    "/api/aliases",
    (c) =>
      c.json({
        data: listAliases(gw.db).map((a) => ({
          id: a.pattern,
          pattern: a.pattern,
          target: a.target,
          source: a.source,
          readOnly: a.source === "file",
        })),
      }),
  );
  app.post("/api/aliases", async (c) => {
    const input = validate(aliasSchema, await readJsonObject(c));
    const prior = listAliases(gw.db).find((a) => a.pattern === input.pattern);
    if (prior?.source === "file") {
      throw new GatewayError("invalid_request", "this alias comes from the config file", { status: 409 });
    }
    const trial: GatewayState = {
      ...gw.state,
      aliases: [...gw.state.aliases.filter((a) => a.pattern !== input.pattern), {
        ...input,
        source: "api",
        createdAt: 0,
      }],
    };
    assertNoCycle(trial, [input.pattern]);
    upsertAlias(gw.db, { ...input, source: "api" }, gw.now());
    await gw.reload();
    return c.json({ id: input.pattern, ...input, source: "api" }, 201);
  });
  app.delete("/api/aliases/:pattern", async (c) => {
    const pattern = decodeURIComponent(c.req.param("pattern"));
    const prior = listAliases(gw.db).find((a) => a.pattern === pattern);
    if (!prior) throw new GatewayError("not_found", `no alias ${pattern}`);
    if (prior.source === "file") {
      throw new GatewayError("invalid_request", "this alias comes from the config file", { status: 409 });
    }
    deleteAlias(gw.db, pattern);
    await gw.reload();
    return c.json({ id: pattern, deleted: true });
  });

  return app;
}
