import assert from "node:assert/strict";
import { openDb } from "./db.ts";
import { createDailyUsageReader, dailyUsage, DAY_MS } from "./usage_series.ts";

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
