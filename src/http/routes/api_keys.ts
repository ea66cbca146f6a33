/** @module /api/keys: create (the key is shown once), list (masked), update, delete gateway API keys. */
import { Hono } from "hono";
import { z } from "zod";
import { budgetSchema, SCOPES } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  type ApiKeyRow,
  deleteApiKey,
  getApiKey,
  insertApiKey,
  listApiKeys,
  maskSecret,
  randomToken,
  updateApiKey,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

export function keyView(row: ApiKeyRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    key: row.keyHint,
    scopes: row.scopes,
    models: row.models,
    budget: row.budget,
    source: row.source,
    readOnly: row.source === "file",
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt).toISOString() : null,
  };
}

const createSchema = z.strictObject({
  name: z.string().min(1).max(128),
  scopes: z.array(z.enum(SCOPES)).min(1).default(["inference"]),
  models: z.array(z.string().min(1)).nullable().optional(),
  budget: budgetSchema.nullable().optional(),
});

const updateSchema = createSchema.partial();

/** A new gateway key: `sy-` and 32 random URL-safe characters. */
export function newGatewayKey(): string {
  return `sy-${randomToken(24)}`;
}

export function keyRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function mustGet(id: string): ApiKeyRow {
    const row = getApiKey(gw.db, id);
    if (!row) throw new GatewayError("not_found", `no API key ${id}`);
    return row;
  }

  app.get("/api/keys", (c) => c.json({ data: listApiKeys(gw.db).map(keyView) }));

  app.get("/api/keys/:id", (c) => c.json(keyView(mustGet(c.req.param("id")))));

  app.post("/api/keys", async (c) => {
    const input = validate(createSchema, await readJsonObject(c));
    const key = newGatewayKey();
    const row = insertApiKey(gw.db, {
      name: input.name,
      keyHash: gw.cipher.hashKey(key),
      keyHint: maskSecret(key),
      scopes: input.scopes,
      models: input.models ?? null,
      budget: input.budget ?? null,
      source: "api",
    }, gw.now());
    await gw.reload();
    return c.json({ ...keyView(row), key }, 201);
  });

  const update = async (c: import("hono").Context<AppEnv>): Promise<Response> => {
    const row = mustGet(c.req.param("id")!);
    if (row.source === "file") {
      throw new GatewayError("invalid_request", "this key comes from the config file; edit the file instead", {
        status: 409,
      });
    }
    const input = validate(updateSchema, await readJsonObject(c));
    updateApiKey(gw.db, row.id, {
      ...row,
      name: input.name ?? row.name,
      scopes: input.scopes ?? row.scopes,
      models: input.models === undefined ? row.models : input.models,
      budget: input.budget === undefined ? row.budget : input.budget,
    });
    await gw.reload();
    return c.json(keyView(mustGet(row.id)));
  };
  app.patch("/api/keys/:id", update);
  app.put("/api/keys/:id", update);

  app.delete("/api/keys/:id", async (c) => {
    const row = mustGet(c.req.param("id"));
    if (row.source === "file") {
      throw new GatewayError("invalid_request", "this key comes from the config file; remove it there", {
        status: 409,
      });
    }
    deleteApiKey(gw.db, row.id);
    await gw.reload();
    return c.json({ id: row.id, deleted: true });
  });

  return app;
}
