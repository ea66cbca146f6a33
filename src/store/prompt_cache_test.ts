import assert from "node:assert/strict";
import { openDb } from "./db.ts";
import { promptCacheStats } from "./prompt_cache.ts";
import { rollupUsage } from "./usage_rollup.ts";

Deno.test("promptCacheStats() counts upstream calls only, and reads the same from aggregates as from raw rows", () => {
  const dir = Deno.makeTempDirSync();
  const db = openDb(`${dir}/t.sqlite`);
  try {
    const put = db.prepare(
      `INSERT INTO usage (ts, request_id, surface, requested_model, provider, model, status, stream, tokens_in,
        tokens_out, tokens_cached, tokens_cache_write, cached, latency_ms, cost, attempts)
       VALUES (?, 'r', 'openai', 'm', ?, 'm', 200, 0, ?, 1, ?, ?, ?, 1, 0, '')`,
    );
    const start = 20_200 * 86_400_000;
    let seed = 3;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const add = (count: number) => {
      for (let i = 0; i < count; i++) {
        put.run(
          start + rnd(3 * 86_400_000),
          ["anthropic", "openai", null][rnd(3)],
          1000,
          rnd(800),
          rnd(200),
          rnd(4) === 0 ? 1 : 0,
        );
      }
    };
    const raw = () =>
      db.prepare(
        `SELECT provider, COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_cached) AS r, SUM(tokens_cache_write) AS w
         FROM usage WHERE provider IS NOT NULL AND cached = 0 GROUP BY provider ORDER BY provider`,
      ).all() as unknown as Array<{ provider: string; n: number; i: number; r: number; w: number }>;
    const view = (rows: ReturnType<typeof promptCacheStats>) =>
      rows.map((r) => ({
        provider: r.provider,
        n: r.requests,
        i: r.inputTokens,
        r: r.cacheReadTokens,
        w: r.cacheWriteTokens,
      }));
    add(600);
    const window = [start - 1, start + 4 * 86_400_000] as const;
    assert.deepEqual(view(promptCacheStats(db, ...window)), raw().map((r) => ({ ...r })), "raw rows only");
    while (rollupUsage(db, { maxRows: 250 }) > 0) { /* fold everything */ }
    add(150);
    assert.deepEqual(view(promptCacheStats(db, ...window)), raw().map((r) => ({ ...r })), "aggregates + tail");
    const stats = promptCacheStats(db, ...window);
    assert.ok(stats.every((s) => Math.abs(s.readRatio - s.cacheReadTokens / s.inputTokens) < 1e-12));
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
