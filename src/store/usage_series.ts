/** @module Usage per UTC day, provider and model for the dashboard, from the hourly aggregates plus the raw tail. */
import type { Db } from "./db.ts";
import { acrossRollup } from "./usage_rollup.ts";

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

const SUMS = "COUNT(*) AS requests, SUM(tokens_in) AS tokensIn, SUM(tokens_out) AS tokensOut, SUM(cost) AS cost, " +
  "SUM(status >= 400) AS errors";

function rawDaily(db: Db, from: number, to: number, aboveId?: number): DailyUsageRow[] {
  if (from >= to) return [];
  const group = `ts / ${DAY_MS} AS day, COALESCE(provider, '') AS provider, COALESCE(model, requested_model) AS model`;
  // The tail above the watermark is a rowid range; `+ts` keeps the planner off the ts index.
  const where = aboveId === undefined ? "ts >= ? AND ts < ?" : "id > ? AND +ts >= ? AND +ts < ?";
  const args = aboveId === undefined ? [from, to] : [aboveId, from, to];
  return db.prepare(`SELECT ${group}, ${SUMS} FROM usage WHERE ${where} GROUP BY day, provider, model`)
    .all(...args) as unknown as DailyUsageRow[];
}

function rolledDaily(db: Db, from: number, to: number): DailyUsageRow[] {
  const rows = db.prepare(
    `SELECT hour / ${DAY_MS} AS day, value, SUM(requests) AS requests, SUM(tokens_in) AS tokensIn,
       SUM(tokens_out) AS tokensOut, SUM(cost) AS cost, SUM(errors) AS errors
     FROM usage_rollup WHERE dim = 'pm' AND hour >= ? AND hour < ? GROUP BY day, value`,
  ).all(from, to) as unknown as Array<Omit<DailyUsageRow, "provider" | "model"> & { value: string }>;
  return rows.map(({ value, ...r }) => {
    const cut = value.indexOf("\u001f");
    return { ...r, provider: value.slice(0, cut), model: value.slice(cut + 1) };
  });
}

/**
 * Rows of [from, to) grouped by (day, provider, model). Whole hours come from the hourly aggregates (dimension
 * `pm`) plus the rows above their watermark; the partial hours at each end from usage itself, so a 30-day read
 * at 1M rows touches a few thousand aggregate rows instead of every usage row.
 */
export function dailyUsage(db: Db, from: number, to: number): DailyUsageRow[] {
  const parts = acrossRollup(db, from, to, (f, t, above) => rawDaily(db, f, t, above), (f, t) => rolledDaily(db, f, t));
  const acc = new Map<string, DailyUsageRow>();
  for (const rows of parts) {
    for (const r of rows) {
      const day = Number(r.day);
      const key = `${day}\u0000${r.provider}\u0000${r.model}`;
      const a = acc.get(key);
      if (a) {
        a.requests += r.requests;
        a.tokensIn += r.tokensIn ?? 0;
        a.tokensOut += r.tokensOut ?? 0;
        a.cost += r.cost ?? 0;
        a.errors += r.errors ?? 0;
      } else {
        acc.set(key, {
          day,
          provider: r.provider,
          model: r.model,
          requests: r.requests,
          tokensIn: r.tokensIn ?? 0,
          tokensOut: r.tokensOut ?? 0,
          cost: r.cost ?? 0,
          errors: r.errors ?? 0,
        });
      }
    }
  }
  return [...acc.values()].filter((r) => r.requests > 0);
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
