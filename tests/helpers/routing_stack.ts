/**
 * @module Routing end-to-end setup: one fake OpenAI upstream behind several connections of several providers (the
 * fake tells them apart by their bearer key), the real gateway in a subprocess that can be restarted on the same
 * DATA_DIR, and small clients: chat by fetch, the management API, health by connection name, usage rows.
 */
import OpenAI from "openai";
import { type Behavior, type FakeOpenAI, startFakeOpenAI } from "./fake_openai.ts";
import { type GatewayProcess, makeRoot, removeRoot, startGateway } from "./server.ts";
import { usageFor, type UsageRowRaw } from "./usage_db.ts";

export const ADMIN = "sy-admin-routing-0123456789abcdef";
export const DEV = "sy-dev-routing-00112233445566778899";
/** An inference key allowed `openai/*` and the combo `mycombo` only. */
export const LIMITED = "sy-limited-routing-9988776655443322";

/** Connection name → its provider key; names are unique across providers here so one name is enough. */
export const KEYS = {
  a: "sk-route-conn-a-0000000000000000aaaa",
  b: "sk-route-conn-b-0000000000000000bbbb",
  c: "sk-route-conn-c-0000000000000000cccc",
  d1: "sk-route-conn-d1-000000000000000dd11",
  d2: "sk-route-conn-d2-000000000000000dd22",
  solo: "sk-route-conn-solo-0000000000000solo",
  x: "sk-route-conn-x-0000000000000000xxxx",
} as const;
export type ConnName = keyof typeof KEYS;

export interface RouteResult {
  status: number;
  /** `x-switchyard-route` */
  route: string;
  requestId: string;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

export interface HealthEntry {
  id: string;
  provider: string;
  name: string;
  state: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  cooldown: { until: string; secondsLeft: number; reason: string } | null;
  lockouts: Array<{ model: string }>;
  requests: number;
}

export interface RoutingStack {
  fake: FakeOpenAI;
  gw: GatewayProcess;
  /** Upstream calls the fake received with this connection's key. */
  hits(name: ConnName): number;
  /** The connection names of the fake's requests, in order, from index `from`. */
  sequence(from?: number): string[];
  /** Makes the fake answer this connection with `behavior` (until `clearRules`). */
  script(name: ConnName, behavior: Behavior, model?: string): void;
  clearRules(): void;
  /** POST /v1/chat/completions by fetch with the DEV key (or `key`). */
  chat(model: string, options?: { key?: string; stream?: boolean }): Promise<RouteResult>;
  /** POST /v1/messages (the Anthropic surface). */
  messages(model: string): Promise<RouteResult>;
  client(key?: string): OpenAI;
  // deno-lint-ignore no-explicit-any -- management answers are read ad hoc by the tests
  api(path: string, init?: { method?: string; json?: unknown }): Promise<{ status: number; body: any }>;
  /** /api/health entries by connection name. */
  health(): Promise<Record<string, HealthEntry>>;
  /** Fake rules cleared, breakers/cooldowns reset. */
  reset(): Promise<void>;
  /** The usage row of a request (waits for the group commit). */
  usage(requestId: string): Promise<UsageRowRaw>;
  /** SIGTERM and start again on the same DATA_DIR and config. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function routingConfig(fake: FakeOpenAI, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const conn = (provider: string, name: ConnName, priority: number, baseUrl = fake.baseUrl) => ({
    provider,
    name,
    apiKey: KEYS[name],
    baseUrl,
    priority,
  });
  return {
    apiKeys: [
      { name: "ops", key: ADMIN, scopes: ["admin"] },
      { name: "dev", key: DEV, scopes: ["inference"] },
      { name: "limited", key: LIMITED, scopes: ["inference"], models: ["openai/*", "mycombo"] },
    ],
    connections: [
      conn("openai", "a", 1),
      conn("openai", "b", 2),
      conn("openai", "c", 3),
      conn("deepseek", "d1", 1),
      conn("deepseek", "d2", 2),
      conn("groq", "solo", 1),
      // Anthropic format: it would call {origin}/v1/messages on the fake, which the fake records (and 404s).
      conn("anthropic", "x", 1, `http://127.0.0.1:${fake.port}`),
    ],
    combos: [{ name: "filecombo", strategy: "priority", models: ["openai/gpt-4.1"] }],
    ...extra,
  };
}

const NAME_BY_AUTH = new Map(Object.entries(KEYS).map(([name, key]) => [`Bearer ${key}`, name]));

export async function startRoutingStack(extra: Record<string, unknown> = {}): Promise<RoutingStack> {
  const fake = startFakeOpenAI();
  const root = await makeRoot();
  const config = routingConfig(fake, extra);
  const start = () => startGateway({ root, config, env: { LOG_LEVEL: "error" } });
  let gw: GatewayProcess;
  try {
    gw = await start();
  } catch (err) {
    await fake.close();
    await removeRoot(root);
    throw err;
  }
  const removers: Array<() => void> = [];

  /** fetch that names the gateway's output when the gateway is gone (a crash shows its cause). */
  const send = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, init);
    } catch (err) {
      throw new Error(`${(err as Error).message}; gateway output:\n${gw.output()}`);
    }
  };

  const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await send(`${gw.url}${path}`, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  const call = async (path: string, key: string, body: Record<string, unknown>): Promise<RouteResult> => {
    const res = await send(`${gw.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text);
    } catch { /* an SSE body */ }
    return {
      status: res.status,
      route: res.headers.get("x-switchyard-route") ?? "",
      requestId: res.headers.get("x-request-id") ?? "",
      retryAfter: res.headers.get("retry-after"),
      body: parsed,
    };
  };

  const stack: RoutingStack = {
    fake,
    get gw() {
      return gw;
    },
    hits: (name) => fake.requests.filter((r) => r.headers["authorization"] === `Bearer ${KEYS[name]}`).length,
    sequence: (from = 0) =>
      fake.requests.slice(from).map((r) => NAME_BY_AUTH.get(r.headers["authorization"] ?? "") ?? r.path),
    script(name, behavior, model) {
      removers.push(fake.on({ key: KEYS[name], model, behavior }));
    },
    clearRules() {
      for (const remove of removers.splice(0)) remove();
    },
    chat: (model, options = {}) =>
      call("/v1/chat/completions", options.key ?? DEV, {
        model,
        messages: [{ role: "user", content: "hi" }],
        ...(options.stream ? { stream: true } : {}),
      }),
    messages: (model) =>
      call("/v1/messages", DEV, { model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    client: (key = DEV) => new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 10_000 }),
    api,
    async health() {
      const { body } = await api("/api/health");
      return Object.fromEntries((body.data as HealthEntry[]).map((h) => [h.name, h]));
    },
    async reset() {
      stack.clearRules();
      const res = await api("/api/resilience/reset", { json: {} });
      if (res.status !== 200) throw new Error(`reset failed: ${JSON.stringify(res.body)}`);
    },
    async usage(requestId) {
      const deadline = Date.now() + 3000;
      while (true) {
        const rows = usageFor(gw.dataDir, requestId);
        if (rows.length > 0) return rows[0];
        if (Date.now() > deadline) throw new Error(`no usage row for ${requestId}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async restart() {
      await gw.stop();
      gw = await start();
    },
    async stop() {
      try {
        await gw.stop();
      } finally {
        await fake.close();
        await removeRoot(root);
      }
    },
  };
  return stack;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
