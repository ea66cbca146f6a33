import assert from "node:assert/strict";
import { logDetailModel, prettyBody, winnerIndex } from "./log_detail.ts";
import { type LogRowInput, logsHref, logsModel, parseLogQuery } from "./logs.ts";

const T = Date.UTC(2026, 0, 2, 3, 4, 5);

function row(over: Partial<LogRowInput> = {}): LogRowInput {
  return {
    id: 10,
    ts: T,
    requestId: "req_abc",
    keyId: "k1",
    surface: "openai",
    requestedModel: "coding",
    provider: "anthropic",
    connectionId: "c2",
    model: "claude-sonnet-4-5",
    status: 200,
    stream: true,
    tokensIn: 1234,
    tokensOut: 56,
    estimated: false,
    cached: false,
    latencyMs: 812,
    ttftMs: 140,
    cost: 0.0021,
    errorCode: null,
    steps: [
      { provider: "openai", connection: "work", model: "gpt-4.1", status: 429 },
      { provider: "anthropic", connection: "personal", model: "claude-sonnet-4-5", status: 200 },
    ],
    ...over,
  };
}

const names = {
  keys: [{ id: "k1", name: "laptop" }, { id: "k0", name: "ci" }],
  connections: [
    { id: "c1", provider: "openai", name: "work" },
    { id: "c2", provider: "anthropic", name: "personal" },
  ],
};

Deno.test("parseLogQuery() turns form fields into a store filter, empty fields meaning any", () => {
  const q = parseLogQuery({
    statusClass: "5xx",
    status: " 502 ",
    model: "openai/gpt-4.1",
    key: "k1",
    provider: "openai",
    connection: "c1",
    surface: "gemini",
    from: "2026-01-02T03:04",
    to: "2026-01-03T00:00:30",
    q: "abc",
    cursor: "991",
    unrelated: "x",
  });
  assert.deepEqual(q.errors, {});
  assert.deepEqual(q.filter, {
    statusClass: 5,
    status: 502,
    model: "openai/gpt-4.1",
    keyId: "k1",
    provider: "openai",
    connectionId: "c1",
    surface: "gemini",
    from: Date.UTC(2026, 0, 2, 3, 4),
    to: Date.UTC(2026, 0, 3, 0, 0, 30),
    q: "abc",
  });
  assert.equal(q.cursor, 991);
  assert.equal(q.values.status, "502");
  assert.deepEqual(parseLogQuery({ statusClass: "", status: "", q: "  " }), {
    filter: {},
    cursor: undefined,
    values: {},
    errors: {},
  });
});

Deno.test("parseLogQuery() reports each bad field inline and a broken cursor as a form error", () => {
  const q = parseLogQuery({
    statusClass: "7xx",
    status: "abc",
    from: "yesterday",
    q: "x".repeat(201),
    cursor: "-4",
  });
  assert.deepEqual(Object.keys(q.errors).sort(), ["_form", "from", "q", "status", "statusClass"]);
  assert.equal(q.cursor, undefined);
  assert.equal(parseLogQuery({ status: "99" }).errors.status, "A status code from 100 to 599.");
  assert.equal(parseLogQuery({ status: "600" }).errors.status, "A status code from 100 to 599.");
  const backwards = parseLogQuery({ from: "2026-01-02T00:00", to: "2026-01-01T00:00" });
  assert.equal(backwards.errors.to, "Must be after From.");
  assert.equal(
    parseLogQuery({ from: "2026-13-01T00:00" }).errors.from,
    "A date and time (UTC), like 2026-01-02T15:04.",
  );
});

Deno.test("logsHref() keeps the filters in field order and adds the cursor", () => {
  assert.equal(logsHref({}), "/logs");
  assert.equal(logsHref({ q: "a b", statusClass: "4xx" }, 77), "/logs?statusClass=4xx&q=a+b&cursor=77");
});

