import assert from "node:assert/strict";
import { usageCsv, usageModel, usageRange } from "./usage.ts";

const NOW = Date.parse("2025-03-10T12:00:00Z");

Deno.test("usageRange() reads presets, custom UTC days (last day inclusive) and names bad input", () => {
  const week = usageRange({ range: "7d" }, NOW);
  assert.equal(week.bucket, "day");
  assert.equal(week.from, Date.parse("2025-03-04T00:00:00Z"));
  const day = usageRange({ range: "24h" }, NOW);
  assert.equal(day.bucket, "hour");
  assert.equal(day.to - day.from, 86_400_000);
  const custom = usageRange({ range: "custom", from: "2025-01-01", to: "2025-01-31" }, NOW);
  assert.equal(custom.from, Date.parse("2025-01-01T00:00:00Z"));
  assert.equal(custom.to, Date.parse("2025-02-01T00:00:00Z"));
  const bad = usageRange({ range: "custom", from: "2025-02-01", to: "2025-01-01" }, NOW);
  assert.match(bad.errors.to, /not be before/);
  assert.equal(bad.preset, "30d", "a bad custom range falls back to 30 days");
  assert.ok(usageRange({ from: "x", to: "2025-01-01" }, NOW).errors.from);
});

Deno.test("usageModel() fills empty buckets, names keys and builds CSV links", () => {
  const range = usageRange({ range: "7d" }, NOW);
  const row = { group: "k1", requests: 3, tokens: { input: 30, output: 9 }, cost: 0.5 };
  const m = usageModel({
    range,
    totals: { totalRequests: 3, totalTokens: { input: 30, output: 9 }, totalCost: 0.5, rows: [] },
    byProvider: [{ ...row, group: "openai" }],
    byModel: [{ ...row, group: "openai/gpt-4.1" }],
    byKey: [row, { ...row, group: "" }],
    series: [{ start: Date.parse("2025-03-09T00:00:00Z"), requests: 3, tokens: 39, cost: 0.5 }],
    keyNames: new Map([["k1", "ci"]]),
  });
  assert.equal(m.stats[0].value, "3");
  assert.equal((m.charts[0].svg.match(/<rect class="bar"/g) ?? []).length, 7);
  assert.equal(m.tables[2].rows[0].name, "ci");
  assert.equal(m.tables[2].rows[1].name, "(no key / dashboard)");
  assert.equal(m.tables[1].csv, "/usage/export.csv?range=7d&groupBy=model");
  assert.equal(m.empty, false);
});

Deno.test("usageCsv() quotes cells, defuses formulas and ends with the total", () => {
  const csv = usageCsv("model", {
    totalRequests: 2,
    totalTokens: { input: 3, output: 4 },
    totalCost: 0.25,
    rows: [{ group: '=cmd,"x"', requests: 2, tokens: { input: 3, output: 4 }, cost: 0.25 }],
  }, new Map());
  const lines = csv.trim().split("\r\n");
  assert.equal(lines[0], "group,requests,input_tokens,output_tokens,cost_usd");
  assert.equal(lines[1], `"'=cmd,""x""",2,3,4,0.25000000`);
  assert.equal(lines[2], "total,2,3,4,0.25000000");
});
