/** In-process handler tests of the logs pages: `app.request()` against a real store in a temp folder. */
import assert from "node:assert/strict";
import { createUsageWriter, insertApiKey, insertBodies, insertConnection, type UsageRecord } from "../../store/mod.ts";
import { type DashboardSession, startDashboardSession } from "../../../tests/helpers/dashboard_session.ts";

const PASSWORD = "logs-test-password";
const T0 = Date.UTC(2026, 0, 2, 3, 0, 0);

type Harness = DashboardSession;

function usage(i: number, over: Partial<UsageRecord> = {}): UsageRecord {
  const failed = i % 10 === 9;
  return {
    ts: T0 + i * 1000,
    requestId: `req_${String(i).padStart(4, "0")}`,
    keyId: "key-a",
    surface: i % 2 ? "anthropic" : "openai",
    requestedModel: "coding",
    provider: failed ? null : "anthropic",
    connectionId: failed ? null : "conn-b",
    model: failed ? null : "claude-sonnet-4-5",
    status: failed ? 502 : 200,
    stream: true,
    tokensIn: 1200 + i,
    tokensOut: 80,
    tokensCached: 600,
    tokensReasoning: 9,
    estimated: false,
    latencyMs: 900,
    ttftMs: 150,
    cost: 0.0031,
    attempts: failed
      ? "openai:work/gpt-4.1=500, anthropic:personal/claude-sonnet-4-5=502"
      : "openai:work/gpt-4.1=429, anthropic:personal/claude-sonnet-4-5=200",
    errorCode: failed ? "upstream_error" : null,
    ...over,
  };
}

async function harness(env: Record<string, string> = {}): Promise<Harness> {
  const h = await startDashboardSession({
    password: PASSWORD,
    prefix: "sy-dash-logs-",
    fetch: () => Promise.resolve(new Response("no", { status: 500 })),
    env: () => env,
  });
  const gw = h.gw;
  insertApiKey(gw.db, {
    id: "key-a",
    name: "laptop",
    keyHash: "h",
    keyHint: "sy-…abcd",
    scopes: ["inference"],
    models: null,
    budget: null,
    source: "api",
  }, T0);
  const conn = { apiKeyEnc: null, keyHint: null, baseUrl: null, enabled: true, models: null, proxy: null } as const;
  insertConnection(gw.db, { ...conn, provider: "openai", name: "work", priority: 1, source: "api" }, T0);
  const personal = insertConnection(gw.db, {
    ...conn,
    provider: "anthropic",
    name: "personal",
    priority: 1,
    source: "api",
  }, T0);
  const writer = createUsageWriter(gw.db);
  for (let i = 0; i < 120; i++) void writer.record(usage(i, { connectionId: i % 10 === 9 ? null : personal.id }));
  writer.flush();
  return h;
}

Deno.test("logs pages: 303 to /login without a session, HX-Redirect for htmx", async () => {
  const h = await harness();
  try {
    for (const path of ["/logs", "/logs/req_0001"]) {
      const res = await h.app.request(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get("location"), "/login");
      const hx = await h.app.request(path, { headers: { "hx-request": "true" } });
      assert.equal(hx.status, 401);
      assert.equal(hx.headers.get("hx-redirect"), "/login");
    }
  } finally {
    await h.close();
  }
});

Deno.test("/logs: newest 50 with key names, route trace and an Older link that pages with the filters", async () => {
  const h = await harness();
  try {
    const page = await h.get("/logs");
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="\/logs" aria-current="page">Logs<\/a>/);
    assert.equal(page.text.match(/<tr>/g)?.length, 50 + 1);
    assert.match(page.text, /href="\/logs\/req_0119\?ts=\d+"/);
    assert.ok(!page.text.includes("/logs/req_0069?"), "page one stops at 50 rows");
    assert.match(page.text, /<td data-label="Key">laptop<\/td>/);
    assert.match(page.text, /openai:work\/gpt-4.1 <span class="warn">429<\/span>/);
    assert.match(page.text, /1,319 \/ 80/);
    assert.match(page.text, /<option value="key-a">laptop<\/option>/);
    assert.match(page.text, /<option value="[^"]+">anthropic\/personal<\/option>/);
    const older = /href="(\/logs\?cursor=\d+)"[^>]*rel="next"/.exec(page.text)![1];
    const two = await h.get(older);
    assert.match(two.text, /href="\/logs\/req_0069\?ts=\d+"/);
    assert.ok(!two.text.includes('href="/logs/req_0070?'));
    assert.match(two.text, /href="\/logs"[^>]*>Newest</);

    const bad = await h.get("/logs?statusClass=5xx");
    const ids = [...bad.text.matchAll(/href="\/logs\/(req_\d+)\?ts=\d+"/g)].map((m) => m[1]);
    assert.equal(ids.length, 12);
    assert.ok(ids.every((id) => Number(id.slice(4)) % 10 === 9));
    assert.match(bad.text, /<option value="5xx" selected>/);
    assert.match(bad.text, /upstream_error/);

    const part = await h.get("/logs?q=req_011&surface=anthropic", { "hx-request": "true" });
    assert.ok(!part.text.includes("<html"));
    const found = [...part.text.matchAll(/href="\/logs\/(req_\d+)\?ts=\d+"/g)].map((m) => m[1]);
    assert.deepEqual(found, ["req_0119", "req_0117", "req_0115", "req_0113", "req_0111"]);
    assert.match(part.text, /<h1>Logs<\/h1>/);
  } finally {
    await h.close();
  }
});

