/**
 * @module Request logs over the usage table: filtered keyset pages (newest first, cursor = an id bound) that scan
 * the primary key in bounded chunks, the per-request detail, and the optional redacted bodies.
 */
import type { Db } from "./db.ts";
import { usageRowFromDb } from "./usage.ts";

export interface LogFilter {
  status?: number;
  /** 2, 4 or 5: the status's hundreds. */
  statusClass?: number;
  /** Matches the resolved `provider/model`, the bare resolved model, or the requested model. */
  model?: string;
  keyId?: string;
  provider?: string;
  connectionId?: string;
  surface?: string;
  from?: number;
  to?: number;
  /** Substring of the request id. */
  q?: string;
  /** Exactly this request id. */
  requestId?: string;
}

export interface LogRow {
  id: number;
  ts: number;
  requestId: string;
  keyId: string | null;
  surface: string;
  requestedModel: string;
  provider: string | null;
  connectionId: string | null;
  model: string | null;
  status: number;
  stream: boolean;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  tokensReasoning: number;
  tokensCacheWrite: number;
  estimated: boolean;
  cached: boolean;
  latencyMs: number;
  ttftMs: number | null;
  cost: number;
  attempts: string;
  errorCode: string | null;
}

export interface LogPage {
  data: LogRow[];
  /** Pass as `cursor` for the next page (rows with a smaller id); null when the table has no more. */
  nextCursor: number | null;
}

export function toLogRow(r: Record<string, unknown>): LogRow {
  return usageRowFromDb(r);
}

/** SQL conditions and their arguments. `+col` keeps the planner on the primary key (the page order). */
function conditions(f: LogFilter): { sql: string; args: Array<string | number> } {
  const parts: string[] = [];
  const args: Array<string | number> = [];
  if (f.status !== undefined) parts.push("+status = ?"), args.push(f.status);
  if (f.statusClass !== undefined) {
    parts.push("+status >= ? AND +status < ?"), args.push(f.statusClass * 100, f.statusClass * 100 + 100);
  }
  if (f.model !== undefined) {
    parts.push("(provider || '/' || model = ? OR model = ? OR requested_model = ?)");
    args.push(f.model, f.model, f.model);
  }
  if (f.keyId !== undefined) parts.push("+key_id = ?"), args.push(f.keyId);
  if (f.provider !== undefined) parts.push("provider = ?"), args.push(f.provider);
  if (f.connectionId !== undefined) parts.push("connection_id = ?"), args.push(f.connectionId);
  if (f.surface !== undefined) parts.push("surface = ?"), args.push(f.surface);
  if (f.from !== undefined) parts.push("+ts >= ?"), args.push(f.from);
  if (f.to !== undefined) parts.push("+ts < ?"), args.push(f.to);
  if (f.q !== undefined) parts.push("instr(request_id, ?) > 0"), args.push(f.q);
  if (f.requestId !== undefined) parts.push("request_id = ?"), args.push(f.requestId);
  return { sql: parts.length ? ` AND ${parts.join(" AND ")}` : "", args };
}

/**
 * One page of rows with `id < cursor`, newest first. The scan walks the primary key backwards in chunks of
 * `chunk` ids and stops at `limit` rows or after `budgetMs`: a rare filter value then yields a short (even
 * empty) page with a `nextCursor` to continue from, instead of one request scanning a million rows.
 */
export function listLogs(
  db: Db,
  filter: LogFilter,
  options: { cursor?: number; limit?: number; chunk?: number; budgetMs?: number } = {},
): LogPage {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const chunk = options.chunk ?? 50_000;
  const budgetMs = options.budgetMs ?? 50;
  // Two statements: SQLite answers a lone MIN or MAX from the primary key, but both at once scan the table.
  const bounds = db.prepare("SELECT (SELECT MIN(id) FROM usage) AS lo, (SELECT MAX(id) FROM usage) AS hi").get() as {
    lo: number | null;
    hi: number | null;
  };
  if (bounds.lo === null || bounds.hi === null) return { data: [], nextCursor: null };
  const { sql, args } = conditions(filter);
  const stmt = db.prepare(`SELECT * FROM usage WHERE id < ? AND id >= ?${sql} ORDER BY id DESC LIMIT ?`);
  const started = performance.now();
  const data: LogRow[] = [];
  let upper = Math.min(options.cursor ?? bounds.hi + 1, bounds.hi + 1);
  while (upper > bounds.lo) {
    const lower = Math.max(bounds.lo, upper - chunk);
    const rows = stmt.all(upper, lower, ...args, limit - data.length) as unknown as Array<Record<string, unknown>>;
    for (const r of rows) data.push(toLogRow(r));
    if (data.length >= limit) return { data, nextCursor: data[data.length - 1].id };
    upper = lower;
    if (performance.now() - started > budgetMs) break;
  }
  return { data, nextCursor: upper > bounds.lo ? upper : null };
}

