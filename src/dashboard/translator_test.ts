import assert from "node:assert/strict";
import { benchResultModel, completionText, liveRow, parsePrompts, promptsText } from "./translator.ts";
import { budgetsModel, pricingModel } from "./costs.ts";

Deno.test("parsePrompts() splits on --- lines, else one prompt per line; promptsText() round-trips", () => {
  assert.deepEqual(parsePrompts("one\n\ntwo\n"), ["one", "two"]);
  assert.deepEqual(parsePrompts("first\nline two\n---\nsecond"), ["first\nline two", "second"]);
  assert.deepEqual(parsePrompts(promptsText(["a\nb", "c"])), ["a\nb", "c"]);
});

Deno.test("benchResultModel() puts models side by side and marks the fastest and cheapest answer", () => {
  const call = { status: 200, answer: "hi", latencyMs: 100, tokensIn: 1, tokensOut: 2, cost: 0.01, route: "r" };
  const m = benchResultModel(["p"], ["a", "b", "c"], [
    { ...call, prompt: 0, model: "a" },
    { ...call, prompt: 0, model: "b", latencyMs: 50, cost: 0.02 },
    { ...call, prompt: 0, model: "c", status: 404, error: "no such model" },
  ]);
  const [a, b, c] = m.prompts[0].cells;
  assert.equal(b.fastest, true);
  assert.equal(a.cheapest, true);
  assert.equal(c.ok, false);
  assert.equal(c.answer, "404: no such model");
  assert.equal(m.totals[2].ok, 0);
});

Deno.test("completionText() and liveRow() read what the pages show", () => {
  assert.equal(completionText({ choices: [{ message: { content: "x" } }] }), "x");
  assert.equal(completionText({}), "");
  const row = liveRow({
    ts: Date.parse("2025-01-01T10:11:12Z"),
    requestId: "r",
    keyId: "k",
    surface: "openai",
    requestedModel: "m",
    status: 200,
    stream: true,
    tokensIn: 1,
    tokensOut: 2,
    latencyMs: 3,
    cost: 0,
    attempts: "openai:w/m=200",
  }, new Map([["k", "ci"]]));
  assert.equal(row.time, "10:11:12");
  assert.equal(row.key, "ci");
  assert.equal(row.flags, "stream");
});

Deno.test("budgetsModel() and pricingModel() shape the usage page's tabs", () => {
  const key = {
    id: "k",
    name: "ci",
    keyHint: "sy-…abcd",
    scopes: ["inference"],
    models: null,
    budget: { daily: 1 },
    source: "db",
    createdAt: 0,
    lastUsedAt: null,
  };
  const b = budgetsModel({
    keys: [key, { ...key, id: "f", source: "file" }],
    status: new Map([["k", [{
      period: "daily",
      limit: 1,
      spent: 0.9,
      resetsAt: "2025-01-02T00:00:00Z",
      warning: true,
      exceeded: false,
    }]]]),
  });
  assert.equal(b.rows[0].periods[0].pct, 90);
  assert.equal(b.rows[0].periods[0].cls, "warn");
  assert.deepEqual(b.keyOptions.map((o) => o.value), ["k"], "file keys cannot be edited");
  const entry = { provider: "openai", input: 1, output: 2, cachedInput: null, catalog: null };
  const p = pricingModel({
    entries: [
      { ...entry, id: "openai/a", model: "a", source: "catalog" },
      { ...entry, id: "openai/b", model: "b", source: "custom" },
    ],
    q: "OPENAI",
    providers: [],
  });
  assert.deepEqual(p.rows.map((r) => r.id), ["openai/b", "openai/a"]);
  assert.equal(
    pricingModel({ entries: [{ ...entry, id: "x/y", model: "y", source: "catalog" }], q: "gpt", providers: [] }).total,
    0,
  );
});
