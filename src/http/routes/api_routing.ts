/** @module /api/combos and /api/aliases: CRUD over the routing data; cycles are refused at save time. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { type ComboRow, listAliases, listCombos } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { deleteAliasOp, deleteComboOp, mustGetCombo, saveAliasOp, saveComboOp } from "../manage/routing_data.ts";
import { readJsonObject } from "./ingress.ts";

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

export function routingDataRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/combos", (c) => c.json({ data: listCombos(gw.db).map(comboView) }));
  app.get("/api/combos/:id", (c) => c.json(comboView(mustGetCombo(gw, c.req.param("id")))));

  app.post("/api/combos", async (c) => c.json(comboView(await saveComboOp(gw, await readJsonObject(c))), 201));
  const update = async (c: Context<AppEnv>): Promise<Response> => {
    const row = mustGetCombo(gw, c.req.param("id")!);
    return c.json(comboView(await saveComboOp(gw, await readJsonObject(c), row)), 200);
  };
  app.put("/api/combos/:id", update);
  app.patch("/api/combos/:id", update);
  app.delete("/api/combos/:id", async (c) => {
    const row = await deleteComboOp(gw, c.req.param("id"));
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
    const input = await saveAliasOp(gw, await readJsonObject(c));
    return c.json({ id: input.pattern, ...input, source: "api" }, 201);
  });
  app.delete("/api/aliases/:pattern", async (c) => {
    const pattern = decodeURIComponent(c.req.param("pattern"));
    await deleteAliasOp(gw, pattern);
    return c.json({ id: pattern, deleted: true });
  });

  return app;
}
