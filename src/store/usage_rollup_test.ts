import assert from "node:assert/strict";
import fc from "fast-check";
import { openDb } from "./db.ts";
import { excessRows, pruneBodies, pruneRollups, pruneUsage } from "./retention.ts";
import { insertBodies } from "./usage_logs.ts";
import {
  rollupUsage,
  rollupWatermark,
  spentBetween,
  summarizeUsage,
  USAGE_GROUPS,
  type UsageSummary,
} from "./usage_rollup.ts";
import { insertSyntheticUsage } from "./usage_synthetic.ts";
import type { Db } from "./db.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

function withDb(fn: (db: Db) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "sy-rollup-" });
  const db = openDb(`${dir}/s.sqlite`);
  try {
    fn(db);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

/** The answer computed straight from raw rows, for comparison. */
function rawSummary(db: Db, from: number, to: number, group?: string): UsageSummary {
  const expr: Record<string, string> = {
    provider: "COALESCE(provider, '')",
    model: "COALESCE(provider || '/' || model, requested_model)",
    key: "COALESCE(key_id, '')",
    connection: "COALESCE(connection_id, '')",
    day: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')",
    hour: "strftime('%Y-%m-%dT%H:00:00Z', ts / 1000, 'unixepoch')",
  };
  const rows = db.prepare(
    `SELECT ${group ? expr[group] : "''"} AS g, COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_out) AS o,
       SUM(cost) AS c FROM usage WHERE ts >= ? AND ts < ? GROUP BY g ORDER BY n DESC, g`,
  ).all(from, to) as unknown as Array<{ g: string; n: number; i: number; o: number; c: number }>;
  const sum = (k: "n" | "i" | "o" | "c") => rows.reduce((a, r) => a + r[k], 0);
  return {
    totalRequests: sum("n"),
    totalTokens: { input: sum("i"), output: sum("o") },
    totalCost: sum("c"),
    rows: group ? rows.map((r) => ({ group: r.g, requests: r.n, tokens: { input: r.i, output: r.o }, cost: r.c })) : [],
  };
}

function assertSame(actual: UsageSummary, expected: UsageSummary): void {
  const round = (s: UsageSummary) => ({
    ...s,
    totalCost: +s.totalCost.toFixed(6),
    rows: s.rows.map((r) => ({ ...r, cost: +r.cost.toFixed(6) })),
  });
  assert.deepEqual(round(actual), round(expected));
}

Deno.test("summarizeUsage() over rollups + tail + partial hours equals the raw aggregate", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 6000, from: T0, to: T0 + 72 * HOUR, seed: 7 });
    // Fold only part of the rows: the rest is the tail the query adds from raw rows.
    rollupUsage(db, { maxRows: 2500 });
    rollupUsage(db, { maxRows: 1000 });
    assert.equal(rollupWatermark(db), 3500);
    const ranges: Array<[number, number]> = [
      [T0, T0 + 72 * HOUR],
      [T0 + 17 * 60_000, T0 + 50 * HOUR + 123_456],
      [T0 + 5 * HOUR + 1, T0 + 5 * HOUR + 40 * 60_000],
      [T0 + 30 * HOUR + 59 * 60_000, T0 + 32 * HOUR + 60_000],
      [T0 - 10 * HOUR, T0 + 1],
    ];
    for (const [from, to] of ranges) {
      assertSame(summarizeUsage(db, from, to), rawSummary(db, from, to));
      for (const g of USAGE_GROUPS) assertSame(summarizeUsage(db, from, to, g), rawSummary(db, from, to, g));
    }
    while (rollupUsage(db) > 0);
    assert.equal(rollupWatermark(db), 6000);
    assertSame(
      summarizeUsage(db, T0 + 1000, T0 + 70 * HOUR, "model"),
      rawSummary(db, T0 + 1000, T0 + 70 * HOUR, "model"),
    );
  });
});

