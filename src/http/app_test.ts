import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { createAdminApp } from "./admin_app.ts";
import { createApp } from "./app.ts";
import { createGateway } from "./gateway.ts";

Deno.test("every route fits Hono's RegExpRouter (one regex match a request, not the slower trie walk)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-router-" });
  const gw = await createGateway(loadConfig({ args: ["serve", "--data-dir", dir] }), {
    logger: { log() {}, enabled: () => false },
  });
  try {
    const app = createApp(gw);
    // The router is chosen at the first match: a static route beside a `:param` route with a longer path
    // (e.g. `/combos/preview` and `/combos/:id/edit`) makes RegExpRouter give up and Hono fall back to the trie.
    await app.request("/healthz");
    assert.equal((app.router as { name: string }).name, "SmartRouter + RegExpRouter");
    // The management API and the dashboard have their own app (loaded on first use), so their own router.
    const admin = createAdminApp(gw).app;
    await admin.request("/login");
    assert.equal((admin.router as { name: string }).name, "SmartRouter + RegExpRouter");
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the admin side answers through the main app with the main app's request id and key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-admin-" });
  const adminKey = "sy-admin-app-test-key-0123456789";
  await Deno.writeTextFile(
    `${dir}/switchyard.json`,
    JSON.stringify({ apiKeys: [{ name: "ops", key: adminKey, scopes: ["admin"] }] }),
  );
  const gw = await createGateway(
    loadConfig({
      args: ["serve", "--data-dir", `${dir}/data`, "--config", `${dir}/switchyard.json`],
      env: () => undefined,
    }),
    { logger: { log() {}, enabled: () => false } },
  );
  try {
    const app = createApp(gw);
    const auth = { authorization: `Bearer ${adminKey}` };
    const list = await app.request("/api/keys", { headers: auth });
    assert.equal(list.status, 200);
    assert.match(list.headers.get("x-request-id") ?? "", /^req_/);
    // An error thrown inside the admin app is shaped by its onError, with the id the main app's middleware set.
    const bad = await app.request("/api/keys", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get("x-request-id") ?? "", /^req_/);
    assert.equal((await bad.json()).error.type, "invalid_request_error");
    // Without the key the main app's adminAuth refuses before the admin side is asked.
    assert.equal((await app.request("/api/keys")).status, 401);
    const missing = await app.request("/no/such/page");
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, "not_found");
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
