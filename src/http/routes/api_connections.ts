/** @module /api/connections: list, create, update, delete and test provider connections; keys always masked. */
import { Hono } from "hono";
import { z } from "zod";
import { connectionEntrySchema } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  type ConnectionRow,
  deleteConnection,
  findConnection,
  getConnection,
  insertConnection,
  listConnections,
  maskSecret,
  transaction,
  updateConnection,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { callUpstream, readBounded } from "../proxy/upstream.ts";
import { readJsonObject, validate } from "./ingress.ts";

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

const updateSchema = connectionEntrySchema.partial().extend({
  apiKey: z.string().min(1).nullable().optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  proxy: z.url({ protocol: /^(https?|socks5h?)$/ }).nullable().optional(),
  models: z.array(z.string().min(1)).nullable().optional(),
});

export function connectionRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function providerIdOf(name: string): string {
    const spec = gw.state.registry.get(name);
    if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
    return spec.id;
  }

  function mustGet(id: string): ConnectionRow {
    const row = getConnection(gw.db, id);
    if (!row) throw new GatewayError("not_found", `no connection ${id}`);
    return row;
  }

  app.get("/api/connections", (c) => c.json({ data: listConnections(gw.db).map(connectionView) }));

  app.get("/api/connections/:id", (c) => c.json(connectionView(mustGet(c.req.param("id")))));

  app.post("/api/connections", async (c) => {
    const input = validate(connectionEntrySchema, await readJsonObject(c));
    const provider = providerIdOf(input.provider);
    if (findConnection(gw.db, provider, input.name)) {
      throw new GatewayError("invalid_request", `provider ${provider} already has a connection named "${input.name}"`, {
        param: "name",
        status: 409,
      });
    }
    const apiKeyEnc = input.apiKey ? await gw.cipher.encrypt(input.apiKey) : null;
    const row = insertConnection(gw.db, {
      provider,
      name: input.name,
      apiKeyEnc,
      keyHint: input.apiKey ? maskSecret(input.apiKey) : null,
      baseUrl: input.baseUrl ?? null,
      priority: input.priority,
      enabled: input.enabled,
      models: input.models ?? null,
      proxy: input.proxy ?? null,
      source: "api",
    }, gw.now());
    await gw.reload();
    return c.json(connectionView(row), 201);
  });

  const update = async (c: import("hono").Context<AppEnv>): Promise<Response> => {
    const row = mustGet(c.req.param("id")!);
    if (row.source === "file") {
      throw new GatewayError("invalid_request", "this connection comes from the config file; edit the file instead", {
        status: 409,
      });
    }
    const input = validate(updateSchema, await readJsonObject(c));
    const provider = input.provider ? providerIdOf(input.provider) : row.provider;
    const name = input.name ?? row.name;
    const clash = findConnection(gw.db, provider, name);
    if (clash && clash.id !== row.id) {
      throw new GatewayError("invalid_request", `provider ${provider} already has a connection named "${name}"`, {
        param: "name",
        status: 409,
      });
    }
    let apiKeyEnc = row.apiKeyEnc;
    let keyHint = row.keyHint;
    if (input.apiKey === null) {
      apiKeyEnc = null;
      keyHint = null;
    } else if (input.apiKey !== undefined) {
      apiKeyEnc = await gw.cipher.encrypt(input.apiKey);
      keyHint = maskSecret(input.apiKey);
    }
    const updated = transaction(gw.db, () =>
      updateConnection(gw.db, row.id, {
        provider,
        name,
        apiKeyEnc,
        keyHint,
        baseUrl: input.baseUrl === undefined ? row.baseUrl : input.baseUrl,
        priority: input.priority ?? row.priority,
        enabled: input.enabled ?? row.enabled,
        models: input.models === undefined ? row.models : input.models,
        proxy: input.proxy === undefined ? row.proxy : input.proxy,
        source: "api",
      }, gw.now()));
    await gw.reload();
    return c.json(connectionView(updated!));
  };
  app.put("/api/connections/:id", update);
  app.patch("/api/connections/:id", update);

  app.delete("/api/connections/:id", async (c) => {
    const row = mustGet(c.req.param("id"));
    if (row.source === "file") {
      throw new GatewayError("invalid_request", "this connection comes from the config file; remove it there", {
        status: 409,
      });
    }
    deleteConnection(gw.db, row.id);
    await gw.reload();
    return c.json({ id: row.id, deleted: true });
  });

  /** A real upstream call: the provider's model list (no tokens spent). */
  app.post("/api/connections/:id/test", async (c) => {
    const row = mustGet(c.req.param("id"));
    const provider = gw.state.registry.get(row.provider);
    if (!provider) throw new GatewayError("invalid_request", `unknown provider "${row.provider}"`);
    const apiKey = row.apiKeyEnc ? await gw.cipher.decrypt(row.apiKeyEnc) : undefined;
    const url = provider.modelsUrl(row.baseUrl ?? provider.defaultBaseUrl);
    const started = gw.now();
    try {
      const { response } = await callUpstream(gw.fetch, {
        url,
        headers: provider.headers(apiKey),
        timeoutMs: Math.min(gw.state.settings.resilience.requestTimeoutMs, 15_000),
      });
      const text = await readBounded(response, 256 * 1024);
      const latencyMs = gw.now() - started;
      if (!response.ok) {
        return c.json({ ok: false, status: response.status, latencyMs, error: summarize(text, apiKey) });
      }
      let models: number | undefined;
      try {
        const body = JSON.parse(text) as { data?: unknown[]; models?: unknown[] };
        models = (body.data ?? body.models)?.length;
      } catch { /* not JSON: still reachable */ }
      return c.json({ ok: true, status: response.status, latencyMs, models });
    } catch (err) {
      const gerr = err instanceof GatewayError ? err : new GatewayError("upstream_error", "test failed");
      return c.json({ ok: false, status: gerr.status, latencyMs: gw.now() - started, error: gerr.message });
    }
  });

  return app;
}

function summarize(text: string, secret: string | undefined): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    message = typeof body.error === "string" ? body.error : body.error?.message ?? body.message ?? text;
  } catch { /* raw text */ }
  if (secret) message = message.split(secret).join("[redacted]");
  return message.slice(0, 500);
}