Deno.test("pruneUsage() deletes only rolled-up rows, never the newest, by cap then by age", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 1000, from: T0, to: T0 + 10 * HOUR, seed: 3 });
    // Nothing is rolled up yet: nothing may go.
    assert.equal(pruneUsage(db, { before: T0 + 100 * HOUR, overCap: 0, batch: 100 }), 0);
    rollupUsage(db, { maxRows: 600 });
    assert.equal(excessRows(db, "usage", 900), 100);
    assert.equal(pruneUsage(db, { before: 0, overCap: 100, batch: 500 }), 100);
    const min = (db.prepare("SELECT MIN(id) AS id FROM usage").get() as { id: number }).id;
    assert.equal(min, 101);
    // By age: everything before the end, but only up to the watermark (600).
    let n = 0;
    for (let k; (k = pruneUsage(db, { before: T0 + 100 * HOUR, overCap: 0, batch: 200 })) > 0;) n += k;
    assert.equal(n, 500);
    while (rollupUsage(db) > 0);
    while (pruneUsage(db, { before: T0 + 100 * HOUR, overCap: 0, batch: 200 }) > 0);
    const left = db.prepare("SELECT id FROM usage").all() as unknown as Array<{ id: number }>;
    assert.deepEqual(left.map((r) => r.id), [1000]);
    // The rollups still answer for the deleted rows.
    assert.equal(summarizeUsage(db, T0, T0 + 10 * HOUR).totalRequests, 1000);
    assert.equal(pruneRollups(db, { before: T0 + 5 * HOUR, batch: 1000 }) > 0, true);
  });
});

Deno.test("pruneBodies() deletes the oldest bodies over the cap, then by age", () => {
  withDb((db) => {
    insertBodies(
      db,
      Array.from({ length: 30 }, (_, i) => ({
        requestId: `r${i}`,
        ts: T0 + i * 1000,
        request: "{}",
        response: null,
        truncated: false,
      })),
    );
    assert.equal(pruneBodies(db, { before: 0, overCap: excessRows(db, "request_bodies", 20), batch: 100 }), 10);
    assert.equal(pruneBodies(db, { before: T0 + 15_000, overCap: 0, batch: 100 }), 5);
    const ids = db.prepare("SELECT request_id AS r FROM request_bodies ORDER BY ts").all() as unknown as Array<
      { r: string }
    >;
    assert.equal(ids[0].r, "r15");
    assert.equal(ids.length, 15);
  });
});

Deno.test("spentBetween() adds rolled-up hours, the tail above the watermark and the partial hours, for one key", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 5000, from: T0, to: T0 + 48 * HOUR, seed: 11, keys: 4 });
    rollupUsage(db, { maxRows: 3000 });
    assert.ok(rollupWatermark(db) > 0 && rollupWatermark(db) < 5000, "part of the rows is the tail");
    const exact = (key: string, from: number, to: number) =>
      (db.prepare("SELECT COALESCE(SUM(cost), 0) AS c FROM usage WHERE key_id = ? AND ts >= ? AND ts < ?").get(
        key,
        from,
        to,
      ) as { c: number }).c;
    const windows: Array<[number, number]> = [
      [T0, T0 + 48 * HOUR], // whole hours only
      [T0 + 90 * 60_000, T0 + 30 * HOUR + 17 * 60_000], // partial hours at both ends
      [T0 + 5 * 60_000, T0 + 50 * 60_000], // inside one hour
      [T0 + 40 * HOUR, T0 + 100 * HOUR], // runs past the newest row
    ];
    for (const key of ["key_0", "key_3", "nobody"]) {
      for (const [from, to] of windows) {
        assert.equal(
          +spentBetween(db, key, from, to).toFixed(9),
          +exact(key, from, to).toFixed(9),
          `${key} ${from} ${to}`,
        );
      }
    }
    // The index is gone: the insert path writes two B-trees (table and ts), not three.
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage'").all();
    assert.deepEqual(indexes.map((r) => (r as { name: string }).name), ["usage_ts"]);
  });
});