Deno.test("logsModel() formats rows, names keys, links details and pages with the filters", () => {
  const query = parseLogQuery({ provider: "anthropic", cursor: "500" });
  const m = logsModel({
    query,
    rows: [row(), row({ keyId: "gone", estimated: true, cached: true })],
    nextCursor: 9,
    ...names,
  });
  const [r, r2] = m.rows;
  assert.equal(r.href, `/logs/req_abc?ts=${T}`);
  assert.equal(r.time, "2026-01-02 03:04:05");
  assert.equal(r.key, "laptop");
  assert.equal(r2.key, "gone");
  assert.equal(r.tokens, "1,234 / 56");
  assert.equal(r.latency, "812 ms");
  assert.equal(r.ttft, "140 ms");
  assert.equal(r.cost, "$0.0021");
  assert.equal(r.statusCls, "ok");
  assert.deepEqual(r.route.map((s) => [s.label, s.cls]), [
    ["openai:work/gpt-4.1", "warn"],
    ["anthropic:personal/claude-sonnet-4-5", "ok"],
  ]);
  assert.ok(r2.estimated && r2.cached);
  assert.equal(m.olderHref, "/logs?provider=anthropic&cursor=9");
  assert.equal(m.newestHref, "/logs?provider=anthropic");
  assert.ok(m.filtered);
  assert.equal(m.scanMore, false);
  assert.deepEqual(m.options.key.map((o) => o.label), ["Any key", "ci", "laptop"]);
  assert.deepEqual(m.options.provider.map((o) => o.value), ["", "anthropic", "openai"]);
  assert.deepEqual(m.options.connection.map((o) => o.label), ["Any connection", "anthropic/personal", "openai/work"]);
});

Deno.test("logsModel() keeps a filter value that is no longer configured, and flags a scan to continue", () => {
  const m = logsModel({ query: parseLogQuery({ provider: "old" }), rows: [], nextCursor: 40_000, ...names });
  assert.deepEqual(m.options.provider.at(-1), { value: "old", label: "old" });
  assert.ok(m.scanMore);
  assert.equal(m.newestHref, null);
  const last = logsModel({
    query: parseLogQuery({}),
    rows: [row({ status: 502, keyId: null })],
    nextCursor: null,
    ...names,
  });
  assert.equal(last.olderHref, null);
  assert.equal(last.rows[0].statusCls, "bad");
  assert.equal(last.rows[0].key, "–");
  assert.equal(last.filtered, false);
});

Deno.test("winnerIndex() marks the last attempt on the resolved provider and model, none for a failure", () => {
  const steps = row().steps;
  assert.equal(winnerIndex(steps, "anthropic", "claude-sonnet-4-5"), 1);
  assert.equal(winnerIndex(steps, null, null), -1);
  assert.equal(winnerIndex([], "openai", "gpt-4.1"), -1);
});

Deno.test("logDetailModel() shows the trace with the winner, timings, tokens, cost and pretty bodies", () => {
  const detail = {
    ...row(),
    tokensCached: 1000,
    tokensReasoning: 12,
    tokensCacheWrite: 0,
  };
  const m = logDetailModel({
    requestId: "req_abc",
    rows: [detail],
    bodies: { request: '{"model":"coding","messages":[]}', response: "data: {}\n\n", truncated: true },
    requestLogs: true,
    ...names,
  });
  const e = m.entries[0];
  assert.deepEqual(e.trace.map((s) => [s.n, s.status, s.cls, s.winner]), [[1, 429, "warn", false], [
    2,
    200,
    "ok",
    true,
  ]]);
  assert.equal(e.time, "2026-01-02 03:04:05 UTC");
  assert.deepEqual(e.facts.find((f) => f.label === "Connection"), { label: "Connection", value: "anthropic/personal" });
  assert.deepEqual(e.facts.find((f) => f.label === "API key"), { label: "API key", value: "laptop" });
  assert.deepEqual(e.tokens.map((t) => t.value), ["1,234", "56", "1,000", "0", "12"]);
  assert.deepEqual(e.timings.map((t) => t.value), ["812 ms", "140 ms", "2"]);
  assert.equal(e.cost, "$0.0021");
  assert.deepEqual(m.bodies, [
    { title: "Request body", text: '{\n  "model": "coding",\n  "messages": []\n}' },
    { title: "Response body", text: "data: {}\n\n" },
  ]);
  assert.ok(m.truncated);
  assert.equal(m.bodiesHint, "");
});

Deno.test("logDetailModel() explains missing bodies in one line, by whether logging is on", () => {
  const base = { requestId: "r", rows: [], bodies: null, ...names };
  assert.equal(
    logDetailModel({ ...base, requestLogs: false }).bodiesHint,
    "Request bodies are not kept: start with ENABLE_REQUEST_LOGS=true.",
  );
  assert.match(logDetailModel({ ...base, requestLogs: true }).bodiesHint, /^No body was stored/);
});

Deno.test("prettyBody() indents JSON and leaves anything else as stored", () => {
  assert.equal(prettyBody('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(prettyBody('{"a":1'), '{"a":1');
  assert.equal(prettyBody("<b>x</b>"), "<b>x</b>");
});
