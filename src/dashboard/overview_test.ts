import assert from "node:assert/strict";
import { type DailyRow, overviewModel } from "./overview.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 15, 12);
const TODAY = Math.floor(NOW / DAY);

function row(day: number, provider: string, model: string, requests: number, errors = 0, cost = 0.5): DailyRow {
  return { day, provider, model, requests, tokensIn: requests * 10, tokensOut: requests * 5, cost, errors };
}

const base = {
  now: NOW,
  version: "1.2.3",
  startedAt: NOW - 3_725_000,
  providers: [],
  keys: 2,
  health: [],
  recent: [],
};

Deno.test("overviewModel() totals today, 7 and 30 days from daily rows", () => {
  const m = overviewModel({
    ...base,
    daily: [
      row(TODAY, "openai", "gpt-4.1", 10, 1),
      row(TODAY - 3, "anthropic", "claude", 20, 0),
      row(TODAY - 20, "openai", "gpt-4.1", 70, 7),
      row(TODAY - 40, "openai", "gpt-4.1", 1000, 0),
    ],
  });
  assert.equal(m.uptime, "1h 2m");
  const requests = m.stats.find((s) => s.label === "Requests")!;
  assert.deepEqual([requests.today, requests.week, requests.month], ["10", "30", "100"]);
  const rate = m.stats.find((s) => s.label === "Error rate")!;
  assert.deepEqual([rate.today, rate.week, rate.month], ["10.0%", "3.3%", "8.0%"]);
  assert.equal(rate.cls, "warn");
  assert.equal(m.stats.find((s) => s.label === "Cost")!.month, "$1.50");
});

Deno.test("overviewModel() ranks top models and providers over 7 days with shares", () => {
  const m = overviewModel({
    ...base,
    daily: [
      row(TODAY, "openai", "gpt-4.1", 30),
      row(TODAY - 1, "anthropic", "claude", 10),
      row(TODAY - 9, "x", "y", 999),
    ],
  });
  assert.deepEqual(m.topModels.map((t) => [t.name, t.share]), [["openai/gpt-4.1", 75], ["anthropic/claude", 25]]);
  assert.deepEqual(m.topProviders.map((t) => t.name), ["openai", "anthropic"]);
});

Deno.test("overviewModel() draws four 30-day charts and lists breakers and cooldowns", () => {
  const m = overviewModel({
    ...base,
    daily: [],
    health: [
      {
        connection: "openai/a",
        state: "open",
        openUntil: NOW + 90_000,
        cooldownUntil: null,
        cooldownReason: null,
        lockouts: 0,
      },
      {
        connection: "openai/b",
        state: "closed",
        openUntil: null,
        cooldownUntil: NOW + 5_000,
        cooldownReason: "rate_limited",
        lockouts: 1,
      },
      {
        connection: "openai/c",
        state: "closed",
        openUntil: null,
        cooldownUntil: NOW - 1,
        cooldownReason: null,
        lockouts: 0,
      },
    ],
  });
  assert.equal(m.charts.length, 4);
  for (const c of m.charts) assert.match(c.svg, /^<svg /);
  assert.equal([...m.charts[0].svg.matchAll(/<rect class="bar"/g)].length, 30);
  assert.deepEqual(m.alerts.map((a) => `${a.connection} ${a.what} ${a.left}`), [
    "openai/a breaker open 1m 30s",
    "openai/b cooldown (rate_limited) 5s",
    "openai/b 1 model lockout(s) ",
  ]);
  assert.equal(m.empty, true);
});
