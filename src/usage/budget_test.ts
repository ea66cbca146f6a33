import assert from "node:assert/strict";
import { GatewayError } from "../core/errors.ts";
import { createBudgetTracker } from "./budget.ts";

function tracker(start: number, recorded: Array<{ key: string; ts: number; cost: number }>) {
  let now = start;
  const t = createBudgetTracker({
    now: () => now,
    timeZone: () => "UTC",
    spentBetween: (key, from, to) =>
      recorded.filter((r) => r.key === key && r.ts >= from && r.ts < to).reduce((s, r) => s + r.cost, 0),
  });
  return { t, advance: (ms: number) => void (now += ms), setNow: (ms: number) => void (now = ms) };
}

Deno.test("check() lets spend under the limit through and refuses with 429 budget_exceeded at the limit", () => {
  const day = Date.parse("2026-12-02T10:00:00Z");
  const { t } = tracker(day, [{ key: "k", ts: day - 3600_000, cost: 0.9 }]);
  t.check("k", { daily: 1 });
  t.add("k", 0.1, day);
  assert.throws(() => t.check("k", { daily: 1 }), (err: unknown) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 429);
    assert.equal(err.code, "budget_exceeded");
    assert.match(err.message, /resets at 2026-12-03T00:00:00.000Z/);
    assert.equal(err.retryAfter, 14 * 3600);
    return true;
  });
});

Deno.test("spend from yesterday does not count today; the monthly limit still sees it", () => {
  const { t } = tracker(Date.parse("2026-12-02T00:30:00Z"), [
    { key: "k", ts: Date.parse("2026-12-01T23:00:00Z"), cost: 5 },
  ]);
  const s = t.status("k", { daily: 1, monthly: 5 });
  assert.deepEqual(s.map((x) => [x.period, x.spent, x.exceeded]), [["daily", 0, false], ["monthly", 5, true]]);
});

Deno.test("status() reports warning past warnAt and the period rolls over on its own", () => {
  const start = Date.parse("2026-12-02T23:59:00Z");
  const { t, advance } = tracker(start, []);
  t.status("k", { daily: 10, warnAt: 0.5 });
  t.add("k", 6, start);
  assert.equal(t.status("k", { daily: 10, warnAt: 0.5 })[0].warning, true);
  advance(120_000);
  const next = t.status("k", { daily: 10, warnAt: 0.5 })[0];
  assert.equal(next.spent, 0);
  assert.equal(next.resetsAt, "2026-12-04T00:00:00.000Z");
});
