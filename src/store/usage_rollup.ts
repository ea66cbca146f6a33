/**
 * @module Usage totals without scanning the append-only table: hourly aggregates per dimension, kept by a
 * background job (`rollupUsage`), plus the raw rows the aggregates cannot answer — the partial hours at both
 * ends of a range and the tail of rows newer than the last rollup.
 */
import type { Db } from "./db.ts";

export const USAGE_GROUPS = ["provider", "model", "key", "connection", "day", "hour"] as const;
export type UsageGroup = typeof USAGE_GROUPS[number];

const HOUR = 3_600_000;

/** Group expressions over raw usage rows (also the values stored in usage_rollup). */
const RAW_GROUP: Record<UsageGroup | "total", string> = {
  provider: "COALESCE(provider, '')",
  model: "COALESCE(provider || '/' || model, requested_model)",
  key: "COALESCE(key_id, '')",
  connection: "COALESCE(connection_id, '')",
  day: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')",
  hour: "strftime('%Y-%m-%dT%H:00:00Z', ts / 1000, 'unixepoch')",
  total: "''",
};

/** The (provider, model) dimension's value: the two joined by the unit separator. */
export const PROVIDER_MODEL_VALUE = "COALESCE(provider, '') || char(31) || COALESCE(model, requested_model)";

/** Dimensions kept in usage_rollup; day and hour groups come from `total`. */
const ROLLUP_DIMS = ["provider", "model", "key", "connection", "total", "pm"] as const;
const ROLLUP_VALUE: Record<typeof ROLLUP_DIMS[number], string> = { ...RAW_GROUP, pm: PROVIDER_MODEL_VALUE };

/** How a group is read from usage_rollup: which dimension, and the expression over its columns. */
const ROLLUP_GROUP: Record<UsageGroup | "total", { dim: string; expr: string }> = {
  provider: { dim: "provider", expr: "value" },
  model: { dim: "model", expr: "value" },
  key: { dim: "key", expr: "value" },
  connection: { dim: "connection", expr: "value" },
  day: { dim: "total", expr: "strftime('%Y-%m-%d', hour / 1000, 'unixepoch')" },
  hour: { dim: "total", expr: "strftime('%Y-%m-%dT%H:00:00Z', hour / 1000, 'unixepoch')" },
  total: { dim: "total", expr: "''" },
};

export interface UsageSummary {
  totalRequests: number;
  totalTokens: { input: number; output: number };
  totalCost: number;
  rows: Array<{ group: string; requests: number; tokens: { input: number; output: number }; cost: number }>;
}

interface Agg {
  g: string;
  n: number;
  i: number;
  o: number;
  c: number;
}

/** The highest usage id already counted in usage_rollup. */
export function rollupWatermark(db: Db): number {
  const r = db.prepare("SELECT last_id AS id FROM usage_rollup_state WHERE id = 1").get() as { id: number } | undefined;
  return r?.id ?? 0;
}

/**
 * Folds up to `maxRows` usage rows above the watermark into usage_rollup, in one transaction, and moves the
 * watermark. Returns how many rows it folded (0: caught up). Runs in the background, never per request.
 */
export function rollupUsage(db: Db, options: { maxRows?: number } = {}): number {
  const maxRows = options.maxRows ?? 5000;
  const from = rollupWatermark(db);
  // The id of the maxRows-th row above the watermark, or the newest row when fewer remain.
  let upTo = (db.prepare("SELECT id FROM usage WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?").get(from, maxRows - 1) as
    | { id: number }
    | undefined)?.id;
  if (upTo === undefined) {
    upTo = (db.prepare("SELECT MAX(id) AS id FROM usage").get() as { id: number | null }).id ?? from;
  }
  if (upTo <= from) return 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const dim of ROLLUP_DIMS) {
      db.prepare(
        `INSERT INTO usage_rollup (dim, hour, value, requests, tokens_in, tokens_out, cost, errors, upstream_requests,
           upstream_tokens_in, tokens_cached, tokens_cache_write)
         SELECT '${dim}', (ts / ${HOUR}) * ${HOUR} AS h, ${ROLLUP_VALUE[dim]} AS v, COUNT(*), SUM(tokens_in),
           SUM(tokens_out), SUM(cost), SUM(status >= 400), SUM(cached = 0),
           COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_in END), 0),
           COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_cached END), 0),
           COALESCE(SUM(CASE WHEN cached = 0 THEN tokens_cache_write END), 0)
         FROM usage WHERE id > ? AND id <= ? GROUP BY h, v
         ON CONFLICT (dim, hour, value) DO UPDATE SET requests = requests + excluded.requests,
           tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
           cost = cost + excluded.cost, errors = errors + excluded.errors,
           upstream_requests = upstream_requests + excluded.upstream_requests,
           upstream_tokens_in = upstream_tokens_in + excluded.upstream_tokens_in,
           tokens_cached = tokens_cached + excluded.tokens_cached,
           tokens_cache_write = tokens_cache_write + excluded.tokens_cache_write`,
      ).run(from, upTo);
    }
    const folded = (db.prepare("SELECT COUNT(*) AS n FROM usage WHERE id > ? AND id <= ?").get(from, upTo) as {
      n: number;
    }).n;
    db.prepare("UPDATE usage_rollup_state SET last_id = ? WHERE id = 1").run(upTo);
    db.exec("COMMIT");
    return folded;
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}

