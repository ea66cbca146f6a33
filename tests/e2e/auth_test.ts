/**
 * @module Gateway API keys and management auth, end to end: key creation and masking, the four key carriers,
 * REQUIRE_API_KEY, unknown keys, model allow-lists, scopes; and every registered /api route refusing anonymous
 * callers (walked in-process over the Hono app's route table).
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createAdminApp } from "../../src/http/admin_app.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import { ADMIN_KEY, CI_KEY, DEV_KEY, json, startStack } from "../helpers/stack.ts";
import { makeRoot, removeRoot } from "../helpers/server.ts";

const CHAT = { model: "openai/gpt-4.1", messages: [{ role: "user", content: "hi" }] };

type Carrier = "bearer" | "x-api-key" | "x-goog-api-key" | "query";
const CARRIERS: Carrier[] = ["bearer", "x-api-key", "x-goog-api-key", "query"];

/** POST /v1/chat/completions with the key in one carrier (or none). */
async function chatWith(base: string, key: string | undefined, carrier: Carrier = "bearer", body: unknown = CHAT) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  let url = `${base}/v1/chat/completions`;
  if (key !== undefined) {
    if (carrier === "bearer") headers["authorization"] = `Bearer ${key}`;
    else if (carrier === "query") url += `?key=${encodeURIComponent(key)}`;
    else headers[carrier] = key;
  }
  return await json<{ error?: { code: string; type: string } }>(
    await fetch(url, { method: "POST", headers, body: JSON.stringify(body) }),
  );
}

