/**
 * Handler tests of the usage, settings, translator and CLI-tools pages: `app.request()` against a real store in a
 * temp folder and a fake OpenAI upstream (JSON and SSE answers with usage).
 */
import assert from "node:assert/strict";
import { type DashboardSession, startDashboardSession } from "../../../tests/helpers/dashboard_session.ts";
import { createConnectionOp } from "../manage/connections.ts";
import { createKeyOp } from "../manage/keys.ts";

const PASSWORD = "tools-test-password";

const upstream: typeof fetch = (input, init) => Promise.resolve(answer(input, init));

function answer(input: RequestInfo | URL, init?: RequestInit): Response {
  const url = String(input instanceof Request ? input.url : input);
  if (url.endsWith("/models")) return Response.json({ data: [{ id: "gpt-4.1" }] });
  const body = JSON.parse(String(init?.body ?? "{}"));
  const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
  if (!body.stream) {
    return Response.json({
      id: "c1",
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: `echo: ${body.messages.at(-1).content}` },
        finish_reason: "stop",
      }],
      usage,
    });
  }
  const chunk = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: body.model };
  const text = chunk({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "streamed hi" } }] }) +
    chunk({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
    chunk({ ...base, choices: [], usage }) + "data: [DONE]\n\n";
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

type H = DashboardSession;

async function harness(): Promise<H> {
  return await startDashboardSession({
    password: PASSWORD,
    prefix: "sy-dash-tools-",
    fetch: upstream,
    env: (root) => ({ HOME: `${root}/home` }),
  });
}

async function withConnection(h: H): Promise<void> {
  await createConnectionOp(h.gw, {
    provider: "openai",
    name: "work",
    apiKey: "sk-x-0123456789",
    baseUrl: "http://127.0.0.1:9/v1",
  });
}

const TABBED = [
  "/usage",
  "/usage?tab=budgets",
  "/usage?tab=pricing",
  "/settings",
  "/settings?tab=routing",
  "/settings?tab=resilience",
  "/settings?tab=ai",
  "/settings?tab=advanced",
  "/translator",
  "/translator?tab=chat",
  "/translator?tab=bench",
  "/translator?tab=live",
  "/cli-tools",
];

Deno.test("tool pages: login required; full page or htmx fragment; each tab renders", async () => {
  const h = await harness();
  try {
    for (const path of TABBED) {
      assert.equal((await h.app.request(path)).status, 303, path);
      const full = await h.get(path);
      assert.equal(full.status, 200, `${path}: ${full.text.slice(0, 300)}`);
      assert.match(full.text, /^<!doctype html>/);
      const part = await h.get(path, { "hx-request": "true" });
      assert.ok(!part.text.includes("<html"), path);
      assert.match(part.text, /<h1>/);
    }
    assert.equal((await h.app.request("/dashboard/live")).status, 303);
  } finally {
    await h.close();
  }
});

Deno.test("usage: prices and budgets edit inline with 422 errors; CSV export by key", async () => {
  const h = await harness();
  try {
    const bad = await h.post("/usage/pricing", { provider: "openai", model: "m", input: "-1", output: "2" }, {
      htmx: true,
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="price-input-error"/);
    const ok = await h.post("/usage/pricing", { provider: "openai", model: "my-model", input: "1.5", output: "3" }, {
      htmx: true,
    });
    assert.match(ok.text, /Price of openai\/my-model saved/);
    assert.match((await h.get("/usage?tab=pricing&q=my-model")).text, /badge warn">custom/);
    const reset = await h.post("/usage/pricing/delete", { provider: "openai", model: "my-model" }, { htmx: true });
    assert.match(reset.text, /removed/);
    const { row } = await createKeyOp(h.gw, { name: "ci", scopes: ["inference"] });
    const badBudget = await h.post("/usage/budgets", { keyId: row.id, period: "daily", limit: "0" }, { htmx: true });
    assert.equal(badBudget.status, 422);
    assert.match(badBudget.text, /id="budget-limit-error"/);
    const set = await h.post("/usage/budgets", { keyId: row.id, period: "daily", limit: "5" });
    assert.equal(set.status, 303);
    assert.match((await h.get("/usage?tab=budgets")).text, /role="progressbar" aria-label="daily budget of ci"/);
    await h.post("/usage/budgets", { keyId: row.id, period: "daily", limit: "" }, { htmx: true });
    assert.equal(h.gw.state.keysByHash.size, 1);
    assert.equal([...h.gw.state.keysByHash.values()][0].budget, null);
    const csv = await h.get("/usage/export.csv?range=7d&groupBy=key");
    assert.match(csv.res.headers.get("content-type")!, /text\/csv/);
    assert.match(csv.text, /^group,requests,/);
    const badRange = await h.get("/usage?range=custom&from=2025-02-01&to=2025-01-01");
    assert.equal(badRange.status, 422);
    assert.match(badRange.text, /id="range-to-error"/);
  } finally {
    await h.close();
  }
});

Deno.test("settings: a tab saves through the settings patch; a bad value is a 422 on its field", async () => {
  const h = await harness();
  try {
    const saved = await h.post("/settings/routing", {
      "routing.accountStrategy": "p2c",
      "routing.stickyLimit": "4",
      "routing.comboStrategy": "random",
      "routing.fallbackChain": "openai/gpt-4.1",
    }, { htmx: true });
    assert.equal(saved.status, 200);
    assert.match(saved.text, /Routing settings saved/);
    assert.equal(h.gw.state.settings.routing.accountStrategy, "p2c");
    assert.deepEqual(h.gw.state.settings.routing.fallbackChain, ["openai/gpt-4.1"]);
    const bad = await h.post("/settings/routing", {
      "routing.accountStrategy": "p2c",
      "routing.stickyLimit": "0",
      "routing.comboStrategy": "random",
    }, { htmx: true });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="s-routing-stickyLimit-error"/);
    const json = await h.post("/settings/resilience", { "resilience.rateLimitOverrides": "{" }, { htmx: true });
    assert.match(json.text, /id="s-resilience-rateLimitOverrides-error"/);
    const ai = await h.post("/settings/ai", {
      "ai.systemPrompt": "Be kind.",
      "ai.systemPromptMode": "append",
      "ai.thinkingMode": "off",
      "ai.thinkingBudget": "100",
      "ai.thinkingEffort": "low",
    }, { htmx: true });
    assert.equal(ai.status, 200);
    assert.equal(h.gw.state.settings.ai.systemPrompt, "Be kind.");
    await h.post("/settings/security", { "security.blockedProviders": ["groq"] }, { htmx: true });
    assert.deepEqual(h.gw.state.settings.security.blockedProviders, ["groq"]);
  } finally {
    await h.close();
  }
});

Deno.test("settings: export the database and import it back (pre-import backup); a bad file is refused inline", async () => {
  const h = await harness();
  try {
    const exported = await h.get("/settings/db/export");
    assert.equal(exported.res.headers.get("content-type"), "application/vnd.sqlite3");
    const bytes = new Uint8Array(
      await (await h.app.request("/settings/db/export", { headers: { cookie: h.cookie } })).arrayBuffer(),
    );
    const all = await h.app.request("/settings/db/export-all", { headers: { cookie: h.cookie } });
    assert.equal(all.headers.get("content-type"), "application/gzip");
    await all.body?.cancel();
    const send = async (data: Uint8Array) => {
      const fd = new FormData();
      fd.append("_csrf", h.csrf);
      fd.append("file", new File([data as BlobPart], "store.sqlite"));
      const res = await h.app.request("/settings-import", {
        method: "POST",
        headers: { cookie: h.cookie, "hx-request": "true" },
        body: fd,
      });
      return { status: res.status, text: await res.text() };
    };
    const bad = await send(new TextEncoder().encode("not a database"));
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="import-file-error"/);
    const ok = await send(bytes);
    assert.equal(ok.status, 200, ok.text.slice(0, 400));
    assert.match(ok.text, /Imported store\.sqlite\. The previous store was saved as backups\/pre-import-/);
    const backups = [...Deno.readDirSync(`${h.root}/data/backups`)].map((e) => e.name);
    assert.ok(backups.some((n) => n.startsWith("pre-import-")));
  } finally {
    await h.close();
  }
});

Deno.test("translator: playground translates inline; chat streams through the proxy into usage and the live feed", async () => {
  const h = await harness();
  try {
    const t = await h.post("/translator/translate", {
      from: "openai",
      to: "anthropic",
      kind: "request",
      body: JSON.stringify({
        model: "openai/gpt-4.1",
        messages: [{ role: "system", content: "S" }, { role: "user", content: "u" }],
      }),
    }, { htmx: true });
    assert.equal(t.status, 200);
    assert.match(t.text, /&quot;system&quot;/);
    const bad = await h.post("/translator/translate", { from: "openai", to: "anthropic", body: "{" }, { htmx: true });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="pg-body-error"/);

    await withConnection(h);
    const live = await h.app.request("/dashboard/live", { headers: { cookie: h.cookie } });
    assert.equal(live.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
    const chat = await h.post("/translator/chat", { model: "openai/gpt-4.1", message: "hello" });
    assert.equal(chat.status, 200);
    assert.match(chat.text, /streamed hi/);
    let seen = "";
    while (!seen.includes("event: usage")) seen += (await reader.read()).value ?? "";
    assert.match(seen, /"model":"openai\/gpt-4\.1"/);
    await reader.cancel();
    assert.equal(h.gw.events.size(), 0, "the live client unsubscribed");
    const usage = await h.get("/usage");
    assert.match(usage.text, /openai\/gpt-4\.1/);
    const missing = await h.post("/translator/chat", { model: "openai/gpt-4.1", message: "" });
    assert.equal(missing.status, 400);
  } finally {
    await h.close();
  }
});

Deno.test("translator: bench sets are saved in the store and run against several models side by side", async () => {
  const h = await harness();
  try {
    await withConnection(h);
    const empty = await h.post("/translator/bench/sets", { name: "", prompts: "" }, { htmx: true });
    assert.equal(empty.status, 422);
    assert.match(empty.text, /id="set-name-error"/);
    const saved = await h.post("/translator/bench/sets", { name: "basics", prompts: "one\ntwo" }, { htmx: true });
    assert.match(saved.text, /Prompt set &quot;basics&quot; saved \(2 prompts\)/);
    const id = /name="setId"[\s\S]*?<option value="([^"]+)"/.exec(saved.text)![1];
    const run = await h.post("/translator/bench/run", { setId: id, models: "openai/gpt-4.1\nnope-model" }, {
      htmx: true,
    });
    assert.equal(run.status, 200);
    assert.match(run.text, /echo: one/);
    assert.match(run.text, /echo: two/);
    assert.match(run.text, /404: /);
    const del = await h.post(`/translator/bench/sets/${id}/delete`, {}, { htmx: true });
    assert.match(del.text, /deleted/);
  } finally {
    await h.close();
  }
});