function addRows(acc: Map<string, Agg>, rows: Agg[]): void {
  for (const r of rows) {
    const a = acc.get(r.g);
    if (a) {
      a.n += r.n;
      a.i += r.i ?? 0;
      a.o += r.o ?? 0;
      a.c += r.c ?? 0;
    } else acc.set(r.g, { g: r.g, n: r.n, i: r.i ?? 0, o: r.o ?? 0, c: r.c ?? 0 });
  }
}

function rawRows(db: Db, group: UsageGroup | "total", from: number, to: number, aboveId?: number): Agg[] {
  if (from >= to) return [];
  const sums = "COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_out) AS o, SUM(cost) AS c";
  if (aboveId === undefined) {
    return db.prepare(`SELECT ${RAW_GROUP[group]} AS g, ${sums} FROM usage WHERE ts >= ? AND ts < ? GROUP BY g`)
      .all(from, to) as unknown as Agg[];
  }
  // The tail: a rowid range; `+ts` keeps the planner off the ts index, which would walk the whole range.
  return db.prepare(
    `SELECT ${RAW_GROUP[group]} AS g, ${sums} FROM usage WHERE id > ? AND +ts >= ? AND +ts < ? GROUP BY g`,
  ).all(aboveId, from, to) as unknown as Agg[];
}

function rolledRows(db: Db, group: UsageGroup | "total", from: number, to: number): Agg[] {
  const { dim, expr } = ROLLUP_GROUP[group];
  return db.prepare(
    `SELECT ${expr} AS g, SUM(requests) AS n, SUM(tokens_in) AS i, SUM(tokens_out) AS o, SUM(cost) AS c
     FROM usage_rollup WHERE dim = ? AND hour >= ? AND hour < ? GROUP BY g`,
  ).all(dim, from, to) as unknown as Agg[];
}

/**
 * The pieces that together cover [from, to): whole hours from the aggregates plus the rows above their watermark,
 * and the partial hours at each end from usage itself (through the ts index). `raw(from, to, aboveId?)` reads usage
 * rows (only ids above `aboveId` when given); `rolled(from, to)` reads usage_rollup.
 */
export function acrossRollup<T>(
  db: Db,
  from: number,
  to: number,
  raw: (from: number, to: number, aboveId?: number) => T[],
  rolled: (from: number, to: number) => T[],
): T[][] {
  const hFrom = Math.ceil(from / HOUR) * HOUR;
  const hTo = Math.floor(to / HOUR) * HOUR;
  if (hFrom >= hTo) return [raw(from, to)];
  // One connection on one thread: the rollup job cannot run between these reads, so the watermark holds.
  const watermark = rollupWatermark(db);
  return [raw(from, hFrom), rolled(hFrom, hTo), raw(hFrom, hTo, watermark), raw(hTo, to)];
}

/**
 * A key's recorded cost over [from, to) (budgets; cached replays cost 0): whole hours from the `key` aggregates, the
 * rest from usage. No index on key_id: each usage row then writes one B-tree page fewer on the request path.
 */
export function spentBetween(db: Db, keyId: string, from: number, to: number): number {
  let total = 0;
  const parts = acrossRollup(
    db,
    from,
    to,
    (f, t, above) => {
      if (f >= t) return [];
      const row = above === undefined
        ? db.prepare("SELECT SUM(cost) AS c FROM usage WHERE ts >= ? AND ts < ? AND +key_id = ?").get(f, t, keyId)
        : db.prepare("SELECT SUM(cost) AS c FROM usage WHERE id > ? AND +ts >= ? AND +ts < ? AND +key_id = ?")
          .get(above, f, t, keyId);
      return [(row as { c: number | null }).c ?? 0];
    },
    (f, t) => {
      const row = db.prepare(
        "SELECT SUM(cost) AS c FROM usage_rollup WHERE dim = 'key' AND value = ? AND hour >= ? AND hour < ?",
      )
        .get(keyId, f, t);
      return [(row as { c: number | null }).c ?? 0];
    },
  );
  for (const part of parts) for (const c of part) total += c;
  return total;
}

/**
 * Totals over [from, to) (ms), optionally grouped. Whole hours come from usage_rollup plus the rows above its
 * watermark; the partial hours at each end come from usage through the ts index (at most two hours of rows).
 */
export function summarizeUsage(db: Db, from: number, to: number, groupBy?: UsageGroup): UsageSummary {
  const group = groupBy ?? "total";
  const acc = new Map<string, Agg>();
  const parts = acrossRollup(
    db,
    from,
    to,
    (f, t, above) => rawRows(db, group, f, t, above),
    (f, t) => rolledRows(db, group, f, t),
  );
  for (const rows of parts) addRows(acc, rows);
  const all = [...acc.values()].filter((a) => a.n > 0);
  const out: UsageSummary = {
    totalRequests: 0,
    totalTokens: { input: 0, output: 0 },
    totalCost: 0,
    rows: [],
  };
  for (const a of all) {
    out.totalRequests += a.n;
    out.totalTokens.input += a.i;
    out.totalTokens.output += a.o;
    out.totalCost += a.c;
  }
  if (groupBy) {
    all.sort((a, b) => b.n - a.n || (a.g < b.g ? -1 : a.g > b.g ? 1 : 0));
    out.rows = all.map((a) => ({ group: a.g, requests: a.n, tokens: { input: a.i, output: a.o }, cost: a.c }));
  }
  return out;
}
