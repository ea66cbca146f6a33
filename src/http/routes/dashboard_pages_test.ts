/** In-process handler tests of the dashboard pages: `app.request()` against a real store in a temp folder. */
import assert from "node:assert/strict";
import { type DashboardSession, login, startDashboardSession } from "../../../tests/helpers/dashboard_session.ts";

const PASSWORD = "handler-test-password";
const PROVIDER_KEY = "sk-handler-secret-key-0123456789";

type Harness = DashboardSession;

const upstream: typeof fetch = (input) => {
  const url = String(input instanceof Request ? input.url : input);
  if (url.endsWith("/models")) return Promise.resolve(Response.json({ data: [{ id: "a" }, { id: "b" }] }));
  return Promise.resolve(new Response("no", { status: 500 }));
};

async function harness(): Promise<Harness> {
  return await startDashboardSession({ password: PASSWORD, prefix: "sy-dash-", fetch: upstream });
}

const PAGES = ["/", "/providers", "/providers/openai", "/combos", "/keys", "/health", "/account"];

Deno.test("dashboard pages: 303 to /login without a session, HX-Redirect for htmx", async () => {
  const h = await harness();
  try {
    for (const path of PAGES) {
      const res = await h.app.request(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get("location"), "/login");
      const hx = await h.app.request(path, { headers: { "hx-request": "true" } });
      assert.equal(hx.status, 401, path);
      assert.equal(hx.headers.get("hx-redirect"), "/login");
    }
  } finally {
    await h.close();
  }
});

Deno.test("dashboard pages: full page with nav for a normal request, the fragment for HX-Request", async () => {
  const h = await harness();
  try {
    for (const path of PAGES) {
      const full = await h.get(path);
      assert.equal(full.status, 200, `${path}: ${full.text.slice(0, 300)}`);
      assert.match(full.text, /^<!doctype html>/);
      assert.match(full.text, /<nav aria-label="Main">/);
      assert.match(full.text, /aria-current="page"/);
      const part = await h.get(path, { "hx-request": "true" });
      assert.equal(part.status, 200);
      assert.ok(!part.text.includes("<html"), `${path} sent the layout to htmx`);
      assert.match(part.text, /<h1>/);
    }
    assert.equal((await h.get("/providers/nope")).status, 404);
  } finally {
    await h.close();
  }
});

Deno.test("dashboard writes need the CSRF token", async () => {
  const h = await harness();
  try {
    const res = await h.post("/keys", { name: "x", scopes: "inference" }, { csrf: false });
    assert.equal(res.status, 403);
  } finally {
    await h.close();
  }
});

Deno.test("providers: add (inline errors), test, disable, edit, delete; the key never goes back", async () => {
  const h = await harness();
  try {
    const bad = await h.post("/providers/openai/connections", {
      name: "work",
      apiKey: PROVIDER_KEY,
      baseUrl: "ftp://x",
      priority: "1",
    }, { htmx: true });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="baseUrl-error"/);
    assert.ok(!bad.text.includes(PROVIDER_KEY), "the key was sent back in the re-filled form");
    const ok = await h.post("/providers/openai/connections", {
      name: "work",
      apiKey: PROVIDER_KEY,
      baseUrl: "http://127.0.0.1:9/v1",
      priority: "1",
      enabled: "on",
    });
    assert.equal(ok.status, 303);
    const flash = ok.res.headers.get("set-cookie")!.split(";")[0];
    assert.match(flash, /^sy_flash=/);
    const page = await h.get("/providers/openai", { cookie: `${h.cookie}; ${flash}` });
    assert.match(page.text, /Connection &quot;work&quot; added\./);
    assert.ok(!page.text.includes(PROVIDER_KEY));
    assert.match(page.text, /sk-…|sk-\.\.\./);
    const id = h.gw.state.connections.get("openai")![0].id;
    const test = await h.post(`/providers/openai/connections/${id}/test`, {}, { htmx: true });
    assert.match(test.text, /OK: HTTP 200 in \d+ ms, 2 models listed/);
    await h.post(`/providers/openai/connections/${id}/disable`, {}, { htmx: true });
    assert.equal(h.gw.state.connections.get("openai"), undefined);
    const edit = await h.post(`/providers/openai/connections/${id}`, {
      name: "renamed",
      apiKey: "",
      baseUrl: "http://127.0.0.1:9/v1",
      priority: "2",
      enabled: "on",
    }, { htmx: true });
    assert.equal(edit.status, 200);
    const conn = h.gw.state.connections.get("openai")![0];
    assert.equal(conn.name, "renamed");
    assert.equal(conn.apiKey, PROVIDER_KEY, "an empty key field keeps the stored key");
    await h.post("/providers/openai/strategy", { strategy: "p2c" }, { htmx: true });
    assert.equal(h.gw.state.settings.routing.providerStrategies.openai, "p2c");
    await h.post("/providers/openai/models", { modelId: "my-model" }, { htmx: true });
    assert.deepEqual(h.gw.state.customModels.get("openai"), ["my-model"]);
    const del = await h.post(`/providers/openai/connections/${id}/delete`, {}, { htmx: true });
    assert.match(del.text, /deleted/);
    assert.equal(h.gw.state.connections.get("openai"), undefined);
  } finally {
    await h.close();
  }
});

