/**
 * @module Settings › Security enforced: IP allow/deny lists (CIDR, IPv4/IPv6) on every route but /healthz and
 * /static, loopback without a proxy always admitted; `requireApiKeyForModels` for the model lists; bad entries
 * refused at save time.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";

const ADMIN = "sy-ip-access-admin-key-000000001";
const DEV = "sy-ip-access-dev-key-0000000000001";

async function withApp(
  security: Record<string, unknown>,
  fn: (call: (path: string, from: string, init?: RequestInit) => Promise<Response>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sy-ip-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      apiKeys: [{ name: "adm", key: ADMIN, scopes: ["admin"] }, { name: "dev", key: DEV, scopes: ["inference"] }],
      connections: [{ provider: "openai", name: "x", apiKey: "sk-ip-test-00000000", baseUrl: "http://127.0.0.1:9/v1" }],
      settings: { security },
    }),
  );
  // Bound to all interfaces with keys not required, as a LAN deployment might be.
  const config = loadConfig({
    args: ["serve", "--host", "0.0.0.0", "--data-dir", dir, "--config", file],
    env: (n) => n === "REQUIRE_API_KEY" ? "false" : undefined,
  });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const app = createApp(gw);
  try {
    await fn(async (path, from, init) => await app.request(path, init, { remoteAddr: { hostname: from } }));
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("IP allow and deny lists admit and refuse by address; loopback and /healthz stay reachable", async () => {
  await withApp({ ipAllowList: ["10.0.0.0/8", "2001:db8::/32"], ipDenyList: ["10.9.0.0/16"] }, async (call) => {
    const status = async (path: string, from: string) => {
      const res = await call(path, from);
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await status("/v1/models", "10.1.2.3"), 200);
    assert.equal(await status("/v1/models", "2001:db8::7"), 200);
    assert.equal(await status("/v1/models", "10.9.4.4"), 403, "denied inside the allowed range");
    assert.equal(await status("/v1/models", "203.0.113.9"), 403, "not on the allow list");
    const refused = await call("/v1/models", "203.0.113.9");
    const body = await refused.json();
    assert.equal(body.error.code, "permission_denied");
    assert.match(body.error.message, /IP access control/);
    assert.equal(await status("/login", "203.0.113.9"), 403, "the dashboard is covered too");
    assert.equal(await status("/healthz", "203.0.113.9"), 200);
    assert.equal(await status("/v1/models", "127.0.0.1"), 200, "loopback without a proxy is always admitted");
    const proxied = await call("/v1/models", "127.0.0.1", { headers: { "x-forwarded-for": "203.0.113.9" } });
    await proxied.body?.cancel();
    assert.equal(proxied.status, 403, "a proxied request is judged, not admitted as loopback");
  });
});

Deno.test("requireApiKeyForModels guards the model lists only; bad list entries are refused at save time", async () => {
  await withApp({ requireApiKeyForModels: true }, async (call) => {
    const anonymous = await call("/v1/models", "10.0.0.5");
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const gemini = await call("/v1beta/models", "10.0.0.5");
    assert.equal(gemini.status, 401);
    await gemini.body?.cancel();
    const keyed = await call("/v1/models", "10.0.0.5", { headers: { authorization: `Bearer ${DEV}` } });
    assert.equal(keyed.status, 200);
    await keyed.body?.cancel();
    const chat = await call("/v1/chat/completions", "10.0.0.5", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "nope", messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(chat.status, 404, "inference still needs no key: the unknown model is the answer");
    await chat.body?.cancel();

    const bad = await call("/api/settings", "127.0.0.1", {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ security: { ipAllowList: ["10.0.0.0/8", "office-lan"] } }),
    });
    assert.equal(bad.status, 400);
    const err = await bad.json();
    assert.match(err.error.message, /not an IP address or CIDR range/);
    assert.match(err.error.param, /ipAllowList/);
  });
});
