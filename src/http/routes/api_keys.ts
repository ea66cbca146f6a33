/** @module /api/keys: create (the key is shown once), list (masked), update, delete gateway API keys. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { type ApiKeyRow, listApiKeys } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { createKeyOp, deleteKeyOp, mustGetKey, updateKeyOp } from "../manage/keys.ts";
import { readJsonObject } from "./ingress.ts";

export { newGatewayKey } from "../manage/keys.ts";

export function keyView(row: ApiKeyRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    key: row.keyHint,
    scopes: row.scopes,
    models: row.models,
    budget: row.budget,
    options: row.options,
    source: row.source,
    readOnly: row.source === "file",
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt).toISOString() : null,
  };
}

export function keyRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/keys", (c) => c.json({ data: listApiKeys(gw.db).map(keyView) }));

  app.get("/api/keys/:id", (c) => c.json(keyView(mustGetKey(gw, c.req.param("id")))));

  app.post("/api/keys", async (c) => {
    const { row, key } = await createKeyOp(gw, await readJsonObject(c));
    return c.json({ ...keyView(row), key }, 201);
  });

  const update = async (c: Context<AppEnv>): Promise<Response> =>
    c.json(keyView(await updateKeyOp(gw, c.req.param("id")!, await readJsonObject(c))));
  app.patch("/api/keys/:id", update);
  app.put("/api/keys/:id", update);

  app.delete("/api/keys/:id", async (c) => {
    const row = await deleteKeyOp(gw, c.req.param("id"));
    return c.json({ id: row.id, deleted: true });
  });

  return app;
}