/** The six GROUP BY statements rollupUsage ran before it summed in JS: the oracle for the property below. */
function sqlRollup(db: Db): Map<string, Record<string, number>> {
  const values: Record<string, string> = {
    provider: "COALESCE(provider, '')",
    model: "COALESCE(provider || '/' || model, requested_model)",
    key: "COALESCE(key_id, '')",
    connection: "COALESCE(connection_id, '')",
    total: "''",
    pm: "COALESCE(provider, '') || char(31) || COALESCE(model, requested_model)",
  };
  const out = new Map<string, Record<string, number>>();
  for (const [dim, expr] of Object.entries(values)) {
    const rows = db.prepare(
      `SELECT (ts / ${HOUR}) * ${HOUR} AS h, ${expr} AS v, COUNT(*) AS requests, SUM(tokens_in) AS tokens_in,
         SUM(tokens_out) AS tokens_out, SUM(cost) AS cost, SUM(status >= 400) AS errors,
         SUM(cached = 0) AS upstream_requests,
         COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_in END), 0) AS upstream_tokens_in,
         COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_cached END), 0) AS tokens_cached,
         COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_cache_write END), 0) AS tokens_cache_write
       FROM usage GROUP BY h, v`,
    ).all() as unknown as Array<Record<string, number> & { h: number; v: string }>;
    for (const { h, v, ...sums } of rows) out.set(`${dim}|${h}|${v}`, sums);
  }
  return out;
}

function storedRollup(db: Db): Map<string, Record<string, number>> {
  const rows = db.prepare(
    `SELECT dim, hour, value, requests, tokens_in, tokens_out, cost, errors, upstream_requests, upstream_tokens_in,
       tokens_cached, tokens_cache_write FROM usage_rollup`,
  ).all() as unknown as Array<Record<string, number> & { dim: string; hour: number; value: string }>;
  return new Map(rows.map(({ dim, hour, value, ...sums }) => [`${dim}|${hour}|${value}`, sums]));
}

Deno.test("rollupUsage() in any batch sizes stores what SQL's GROUP BY over the raw rows gives, every dimension", () => {
  const nullable = (values: string[]) => fc.option(fc.constantFrom(...values), { nil: null });
  const row = fc.record({
    ts: fc.integer({ min: T0, max: T0 + 5 * HOUR }),
    provider: nullable(["openai", "anthropic", "x/y"]),
    model: nullable(["gpt-4.1", "claude", "m"]),
    requested: fc.constantFrom("openai/gpt-4.1", "combo-a", "m"),
    keyId: nullable(["k1", "k2"]),
    connectionId: nullable(["c1", "c2"]),
    status: fc.constantFrom(200, 200, 429, 500),
    tokensIn: fc.nat({ max: 100_000 }),
    tokensOut: fc.nat({ max: 10_000 }),
    cost: fc.double({ min: 0, max: 3, noNaN: true }),
    cached: fc.boolean(),
    tokensCached: fc.nat({ max: 1000 }),
    tokensCacheWrite: fc.nat({ max: 1000 }),
  });
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 60 }),
      fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1 }),
      (rows, sizes) => {
        withDb((db) => {
          const put = db.prepare(
            `INSERT INTO usage (ts, request_id, key_id, surface, requested_model, provider, connection_id, model, status,
             stream, tokens_in, tokens_out, latency_ms, cost, attempts, cached, tokens_cached, tokens_cache_write)
           VALUES (?, 'r', ?, 'openai', ?, ?, ?, ?, ?, 0, ?, ?, 1, ?, '', ?, ?, ?)`,
          );
          for (const r of rows) {
            put.run(
              r.ts,
              r.keyId,
              r.requested,
              r.provider,
              r.connectionId,
              r.model,
              r.status,
              r.tokensIn,
              r.tokensOut,
              r.cost,
              r.cached ? 1 : 0,
              r.tokensCached,
              r.tokensCacheWrite,
            );
          }
          let folded = 0;
          for (let i = 0;; i++) {
            const n = rollupUsage(db, { maxRows: sizes[i % sizes.length] });
            if (n === 0) break;
            folded += n;
          }
          assert.equal(folded, rows.length);
          const expected = sqlRollup(db);
          const actual = storedRollup(db);
          assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
          for (const [k, e] of expected) {
            const a = actual.get(k)!;
            assert.ok(Math.abs(a.cost - e.cost) <= 1e-9 * Math.max(1, e.cost), `${k}: cost ${a.cost} vs ${e.cost}`);
            assert.deepEqual({ ...a, cost: 0 }, { ...e, cost: 0 }, k);
          }
        });
      },
    ),
    { numRuns: 150 },
  );
});
