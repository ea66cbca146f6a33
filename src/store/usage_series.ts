/** @module Usage aggregates for the dashboard: one indexed range scan grouped by UTC day, provider and model. */
import type { Db } from "./db.ts";

export const DAY_MS = 86_400_000;

export interface DailyUsageRow {
  /** UTC day number (ms since epoch / 86 400 000, floored). */
  day: number;
  provider: string;
  model: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  /** Requests answered with a status ≥ 400. */
  errors: number;
}

/** Rows of [from, to) grouped by (day, provider, model): a few hundred groups even for 100k rows. */
export function dailyUsage(db: Db, from: number, to: number): DailyUsageRow[] {
  const rows = db.prepare(
    `SELECT ts / ${DAY_MS} AS day, COALESCE(provider, '') AS provider, COALESCE(model, requested_model) AS model,
       COUNT(*) AS requests, SUM(tokens_in) AS tokensIn, SUM(tokens_out) AS tokensOut, SUM(cost) AS cost,
       SUM(status >= 400) AS errors
     FROM usage WHERE ts >= ? AND ts < ? GROUP BY day, provider, model`,
  ).all(from, to) as unknown as DailyUsageRow[];
  return rows.map((r) => ({ ...r, day: Number(r.day) }));
}

export interface DailyUsageReader {
  /** Same rows as `dailyUsage(db, from, to)`; days before `to`'s UTC day come from a cache. */
  read(from: number, to: number): DailyUsageRow[];
}

/**
 * Usage rows are append-only and stamped with the time they are written, so finished UTC days do not change: their
 * aggregates are cached and only the current day is scanned per call. A row count over the cached range (an
 * index-only read) catches the rare rewrite of history (import, pruning) and refreshes the cache.
 */
export function createDailyUsageReader(db: Db): DailyUsageReader {
  const count = db.prepare("SELECT COUNT(*) AS n FROM usage WHERE ts >= ? AND ts < ?");
  let cached: { from: number; until: number; rows: number; data: DailyUsageRow[] } | undefined;
  return {
    read(from, to) {
      const until = Math.floor((to - 1) / DAY_MS) * DAY_MS;
      if (until <= from) return dailyUsage(db, from, to);
      const rows = Number((count.get(from, until) as { n: number }).n);
      if (!cached || cached.from !== from || cached.until !== until || cached.rows !== rows) {
        cached = { from, until, rows, data: dailyUsage(db, from, until) };
      }
      return [...cached.data, ...dailyUsage(db, until, to)];
    },
  };
}
