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

/** One (dimension, hour, value) aggregate of a batch, summed the way the SQL aggregates sum. */
interface RollupCell {
  dim: string;
  hour: number;
  value: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  /** Kahan–Babuška–Neumaier sum (SQLite's SUM() over REAL): the running sum and its compensation. */
  cost: number;
  costErr: number;
  errors: number;
  upstreamRequests: number;
  upstreamTokensIn: number;
  tokensCached: number;
  tokensCacheWrite: number;
}

/** The columns the rollup reads, in this order (rows come back as arrays: a third of the cost of objects). */
const SCAN_COLUMNS = [
  "id",
  "ts",
  "provider",
  "model",
  "requested_model",
  "key_id",
  "connection_id",
  "status",
  "tokens_in",
  "tokens_out",
  "cost",
  "cached",
  "tokens_cached",
  "tokens_cache_write",
] as const;
type ScannedRow = [
  id: number,
  ts: number,
  provider: string | null,
  model: string | null,
  requestedModel: string,
  keyId: string | null,
  connectionId: string | null,
  status: number,
  tokensIn: number,
  tokensOut: number,
  cost: number,
  cached: number,
  tokensCached: number,
  tokensCacheWrite: number,
];

type Statement = ReturnType<Db["prepare"]>;

interface RollupStatements {
  /** The next batch above a watermark, in id order. */
  scan: (from: number, limit: number) => ScannedRow[];
  upsert: Statement;
  /** Moves the watermark. */
  advance: Statement;
}

/** The batch scan, the upsert and the watermark update, prepared once per connection (a rollup runs every few seconds). */
const rollupStatements = new WeakMap<Db, RollupStatements>();

function statementsFor(db: Db): RollupStatements {
  let s = rollupStatements.get(db);
  if (!s) {
    const stmt = db.prepare(`SELECT ${SCAN_COLUMNS.join(", ")} FROM usage WHERE id > ? ORDER BY id LIMIT ?`);
    // node:sqlite has array rows since Node 22.16 / 24 (and in Deno); objects in the same column order otherwise.
    const arrays = stmt as unknown as { setReturnArrays?: (on: boolean) => void };
    const asArrays = typeof arrays.setReturnArrays === "function";
    if (asArrays) arrays.setReturnArrays!(true);
    const scan = (from: number, limit: number): ScannedRow[] => {
      const rows = stmt.all(from, limit) as unknown[];
      return (asArrays ? rows : rows.map((r) => Object.values(r as object))) as ScannedRow[];
    };
    const upsert = db.prepare(
      `INSERT INTO usage_rollup (dim, hour, value, requests, tokens_in, tokens_out, cost, errors, upstream_requests,
         upstream_tokens_in, tokens_cached, tokens_cache_write) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dim, hour, value) DO UPDATE SET requests = requests + excluded.requests,
         tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
         cost = cost + excluded.cost, errors = errors + excluded.errors,
         upstream_requests = upstream_requests + excluded.upstream_requests,
         upstream_tokens_in = upstream_tokens_in + excluded.upstream_tokens_in,
         tokens_cached = tokens_cached + excluded.tokens_cached,
         tokens_cache_write = tokens_cache_write + excluded.tokens_cache_write`,
    );
    const advance = db.prepare("UPDATE usage_rollup_state SET last_id = ? WHERE id = 1");
    s = { scan, upsert, advance };
    rollupStatements.set(db, s);
  }
  return s;
}

/** The dimensions usage_rollup keeps, in the order `dimensionValues` fills them. */
const ROLLUP_DIMS = ["provider", "model", "key", "connection", "total", "pm"] as const;

/** A row's value in each of ROLLUP_DIMS: the RAW_GROUP expressions (and PROVIDER_MODEL_VALUE), computed here. */
function dimensionValues(row: ScannedRow, out: string[]): void {
  // Indexed reads, not destructuring: array destructuring goes through the iterator protocol (garbage per row).
  const provider = row[2], model = row[3], requested = row[4];
  const p = provider ?? "";
  out[0] = p;
  out[1] = provider !== null && model !== null ? `${provider}/${model}` : requested;
  out[2] = row[5] ?? "";
  out[3] = row[6] ?? "";
  out[4] = "";
  out[5] = `${p}\x1f${model ?? requested}`;
}