Deno.test("every registered /api route answers 401 without credentials", async () => {
  const root = await makeRoot();
  const gw = await createGateway(loadConfig({ args: ["--data-dir", `${root}/data`], env: () => undefined }));
  try {
    const app = createApp(gw);
    // The management API lives in the admin side, which the main app loads on first use; requests still go through
    // the main app, whose middleware guards /api/*.
    const routes = [...app.routes, ...createAdminApp(gw).app.routes].filter((r) => r.path.startsWith("/api"));
    const endpoints = new Set(routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    assert.ok(endpoints.size >= 30, `only ${endpoints.size} /api endpoints registered: the walk would prove little`);
    for (
      const name of ["GET /api/connections", "POST /api/keys", "GET /api/db-backups/export", "PATCH /api/settings"]
    ) {
      assert.ok(endpoints.has(name), `${name} is not registered`);
    }
    const seen: string[] = [];
    for (const route of routes) {
      const method = route.method === "ALL" ? "GET" : route.method;
      const path = route.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, "x").replace(/\*/g, "x");
      const init: RequestInit = { method };
      if (!["GET", "HEAD"].includes(method)) {
        init.body = "{}";
        init.headers = { "content-type": "application/json" };
      }
      const res = await app.request(path, init);
      const text = await res.text();
      seen.push(`${method} ${path} → ${res.status}`);
      assert.equal(res.status, 401, `${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
      assert.equal(JSON.parse(text).error.code, "authentication_error");
    }
    assert.ok(seen.length >= endpoints.size);
  } finally {
    gw.db.close();
    await removeRoot(root);
  }
});

Deno.test("gateway API keys work from every carrier, with scopes and model allow-lists", async (t) => {
  const stack = await startStack();
  try {
    let created = { id: "", key: "" };

    await t.step("POST /api/keys returns the key once; GET masks it", async () => {
      const res = await json<{ id: string; key: string; name: string; scopes: string[] }>(
        await stack.api("/api/keys", { method: "POST", json: { name: "laptop" } }),
      );
      assert.equal(res.status, 201);
      assert.match(res.body.key, /^sy-[A-Za-z0-9_-]{24,}$/);
      assert.deepEqual(res.body.scopes, ["inference"]);
      created = { id: res.body.id, key: res.body.key };
      for (const path of ["/api/keys", `/api/keys/${created.id}`]) {
        const text = await (await stack.api(path)).text();
        assert.ok(!text.includes(created.key), `${path} shows the full key`);
        assert.ok(!text.includes(ADMIN_KEY) && !text.includes(CI_KEY), `${path} shows a config key`);
      }
      const list = await json<{ data: Array<{ id: string; key: string }> }>(await stack.api("/api/keys"));
      const row = list.body.data.find((k) => k.id === created.id)!;
      assert.equal(row.key, `sy-…${created.key.slice(-4)}`);
    });

    await t.step("a valid key is accepted from all four carriers", async () => {
      for (const carrier of CARRIERS) {
        const res = await chatWith(stack.gw.url, created.key, carrier);
        assert.equal(res.status, 200, `${carrier}: ${JSON.stringify(res.body)}`);
      }
      const upstream = stack.fake.requests.at(-1)!;
      assert.ok(!JSON.stringify(upstream).includes(created.key), "the gateway key leaked to the upstream");
      assert.equal(upstream.query, "", "?key= must not be forwarded");
    });

    await t.step("an unknown key is a 401 from every carrier even though keys are not required", async () => {
      assert.equal((await chatWith(stack.gw.url, undefined)).status, 200, "loopback without a key is allowed");
      for (const carrier of CARRIERS) {
        const res = await chatWith(stack.gw.url, "sy-not-a-real-key-000000000000", carrier);
        assert.equal(res.status, 401, carrier);
        assert.equal(res.body.error?.code, "authentication_error");
      }
    });

    await t.step("a request through a proxy needs a key even on a loopback bind", async () => {
      const res = await json(
        await fetch(`${stack.gw.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
          body: JSON.stringify(CHAT),
        }),
      );
      assert.equal(res.status, 401);
    });

    await t.step("a key with a models allow-list is refused (403) for another model", async () => {
      assert.equal((await chatWith(stack.gw.url, CI_KEY, "bearer")).status, 200);
      const other = await chatWith(stack.gw.url, CI_KEY, "bearer", { ...CHAT, model: "openai/gpt-4o" });
      assert.equal(other.status, 403);
      assert.equal(other.body.error?.code, "permission_denied");
      const restricted = await json<{ key: string }>(
        await stack.api("/api/keys", { method: "POST", json: { name: "mini-only", models: ["openai/gpt-4.1-mini"] } }),
      );
      assert.equal(
        (await chatWith(stack.gw.url, restricted.body.key, "x-api-key", { ...CHAT, model: "openai/gpt-4.1-mini" }))
          .status,
        200,
      );
      assert.equal((await chatWith(stack.gw.url, restricted.body.key, "x-api-key")).status, 403);
    });

    await t.step(
      "an inference-scope key cannot call /api (403); an admin key can, and may call inference",
      async () => {
        for (const key of [DEV_KEY, created.key]) {
          const res = await json<{ error: { code: string } }>(
            await fetch(`${stack.gw.url}/api/keys`, { headers: { authorization: `Bearer ${key}` } }),
          );
          assert.equal(res.status, 403);
          assert.equal(res.body.error.code, "permission_denied");
        }
        assert.equal((await stack.api("/api/keys")).status, 200);
        assert.equal((await stack.api("/api/settings", { headers: { "x-api-key": ADMIN_KEY } })).status, 200);
        assert.equal((await chatWith(stack.gw.url, ADMIN_KEY)).status, 200);
        const anon = await json<{ error: { code: string } }>(await fetch(`${stack.gw.url}/api/keys`));
        assert.equal(anon.status, 401);
        const wrong = await fetch(`${stack.gw.url}/api/keys`, {
          headers: { authorization: "Bearer sy-nope-000000000000000" },
        });
        await wrong.body?.cancel();
        assert.equal(wrong.status, 401);
      },
    );

    await t.step("a deleted key stops working at once", async () => {
      const del = await stack.api(`/api/keys/${created.id}`, { method: "DELETE" });
      await del.body?.cancel();
      assert.equal(del.status, 200);
      assert.equal((await chatWith(stack.gw.url, created.key)).status, 401);
    });

    await t.step("config-file keys cannot be deleted via the API (409)", async () => {
      const list = await json<{ data: Array<{ id: string; name: string; source: string }> }>(
        await stack.api("/api/keys"),
      );
      const ops = list.body.data.find((k) => k.name === "ops")!;
      assert.equal(ops.source, "file");
      const res = await stack.api(`/api/keys/${ops.id}`, { method: "DELETE" });
      await res.body?.cancel();
      assert.equal(res.status, 409);
    });
  } finally {
    await stack.stop();
  }
});

Deno.test("REQUIRE_API_KEY=true refuses a request without a key and accepts a valid one", async () => {
  const stack = await startStack({ env: { REQUIRE_API_KEY: "true" } });
  try {
    const none = await chatWith(stack.gw.url, undefined);
    assert.equal(none.status, 401);
    assert.equal(none.body.error?.code, "authentication_error");
    assert.equal(none.body.error?.type, "authentication_error");
    assert.equal((await chatWith(stack.gw.url, "sy-unknown-key-0000000000000")).status, 401);
    for (const carrier of CARRIERS) assert.equal((await chatWith(stack.gw.url, DEV_KEY, carrier)).status, 200, carrier);
    const models = await fetch(`${stack.gw.url}/v1/models`);
    await models.body?.cancel();
    assert.equal(models.status, 401, "/v1/models needs the key too");
  } finally {
    await stack.stop();
  }
});