Deno.test("cli tools: snippets with a fresh key; write-it-for-me only for a local client, diff first, backup kept", async () => {
  const h = await harness();
  try {
    const page = await h.get("/cli-tools?model=coding");
    assert.match(page.text, /ANTHROPIC_BASE_URL=&#39;http:\/\/localhost&#39;/);
    assert.ok(!page.text.includes("for me…"), "no write button for a non-local client");
    const made = await h.post("/cli-tools-key", { name: "tools", model: "coding" });
    assert.equal(made.status, 201);
    const key = /id="new-key" type="text" readonly value="(sy-[^"]+)"/.exec(made.text)![1];
    assert.ok(made.text.includes(`ANTHROPIC_API_KEY=&#39;${key}&#39;`));
    const remote = await h.post("/cli-tools/codex/preview", { model: "coding" }, { htmx: true });
    assert.equal(remote.status, 422);
    assert.match(remote.text, /only to a local browser/);

    const path = `${h.root}/home/.codex/config.toml`;
    await Deno.mkdir(`${h.root}/home/.codex`, { recursive: true });
    await Deno.writeTextFile(path, 'approval_policy = "never"\n');
    const preview = await h.post("/cli-tools/codex/preview", { model: "coding" }, { htmx: true, local: true });
    assert.equal(preview.status, 200);
    assert.match(preview.text, /class="add">\+ model = &quot;coding&quot;/);
    const base = /name="base" value="([0-9a-f]+)"/.exec(preview.text)![1];
    const wrote = await h.post("/cli-tools/codex/write", { model: "coding", base }, { htmx: true, local: true });
    assert.match(wrote.text, /Wrote .*config\.toml; the previous file is kept as/);
    const text = await Deno.readTextFile(path);
    assert.match(text, /approval_policy = "never"/);
    assert.match(text, /env_key = "SWITCHYARD_API_KEY"/);
    assert.ok(!text.includes("sy-"), "no key in the file");
    const stale = await h.post("/cli-tools/codex/write", { model: "other", base }, { htmx: true, local: true });
    assert.equal(stale.status, 422);
    assert.match(stale.text, /changed since the preview/);
    const backups = [...Deno.readDirSync(`${h.root}/home/.codex`)].filter((e) => e.name.includes("switchyard-backup"));
    assert.equal(backups.length, 1);
  } finally {
    await h.close();
  }
});
