/** @module Prompt-cache statistics from the usage table: tokens read from and written to each provider's cache. */
import type { Db } from "./db.ts";
import { acrossRollup } from "./usage_rollup.ts";

export interface PromptCacheRow {
  provider: string;
  requests: number;
  inputTokens: number;
  /** Input tokens the provider read from its prompt cache. */
  cacheReadTokens: number;
  /** Input tokens the provider wrote to its prompt cache. */
  cacheWriteTokens: number;
  /** cacheReadTokens / inputTokens (0 without input). */
  readRatio: number;
}

interface Sums {
  p: string;
  n: number;
  i: number;
  r: number;
  w: number;
}

function rawSums(db: Db, from: number, to: number, aboveId?: number): Sums[] {
  if (from >= to) return [];
  // The tail above the watermark is a rowid range; `+ts` keeps the planner off the ts index.
  const where = aboveId === undefined ? "ts >= ? AND ts < ?" : "id > ? AND +ts >= ? AND +ts < ?";
  const args = aboveId === undefined ? [from, to] : [aboveId, from, to];
  return db.prepare(
    `SELECT provider AS p, COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_cached) AS r, SUM(tokens_cache_write) AS w
     FROM usage WHERE ${where} AND provider IS NOT NULL AND cached = 0 GROUP BY provider`,
  ).all(...args) as unknown as Sums[];
}

function rolledSums(db: Db, from: number, to: number): Sums[] {
  return db.prepare(
    `SELECT value AS p, SUM(upstream_requests) AS n, SUM(upstream_tokens_in) AS i, SUM(tokens_cached) AS r,
       SUM(tokens_cache_write) AS w
     FROM usage_rollup WHERE dim = 'provider' AND value != '' AND hour >= ? AND hour < ? GROUP BY value`,
  ).all(from, to) as unknown as Sums[];
}

/**
 * Per provider over [from, to) (ms), upstream calls only: gateway cache hits and idempotent replays (`cached`)
 * reached no provider. Whole hours come from the hourly aggregates plus the rows above their watermark; the
 * partial hours at each end from usage itself.
 */
export function promptCacheStats(db: Db, from: number, to: number): PromptCacheRow[] {
  const parts = acrossRollup(db, from, to, (f, t, above) => rawSums(db, f, t, above), (f, t) => rolledSums(db, f, t));
  const acc = new Map<string, Sums>();
  for (const rows of parts) {
    for (const row of rows) {
      const a = acc.get(row.p) ?? { p: row.p, n: 0, i: 0, r: 0, w: 0 };
      a.n += row.n;
      a.i += row.i ?? 0;
      a.r += row.r ?? 0;
      a.w += row.w ?? 0;
      acc.set(row.p, a);
    }
  }
  return [...acc.values()].filter((row) => row.n > 0).sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0)).map((
    row,
  ) => ({
    provider: row.p,
    requests: row.n,
    inputTokens: row.i,
    cacheReadTokens: row.r,
    cacheWriteTokens: row.w,
    readRatio: row.i > 0 ? row.r / row.i : 0,
  }));
}
