import assert from "node:assert/strict";
import { openDb } from "./db.ts";
import { createDailyUsageReader, dailyUsage, DAY_MS } from "./usage_series.ts";
import { rollupUsage } from "./usage_rollup.ts";

function insert(db: ReturnType<typeof openDb>, ts: number, status = 200): void {
  db.prepare(
    `INSERT INTO usage (ts, request_id, surface, requested_model, provider, model, status, stream, tokens_in, tokens_out,
      latency_ms, cost, attempts) VALUES (?, 'r', 'openai', 'openai/m', 'openai', 'm', ?, 0, 10, 5, 1, 0.5, '')`,
  ).run(ts, status);
}

Deno.test("dailyUsage() groups by UTC day, provider and model with error counts", () => {
  const dir = Deno.makeTempDirSync();
  const db = openDb(`${dir}/t.sqlite`);
  try {
    const day = 20_000;
    insert(db, day * DAY_MS + 1);
    insert(db, day * DAY_MS + 2, 500);
    insert(db, (day + 1) * DAY_MS);
    const rows = dailyUsage(db, 0, (day + 2) * DAY_MS);
    assert.deepEqual(rows.map((r) => [r.day, r.requests, r.errors, r.tokensIn]), [[day, 2, 1, 20], [
      day + 1,
      1,
      0,
      10,
    ]]);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("createDailyUsageReader() caches finished days, rereads today, notices rewritten history", () => {
  const dir = Deno.makeTempDirSync();
  const db = openDb(`${dir}/t.sqlite`);
  try {
    const today = 20_010 * DAY_MS;
    const reader = createDailyUsageReader(db);
    insert(db, today - DAY_MS);
    insert(db, today + 10);
    const total = () => reader.read(today - 5 * DAY_MS, today + 1000).reduce((s, r) => s + r.requests, 0);
    assert.equal(total(), 2);
    insert(db, today + 20);
    assert.equal(total(), 3, "today's rows are live");
    insert(db, today - 2 * DAY_MS);
    assert.equal(total(), 4, "a changed past (import) refreshes the cache");
    assert.deepEqual(
      reader.read(today - 5 * DAY_MS, today + 1000),
      dailyUsage(db, today - 5 * DAY_MS, today + 1000),
    );
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("dailyUsage() gives the same rows from the hourly aggregates as from a scan of the raw rows", () => {
  const dir = Deno.makeTempDirSync();
  const db = openDb(`${dir}/t.sqlite`);
  try {
    const start = 20_100 * DAY_MS;
    const put = db.prepare(
      `INSERT INTO usage (ts, request_id, surface, requested_model, provider, model, status, stream, tokens_in,
        tokens_out, latency_ms, cost, attempts) VALUES (?, 'r', 'openai', ?, ?, ?, ?, 0, ?, ?, 1, ?, '')`,
    );
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const add = (count: number) => {
      for (let i = 0; i < count; i++) {
        const provider = ["openai", "anthropic", null][rnd(3)];
        put.run(
          start + rnd(5 * DAY_MS),
          provider ? `${provider}/m${rnd(3)}` : "openai/gone",
          provider,
          provider ? `m${rnd(3)}` : null,
          [200, 200, 429, 500][rnd(4)],
          rnd(1000),
          rnd(500),
          rnd(100) / 1000,
        );
      }
    };
    const raw = (from: number, to: number) =>
      (db.prepare(
        `SELECT ts / ${DAY_MS} AS day, COALESCE(provider, '') AS provider, COALESCE(model, requested_model) AS model,
          COUNT(*) AS requests, SUM(tokens_in) AS tokensIn, SUM(tokens_out) AS tokensOut, SUM(cost) AS cost,
          SUM(status >= 400) AS errors FROM usage WHERE ts >= ? AND ts < ? GROUP BY day, provider, model`,
      ).all(from, to) as unknown as Array<Record<string, number | string>>).map((r) => ({ ...r, day: Number(r.day) }));
    const norm = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) => JSON.stringify({ ...r, cost: Math.round(Number(r.cost) * 1e6) }))
        .sort();
    add(800);
    while (rollupUsage(db, { maxRows: 300 }) > 0) { /* fold everything */ }
    add(200); // the tail above the watermark
    for (const [from, to] of [[start, start + 5 * DAY_MS], [start + 3_600_123, start + 3 * DAY_MS - 77]]) {
      assert.deepEqual(norm(dailyUsage(db, from, to) as never), norm(raw(from, to)), `range ${from}..${to}`);
    }
    const rolled = db.prepare("SELECT COUNT(*) AS n FROM usage_rollup WHERE dim = 'pm'").get() as { n: number };
    assert.ok(rolled.n > 0, "the aggregates were used");
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