Deno.test("keys: create shows the key once; bad budget inline; revoke", async () => {
  const h = await harness();
  try {
    const bad = await h.post("/keys", { name: "ci", scopes: "inference", daily: "-1" }, { htmx: true });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="new-daily-error"/);
    const made = await h.post("/keys", { name: "ci", scopes: ["inference", "admin"], models: "openai/*", daily: "5" });
    assert.equal(made.status, 201);
    const key = /id="new-key" type="text" readonly value="(sy-[^"]+)"/.exec(made.text)?.[1];
    assert.ok(key);
    const list = await h.get("/keys");
    assert.ok(!list.text.includes(key!), "the key is shown again");
    assert.match(list.text, /role="progressbar"/);
    const row = [...h.gw.state.keysByHash.values()].find((k) => k.name === "ci")!;
    assert.deepEqual(row.scopes, ["inference", "admin"]);
    assert.deepEqual(row.budget, { daily: 5 });
    const revoked = await h.post(`/keys/${row.id}/delete`, {});
    assert.equal(revoked.status, 303);
    assert.equal(h.gw.state.keysByHash.size, 0);
  } finally {
    await h.close();
  }
});

Deno.test("combos: create, reorder, cycle refused inline, alias, fallback, route preview", async () => {
  const h = await harness();
  try {
    await h.post("/providers/openai/connections", { name: "a", apiKey: "sk-x", enabled: "on", priority: "1" });
    const made = await h.post("/combos", { name: "coding", strategy: "priority", models: "openai/a\nopenai/b 2" }, {
      htmx: true,
    });
    assert.equal(made.status, 200);
    const combo = h.gw.state.combos.get("coding")!;
    await h.post(`/combos/${combo.id}/move`, { index: "1", dir: "up" }, { htmx: true });
    assert.deepEqual(h.gw.state.combos.get("coding")!.models.map((m) => m.model), ["openai/b", "openai/a"]);
    const cycle = await h.post("/combos", { name: "loop", models: "loop" }, { htmx: true });
    assert.equal(cycle.status, 422);
    assert.match(cycle.text, /cycle/);
    assert.match(cycle.text, /id="combo-models-error"/);
    await h.post("/aliases", { pattern: "gpt-*", target: "openai/gpt-*" }, { htmx: true });
    assert.equal(h.gw.state.aliases[0].pattern, "gpt-*");
    await h.post("/fallback", { fallback: "openai/c" }, { htmx: true });
    assert.deepEqual(h.gw.state.settings.routing.fallbackChain, ["openai/c"]);
    const preview = await h.get("/combo-preview?model=coding", { "hx-request": "true" });
    assert.deepEqual([...preview.text.matchAll(/<li><code>([^<]+)<\/code>/g)].map((m) => m[1]), [
      "openai/b",
      "openai/a",
      "openai/c",
    ]);
    const unknown = await h.get("/combo-preview?model=nope", { "hx-request": "true" });
    assert.match(unknown.text, /class="error"/);
  } finally {
    await h.close();
  }
});

Deno.test("health: an open breaker shows with time left; force unlock and reset all clear it", async () => {
  const h = await harness();
  try {
    await h.post("/providers/openai/connections", { name: "a", apiKey: "sk-x", enabled: "on", priority: "1" });
    const id = h.gw.state.connections.get("openai")![0].id;
    const profile = h.gw.state.settings.resilience.profiles.apikey;
    for (let i = 0; i < profile.failureThreshold; i++) {
      h.gw.routing.health.onFailure(id, { action: "upstream", model: "gpt-4.1" }, profile);
    }
    const page = await h.get("/health");
    assert.match(page.text, /hx-trigger="every 10s"/);
    assert.match(page.text, /badge bad">open</);
    const unlocked = await h.post("/health/unlock", { connectionId: id }, { htmx: true });
    assert.match(unlocked.text, /Unlocked openai\/a\./);
    assert.equal(h.gw.routing.health.get(id)?.state ?? "closed", "closed");
    const reset = await h.post("/health/reset", {});
    assert.equal(reset.status, 303);
  } finally {
    await h.close();
  }
});

Deno.test("account: wrong current password inline; a change ends the other sessions only", async () => {
  const h = await harness();
  try {
    const other = await login(h.app, PASSWORD);
    const wrong = await h.post("/account/password", {
      current: "nope",
      next: "new-password-1",
      confirm: "new-password-1",
    }, {
      htmx: true,
    });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /id="current-error"/);
    const ok = await h.post("/account/password", {
      current: PASSWORD,
      next: "new-password-1",
      confirm: "new-password-1",
    }, { htmx: true });
    assert.match(ok.text, /1 other session\(s\) ended/);
    assert.equal((await h.get("/account")).status, 200, "this session survives");
    const res = await h.app.request("/account", { headers: { cookie: other } });
    assert.equal(res.status, 303, "the other session was ended");
  } finally {
    await h.close();
  }
});
