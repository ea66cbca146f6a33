/** @module /api/connections: list, create, update, delete and test provider connections; keys always masked. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { type ConnectionRow, listConnections } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import {
  createConnectionOp,
  deleteConnectionOp,
  mustGetConnection,
  testConnectionOp,
  updateConnectionOp,
} from "../manage/connections.ts";
import { readJsonObject } from "./ingress.ts";

/** What the API shows of a connection: never the key, only its hint. */
export function connectionView(row: ConnectionRow): Record<string, unknown> {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    apiKey: row.keyHint,
    hasKey: row.apiKeyEnc !== null,
    baseUrl: row.baseUrl,
    priority: row.priority,
    enabled: row.enabled,
    models: row.models,
    proxy: row.proxy,
    source: row.source,
    readOnly: row.source === "file",
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export function connectionRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/connections", (c) => c.json({ data: listConnections(gw.db).map(connectionView) }));

  app.get("/api/connections/:id", (c) => c.json(connectionView(mustGetConnection(gw, c.req.param("id")))));

  app.post("/api/connections", async (c) => {
    const row = await createConnectionOp(gw, await readJsonObject(c));
    return c.json(connectionView(row), 201);
  });

  const update = async (c: Context<AppEnv>): Promise<Response> => {
    const row = await updateConnectionOp(gw, c.req.param("id")!, await readJsonObject(c));
    return c.json(connectionView(row));
  };
  app.put("/api/connections/:id", update);
  app.patch("/api/connections/:id", update);

  app.delete("/api/connections/:id", async (c) => {
    const row = await deleteConnectionOp(gw, c.req.param("id"));
    return c.json({ id: row.id, deleted: true });
  });

  /** A real upstream call: the provider's model list (no tokens spent). */
  app.post("/api/connections/:id/test", async (c) => c.json(await testConnectionOp(gw, c.req.param("id"))));

  return app;
}
