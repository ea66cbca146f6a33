/**
 * @module Runs the real gateway in-process on 127.0.0.1 with one connection per fake vendor (OpenAI, Anthropic,
 * Gemini) and a gateway API key the official SDKs send; closes everything for Deno's leak sanitizers.
 */
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import type { Gateway } from "../../src/http/context.ts";
import { type FakeUpstream, startFakeUpstream, type Vendor } from "../helpers/fake_upstreams.ts";

/** The gateway model name for each upstream vendor, and the id the upstream must see. */
export const MODELS: Record<Vendor, { gateway: string; upstream: string }> = {
  openai: { gateway: "openai/gpt-4.1", upstream: "gpt-4.1" },
  anthropic: { gateway: "anthropic/claude-sonnet-4-5", upstream: "claude-sonnet-4-5" },
  gemini: { gateway: "gemini/gemini-2.5-flash", upstream: "gemini-2.5-flash" },
};

export const GATEWAY_KEY = "sy-conformance-client-key-0123456789";

export const UPSTREAM_KEYS: Record<Vendor, string> = {
  openai: "sk-fake-openai-conformance-000",
  anthropic: "sk-ant-fake-conformance-000",
  gemini: "fake-gemini-conformance-key-000",
};

export interface Harness {
  /** `http://127.0.0.1:{port}` of the gateway. */
  url: string;
  gw: Gateway;
  fakes: Record<Vendor, FakeUpstream>;
  resetFakes(): void;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const fakes: Record<Vendor, FakeUpstream> = {
    openai: startFakeUpstream("openai"),
    anthropic: startFakeUpstream("anthropic"),
    gemini: startFakeUpstream("gemini"),
  };
  const dir = await Deno.makeTempDir({ prefix: "switchyard-conformance-" });
  const configPath = `${dir}/config.json`;
  const vendors: Vendor[] = ["openai", "anthropic", "gemini"];
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({
      apiKeys: [{ name: "conformance", key: GATEWAY_KEY, scopes: ["inference"] }],
      connections: vendors.map((v) => ({
        provider: v,
        name: "fake",
        apiKey: UPSTREAM_KEYS[v],
        baseUrl: fakes[v].baseUrl,
      })),
    }),
  );
  const env: Record<string, string> = { REQUIRE_API_KEY: "false", LOG_LEVEL: "error" };
  const config = loadConfig({
    args: ["serve", "--port", "0", "--data-dir", `${dir}/data`, "--config", configPath],
    env: (name) => env[name],
  });
  const gw = await createGateway(config);
  const app = createApp(gw);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    gw,
    fakes,
    resetFakes() {
      for (const v of vendors) fakes[v].reset();
    },
    async close() {
      await server.shutdown();
      for (const v of vendors) await fakes[v].close();
      gw.usage.flush();
      gw.db.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
