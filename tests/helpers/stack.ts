/**
 * @module One end-to-end setup: a fake OpenAI upstream, the real gateway in a subprocess with a config file
 * pointing two `openai` connections (priority 1 and 2) at it, an admin key, and small clients for both.
 */
import OpenAI from "openai";
import { type FakeOpenAI, startFakeOpenAI } from "./fake_openai.ts";
import { type GatewayProcess, makeRoot, removeRoot, startGateway } from "./server.ts";

/** Provider keys: long and distinctive so a grep of DATA_DIR cannot match by accident. */
export const KEY_A = "sk-test-providerA-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
export const KEY_B = "sk-test-providerB-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const ADMIN_KEY = "sy-admin-e2e-key-0123456789abcdef";
export const CI_KEY = "sy-ci-e2e-key-fedcba9876543210";
/** An inference key without limits: the SDK always sends a key, and an unknown one is a 401. */
export const DEV_KEY = "sy-dev-e2e-key-00112233445566778899";

export interface Stack {
  fake: FakeOpenAI;
  gw: GatewayProcess;
  root: string;
  /** The official SDK pointed at the gateway, with DEV_KEY unless another key is given. */
  client(apiKey?: string): OpenAI;
  /** fetch against the gateway with the admin key (unless `headers` bring their own auth). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Stops the gateway (SIGTERM) and the fake, removes the temp folder. */
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  /** Merged over the default config file (top-level keys replace). */
  config?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export function defaultConfig(fake: FakeOpenAI, settings: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiKeys: [
      { name: "ops", key: ADMIN_KEY, scopes: ["admin"] },
      { name: "ci", key: CI_KEY, scopes: ["inference"], models: ["openai/gpt-4.1*"] },
      { name: "dev", key: DEV_KEY, scopes: ["inference"] },
    ],
    connections: [
      { provider: "openai", name: "a", apiKey: KEY_A, baseUrl: fake.baseUrl, priority: 1 },
      { provider: "openai", name: "b", apiKey: KEY_B, baseUrl: fake.baseUrl, priority: 2 },
    ],
    settings: { resilience: { requestTimeoutMs: 1000 }, ...settings },
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fake = startFakeOpenAI();
  const root = await makeRoot();
  let gw: GatewayProcess;
  try {
    gw = await startGateway({
      root,
      config: { ...defaultConfig(fake, options.settings), ...options.config },
      env: { LOG_LEVEL: "warn", ...options.env },
    });
  } catch (err) {
    await fake.close();
    await removeRoot(root);
    throw err;
  }
  return {
    fake,
    gw,
    root,
    client(apiKey = DEV_KEY) {
      return new OpenAI({ apiKey, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 15_000 });
    },
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization") && !headers.has("x-api-key")) {
        headers.set("authorization", `Bearer ${ADMIN_KEY}`);
      }
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(`${gw.url}${path}`, { ...init, headers, body });
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
}

/** Reads a JSON body and returns it with the status, for one-line assertions. */
export async function json<T = Record<string, unknown>>(res: Response): Promise<{ status: number; body: T }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`expected JSON from ${res.url} (${res.status}), got: ${text.slice(0, 300)}`);
  }
}
