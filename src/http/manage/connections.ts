/**
 * @module Connection operations shared by /api/connections and the dashboard: validated create, update, delete and
 * test. Input arrives as the API's JSON shape (the dashboard builds it from its form); errors are GatewayErrors
 * whose `param` names the field, so each caller shows them in its own way.
 */
import { z } from "../packages.ts";
import { connectionEntrySchema } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  type ConnectionRow,
  deleteConnection,
  findConnection,
  getConnection,
  insertConnection,
  maskSecret,
  transaction,
  updateConnection,
} from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { callUpstream, readBounded } from "../proxy/upstream.ts";
import { validate } from "../routes/ingress.ts";

const updateSchema = connectionEntrySchema.partial().extend({
  apiKey: z.string().min(1).nullable().optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  proxy: z.url({ protocol: /^(https?|socks5h?)$/ }).nullable().optional(),
  models: z.array(z.string().min(1)).nullable().optional(),
});

export interface ConnectionTestResult {
  ok: boolean;
  status: number;
  latencyMs: number;
  models?: number;
  error?: string;
}

function providerIdOf(gw: Gateway, name: string): string {
  const spec = gw.state.registry.get(name);
  if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
  return spec.id;
}

export function mustGetConnection(gw: Gateway, id: string): ConnectionRow {
  const row = getConnection(gw.db, id);
  if (!row) throw new GatewayError("not_found", `no connection ${id}`);
  return row;
}

function nameTaken(provider: string, name: string): GatewayError {
  return new GatewayError("invalid_request", `provider ${provider} already has a connection named "${name}"`, {
    param: "name",
    status: 409,
  });
}

export async function createConnectionOp(gw: Gateway, body: unknown): Promise<ConnectionRow> {
  const input = validate(connectionEntrySchema, body);
  const provider = providerIdOf(gw, input.provider);
  if (findConnection(gw.db, provider, input.name)) throw nameTaken(provider, input.name);
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
  return row;
}

/** A partial update; `apiKey: null` removes the key, an absent `apiKey` keeps it. */
export async function updateConnectionOp(gw: Gateway, id: string, body: unknown): Promise<ConnectionRow> {
  const row = mustGetConnection(gw, id);
  if (row.source === "file") {
    throw new GatewayError("invalid_request", "this connection comes from the config file; edit the file instead", {
      status: 409,
    });
  }
  const input = validate(updateSchema, body);
  const provider = input.provider ? providerIdOf(gw, input.provider) : row.provider;
  const name = input.name ?? row.name;
  const clash = findConnection(gw.db, provider, name);
  if (clash && clash.id !== row.id) throw nameTaken(provider, name);
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
  return updated!;
}

export async function deleteConnectionOp(gw: Gateway, id: string): Promise<ConnectionRow> {
  const row = mustGetConnection(gw, id);
  if (row.source === "file") {
    throw new GatewayError("invalid_request", "this connection comes from the config file; remove it there", {
      status: 409,
    });
  }
  deleteConnection(gw.db, row.id);
  await gw.reload();
  return row;
}

/** A real upstream call: the provider's model list (no tokens spent). Never throws for upstream failures. */
export async function testConnectionOp(gw: Gateway, id: string): Promise<ConnectionTestResult> {
  const row = mustGetConnection(gw, id);
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
    if (!response.ok) return { ok: false, status: response.status, latencyMs, error: summarize(text, apiKey) };
    let models: number | undefined;
    try {
      const body = JSON.parse(text) as { data?: unknown[]; models?: unknown[] };
      models = (body.data ?? body.models)?.length;
    } catch { /* not JSON: still reachable */ }
    return { ok: true, status: response.status, latencyMs, models };
  } catch (err) {
    const gerr = err instanceof GatewayError ? err : new GatewayError("upstream_error", "test failed");
    return { ok: false, status: gerr.status, latencyMs: gw.now() - started, error: gerr.message };
  }
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