export interface AttemptStep {
  provider: string;
  connection: string;
  model: string;
  status: number;
}

/** Parses the `x-switchyard-route` form (`openai:work/gpt-4.1=429, anthropic:personal/claude=200`). */
export function parseAttempts(text: string): AttemptStep[] {
  if (!text) return [];
  return text.split(", ").map((part) => {
    const eq = part.lastIndexOf("=");
    const head = eq >= 0 ? part.slice(0, eq) : part;
    const colon = head.indexOf(":");
    const slash = head.indexOf("/", colon + 1);
    return {
      provider: colon >= 0 ? head.slice(0, colon) : "",
      connection: slash >= 0 ? head.slice(colon + 1, slash) : head.slice(colon + 1),
      model: slash >= 0 ? head.slice(slash + 1) : "",
      status: eq >= 0 ? Number(part.slice(eq + 1)) : 0,
    };
  });
}

export interface BodyRow {
  requestId: string;
  ts: number;
  request: string | null;
  response: string | null;
  truncated: boolean;
}

/** Writes a batch of redacted bodies in one transaction (a replayed request id replaces its bodies). */
export function insertBodies(db: Db, rows: BodyRow[]): void {
  if (rows.length === 0) return;
  const stmt = db.prepare(
    "INSERT OR REPLACE INTO request_bodies (request_id, ts, request, response, truncated) VALUES (?, ?, ?, ?, ?)",
  );
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const r of rows) stmt.run(r.requestId, r.ts, r.request, r.response, r.truncated ? 1 : 0);
    db.exec("COMMIT");
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}

export interface LogDetail {
  rows: LogRow[];
  bodies: { request: string | null; response: string | null; truncated: boolean } | null;
}

/**
 * The usage row(s) and bodies of one request. usage has no request_id index (it would cost every insert), so
 * the lookup goes through a timestamp when it has one (the bodies', or `ts` from a link that listed the row),
 * else scans newest first (recent ids are found in the first chunk; an unknown id reads the whole table once).
 */
/** The time a gateway request id was minted (`req_` + 9 base-36 ms digits + …), or undefined for other ids. */
export function requestIdTime(requestId: string): number | undefined {
  const m = /^req_([0-9a-z]{9})[0-9a-f]{8}[0-9a-z]{5,}$/.exec(requestId);
  if (!m) return undefined;
  const t = parseInt(m[1], 36);
  return Number.isFinite(t) ? t : undefined;
}

/** How far a usage row's `ts` (the request's start) may lie from its id's time. */
const ID_TIME_SLACK_MS = 60_000;

export function logDetail(db: Db, requestId: string, options: { ts?: number } = {}): LogDetail | undefined {
  const body = db.prepare("SELECT ts, request, response, truncated FROM request_bodies WHERE request_id = ?").get(
    requestId,
  ) as { ts: number; request: string | null; response: string | null; truncated: number } | undefined;
  let raw: Array<Record<string, unknown>> = [];
  const ts = body?.ts ?? options.ts;
  if (ts !== undefined) {
    raw = db.prepare("SELECT * FROM usage WHERE ts = ? AND request_id = ? ORDER BY id").all(
      ts,
      requestId,
    ) as unknown as Array<Record<string, unknown>>;
  }
  const minted = raw.length === 0 ? requestIdTime(requestId) : undefined;
  if (minted !== undefined) {
    // The id carries its time: a range of the ts index instead of a scan of the table.
    raw = db.prepare("SELECT * FROM usage WHERE ts >= ? AND ts <= ? AND request_id = ? ORDER BY id").all(
      minted - ID_TIME_SLACK_MS,
      minted + ID_TIME_SLACK_MS,
      requestId,
    ) as unknown as Array<Record<string, unknown>>;
  }
  const rows = raw.length > 0 ? raw.map(toLogRow) : scanForRequest(db, requestId);
  if (rows.length === 0 && !body) return undefined;
  return { rows, bodies: body ? bodyOf(body) : null };
}

/** Newest chunk first; stops at the first chunk holding the id (a request's rows are written together). */
function scanForRequest(db: Db, requestId: string): LogRow[] {
  let upper: number | null = null;
  while (true) {
    const page = listLogs(db, { requestId }, { cursor: upper ?? undefined, limit: 20, chunk: 100_000, budgetMs: 0 });
    if (page.data.length > 0 || page.nextCursor === null) return page.data.reverse();
    upper = page.nextCursor;
  }
}

function bodyOf(b: { request: string | null; response: string | null; truncated: number }): LogDetail["bodies"] {
  return { request: b.request, response: b.response, truncated: b.truncated === 1 };
}
