import assert from "node:assert/strict";
import fc from "fast-check";
import { bucketOf, createLatencyRecorder, valueOf } from "./histogram.ts";

Deno.test("bucketOf()/valueOf(): every value's bucket stands for it within 5 %", () => {
  fc.assert(fc.property(fc.double({ min: 1, max: 3_600_000, noNaN: true }), (ms) => {
    const v = valueOf(bucketOf(ms));
    assert.ok(Math.abs(v - ms) / ms <= 0.05, `${ms} → ${v}`);
  }));
});

Deno.test("percentiles() matches exact percentiles of random samples within 5 %", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1, max: 100_000, noNaN: true }), { minLength: 50, maxLength: 2000 }),
      (samples) => {
        const rec = createLatencyRecorder({ now: () => 0 });
        for (const s of samples) rec.record("a", s);
        const sorted = [...samples].sort((x, y) => x - y);
        const exact = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
        const p = rec.percentiles("a", 5);
        assert.equal(p.count, samples.length);
        for (const [q, got] of [[0.5, p.p50], [0.95, p.p95], [0.99, p.p99]] as const) {
          const want = exact(q);
          assert.ok(Math.abs(got! - want) / want <= 0.06, `p${q * 100}: ${got} vs ${want}`);
        }
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("the window slides: minutes older than the window stop counting, memory stays bounded", () => {
  let now = 0;
  const rec = createLatencyRecorder({ now: () => now, minutes: 5, maxSeries: 3 });
  rec.record("a", 1000);
  now += 3 * 60_000;
  rec.record("a", 10);
  assert.equal(rec.percentiles("a", 5).count, 2);
  assert.equal(rec.percentiles("a", 1).count, 1);
  now += 10 * 60_000;
  assert.equal(rec.percentiles("a", 5).count, 0);
  for (const name of ["b", "c", "d", "e"]) rec.record(name, 1);
  assert.deepEqual(rec.series().sort(), ["a", "b", "c", "other"], "series beyond the cap are folded into other");
  assert.equal(rec.percentiles("other", 5).count, 2);
});