Deno.test("/logs: bad filters answer 422 with the errors inline and the values kept", async () => {
  const h = await harness();
  try {
    const res = await h.get("/logs?status=abc&from=2026-01-02T05:00&to=2026-01-02T04:00&model=%3Cb%3E", {
      "hx-request": "true",
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="log-status"[^>]*aria-invalid="true"/);
    assert.match(res.text, /id="log-status-error" class="field-error">A status code from 100 to 599./);
    assert.match(res.text, /id="log-to-error" class="field-error">Must be after From./);
    assert.match(res.text, /value="&lt;b&gt;"/);
    assert.match(res.text, /Fix the filter above/);
    assert.ok(!res.text.includes("/logs/req_"));
    const broken = await h.get("/logs?cursor=xyz");
    assert.equal(broken.status, 200);
    assert.match(broken.text, /That paging link is broken/);
    assert.match(broken.text, /href="\/logs\/req_0119\?ts=\d+"/);
  } finally {
    await h.close();
  }
});

Deno.test("/logs/:requestId: trace with the winner, timings, tokens, cost; escaped bodies when stored", async () => {
  const h = await harness({ ENABLE_REQUEST_LOGS: "true" });
  try {
    insertBodies(h.gw.db, [{
      requestId: "req_0118",
      ts: T0 + 118_000,
      request: '{"messages":[{"role":"user","content":"<script>alert(1)</script>"}]}',
      response: 'data: {"x":1}\n\n',
      truncated: false,
    }]);
    const page = await h.get("/logs/req_0118");
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Request <code>req_0118<\/code><\/h1>/);
    assert.match(page.text, /<li><code>openai:work\/gpt-4.1<\/code> <span class="badge warn">429<\/span><\/li>/);
    assert.match(page.text, /<li class="winner"><code>anthropic:personal\/claude-sonnet-4-5<\/code>/);
    assert.match(page.text, /<dt>Time to first token<\/dt><dd>150 ms<\/dd>/);
    assert.match(page.text, /<dt>Cached input<\/dt><dd>600<\/dd>/);
    assert.match(page.text, /<dt>Reasoning<\/dt><dd>9<\/dd>/);
    assert.match(page.text, /<dt>Cost<\/dt><dd>\$0.0031<\/dd>/);
    assert.match(page.text, /<dt>API key<\/dt><dd>laptop<\/dd>/);
    assert.match(page.text, /<pre class="body"[^>]*>\{\n {2}&quot;messages&quot;/);
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(!page.text.includes("<script>alert"));
    assert.ok(!page.text.includes("ENABLE_REQUEST_LOGS=true"));

    const noBody = await h.get("/logs/req_0119", { "hx-request": "true" });
    assert.match(noBody.text, /No body was stored for this request/);
    assert.ok(!noBody.text.includes('class="winner"'), "a 502 has no winner");
    assert.ok(!noBody.text.includes("<html"));

    const hinted = await h.get(`/logs/req_0005?ts=${T0 + 5000}`);
    assert.match(hinted.text, /<h1>Request <code>req_0005<\/code><\/h1>/);
    for (const ts of ["abc", String(T0)]) {
      assert.match((await h.get(`/logs/req_0005?ts=${ts}`)).text, /<dt>Input<\/dt><dd>1,205<\/dd>/, ts);
    }
    const missing = await h.get("/logs/req_nope");
    assert.equal(missing.status, 404);
    assert.match(missing.text, /No request <code>req_nope<\/code> in the logs/);
  } finally {
    await h.close();
  }
});

Deno.test("/logs/:requestId without ENABLE_REQUEST_LOGS says how to keep bodies; the overview links here", async () => {
  const h = await harness();
  try {
    const page = await h.get("/logs/req_0001");
    assert.match(page.text, /Request bodies are not kept: start with ENABLE_REQUEST_LOGS=true./);
    const overview = await h.get("/");
    assert.match(overview.text, /<a href="\/logs\/req_0119\?ts=\d+"/);
    assert.match(overview.text, /<a href="\/logs">All requests in the logs<\/a>/);
  } finally {
    await h.close();
  }
});