function newCell(dim: string, hour: number, value: string): RollupCell {
  return {
    dim,
    hour,
    value,
    requests: 0,
    tokensIn: 0,
    tokensOut: 0,
    cost: 0,
    costErr: 0,
    errors: 0,
    upstreamRequests: 0,
    upstreamTokensIn: 0,
    tokensCached: 0,
    tokensCacheWrite: 0,
  };
}

function addToCell(c: RollupCell, row: ScannedRow): void {
  const tokensIn = row[8], cost = row[10];
  c.requests++;
  c.tokensIn += tokensIn;
  c.tokensOut += row[9];
  const t = c.cost + cost;
  c.costErr += Math.abs(c.cost) >= Math.abs(cost) ? (c.cost - t) + cost : (cost - t) + c.cost;
  c.cost = t;
  if (row[7] >= 400) c.errors++;
  if (row[11] === 0) {
    c.upstreamRequests++;
    c.upstreamTokensIn += tokensIn;
    c.tokensCached += row[12];
    c.tokensCacheWrite += row[13];
  }
}

/**
 * Folds up to `maxRows` usage rows above the watermark into usage_rollup, in one transaction, and moves the
 * watermark. Returns how many rows it folded (0: caught up). Runs in the background, never per request.
 *
 * One scan in id order, summed here: six `GROUP BY` statements over the batch made SQLite build and free a sorter of
 * the whole batch for each dimension, and those large native buffers left the allocator's heap fragmented
 * (tens of MiB of RSS after a few minutes of traffic). The values are the RAW_GROUP expressions computed in JS, for
 * the dimensions provider, model, key, connection, total and pm (provider and model: PROVIDER_MODEL_VALUE); day and
 * hour groups are read from `total`.
 */
export function rollupUsage(db: Db, options: { maxRows?: number } = {}): number {
  const maxRows = options.maxRows ?? 5000;
  const statements = statementsFor(db);
  const from = rollupWatermark(db);
  const rows = statements.scan(from, maxRows);
  // Nothing new: no write lock taken (a rollup runs every few seconds, mostly with nothing to do when idle).
  if (rows.length === 0) return 0;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Rows above the watermark only ever get added, and only this function moves it; if another connection moved it
    // meanwhile, fold nothing now and let the next run start from there.
    const folded = rollupWatermark(db) === from ? foldBatch(rows, statements) : 0;
    db.exec("COMMIT");
    return folded;
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}

/** Sums `rows` per (dimension, hour, value), adds the sums to usage_rollup and moves the watermark past them. */
function foldBatch(rows: ScannedRow[], { upsert, advance }: RollupStatements): number {
  // hour → one Map per dimension, value → cell. A batch spans one or two hours, so the outer lookup is cheap.
  const byHour = new Map<number, Array<Map<string, RollupCell>>>();
  const values: string[] = [];
  for (const row of rows) {
    const hour = Math.trunc(row[1] / HOUR) * HOUR;
    let dims = byHour.get(hour);
    if (!dims) byHour.set(hour, dims = ROLLUP_DIMS.map(() => new Map()));
    dimensionValues(row, values);
    for (let d = 0; d < ROLLUP_DIMS.length; d++) {
      let c = dims[d].get(values[d]);
      if (!c) dims[d].set(values[d], c = newCell(ROLLUP_DIMS[d], hour, values[d]));
      addToCell(c, row);
    }
  }
  for (const dims of byHour.values()) {
    for (const cells of dims) {
      for (const c of cells.values()) {
        upsert.run(
          c.dim,
          c.hour,
          c.value,
          c.requests,
          c.tokensIn,
          c.tokensOut,
          c.cost + c.costErr,
          c.errors,
          c.upstreamRequests,
          c.upstreamTokensIn,
          c.tokensCached,
          c.tokensCacheWrite,
        );
      }
    }
  }
  advance.run(rows[rows.length - 1][0]);
  return rows.length;
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
