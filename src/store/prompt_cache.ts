/** @module Prompt-cache statistics from the usage table: tokens read from and written to each provider's cache. */
import type { Db } from "./db.ts";

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

/**
 * Per provider over [from, to) (ms), upstream calls only: gateway cache hits and idempotent replays (`cached`)
 * reached no provider. Uses the `ts` index for the range.
 */
export function promptCacheStats(db: Db, from: number, to: number): PromptCacheRow[] {
  const raw = db.prepare(
    `SELECT provider AS p, COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_cached) AS r, SUM(tokens_cache_write) AS w
     FROM usage WHERE ts >= ? AND ts < ? AND provider IS NOT NULL AND cached = 0 GROUP BY provider ORDER BY provider`,
  ).all(from, to) as unknown as Array<{ p: string; n: number; i: number; r: number; w: number }>;
  return raw.map((row) => ({
    provider: row.p,
    requests: row.n,
    inputTokens: row.i,
    cacheReadTokens: row.r,
    cacheWriteTokens: row.w,
    readRatio: row.i > 0 ? row.r / row.i : 0,
  }));
}
