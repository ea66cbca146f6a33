/** @module The append-only usage table: one narrow row per proxied request, and the aggregate queries over it. */
import type { Db } from "./db.ts";

export interface UsageRecord {
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
  /** True when the upstream reported no usage and the tokens are a local estimate. */
  estimated: boolean;
  latencyMs: number;
  ttftMs: number | null;
  cost: number;
  /** `x-switchyard-route` form: `openai:work/gpt-4.1=429, anthropic:personal/claude=200`. */
  attempts: string;
  errorCode: string | null;
  /** A response-cache hit or an idempotent replay: no upstream call, cost 0 (default false). */
  cached?: boolean;
  /** Input tokens written to the upstream's prompt cache (default 0). */
  tokensCacheWrite?: number;
}

export interface UsageWriter {
  /**
   * Commits one row; resolves once it is durable in the WAL. Rows that arrive while others are pending share
   * one transaction (group commit), so under load a commit costs a few µs per row instead of ~25 µs.
   */
  record(row: UsageRecord): Promise<void>;
  /** Commits whatever is pending now (shutdown). */
  flush(): void;
}

/**
 * Prepares the insert once. A lone request is written at once; when other requests are in flight, its row waits
 * for the end of the event loop turn (setImmediate) so the rows of the turn's other answers join the transaction.
 */
export function createUsageWriter(db: Db, options: { inFlight?: () => number } = {}): UsageWriter {
  const stmt = db.prepare(
    `INSERT INTO usage (ts, request_id, key_id, surface, requested_model, provider, connection_id, model, status,
      stream, tokens_in, tokens_out, tokens_cached, tokens_reasoning, estimated, latency_ms, ttft_ms, cost, attempts,
      error_code, cached, tokens_cache_write) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insert = (r: UsageRecord): void => {
    stmt.run(
      r.ts,
      r.requestId,
      r.keyId,
      r.surface,
      r.requestedModel,
      r.provider,
      r.connectionId,
      r.model,
      r.status,
      r.stream ? 1 : 0,
      r.tokensIn,
      r.tokensOut,
      r.tokensCached,
      r.tokensReasoning,
      r.estimated ? 1 : 0,
      r.latencyMs,
      r.ttftMs,
      r.cost,
      r.attempts,
      r.errorCode,
      r.cached ? 1 : 0,
      r.tokensCacheWrite ?? 0,
    );
  };
  let pending: UsageRecord[] = [];
  /** The turn's commit: every row of the batch waits on this one promise. */
  let batch: PromiseWithResolvers<void> | undefined;

  function flush(): void {
    const rows = pending;
    const done = batch;
    pending = [];
    batch = undefined;
    if (rows.length === 0) return;
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        for (const r of rows) insert(r);
        db.exec("COMMIT");
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
      done?.resolve();
    } catch (err) {
      done?.reject(err);
    }
  }

  return {
    record(row: UsageRecord): Promise<void> {
      if (pending.length === 0 && (options.inFlight?.() ?? 1) <= 1) {
        try {
          insert(row);
          return Promise.resolve();
        } catch (err) {
          return Promise.reject(err);
        }
      }
      pending.push(row);
      if (!batch) {
        batch = Promise.withResolvers<void>();
        // After this loop turn's I/O callbacks: rows of every request answered in the same turn share a commit.
        setImmediate(flush);
      }
      return batch.promise;
    },
    flush,
  };
}

export interface UsageRowView extends UsageRecord {
  id: number;
}

/** A usage row as SQLite returns it (snake_case columns) → the record the rest of the code reads. */
export function usageRowFromDb(
  r: Record<string, unknown>,
): UsageRowView & { tokensCacheWrite: number; cached: boolean } {
  return {
    id: r.id as number,
    ts: r.ts as number,
    requestId: r.request_id as string,
    keyId: r.key_id as string | null,
    surface: r.surface as string,
    requestedModel: r.requested_model as string,
    provider: r.provider as string | null,
    connectionId: r.connection_id as string | null,
    model: r.model as string | null,
    status: r.status as number,
    stream: r.stream === 1,
    tokensIn: r.tokens_in as number,
    tokensOut: r.tokens_out as number,
    tokensCached: r.tokens_cached as number,
    tokensReasoning: r.tokens_reasoning as number,
    tokensCacheWrite: (r.tokens_cache_write as number | undefined) ?? 0,
    estimated: r.estimated === 1,
    cached: r.cached === 1,
    latencyMs: r.latency_ms as number,
    ttftMs: r.ttft_ms as number | null,
    cost: r.cost as number,
    attempts: r.attempts as string,
    errorCode: r.error_code as string | null,
  };
}

/** Most recent rows first (for the dashboard and tests). */
export function recentUsage(db: Db, limit: number): UsageRowView[] {
  const raw = db.prepare("SELECT * FROM usage ORDER BY id DESC LIMIT ?").all(limit) as unknown as Array<
    Record<string, unknown>
  >;
  return raw.map(usageRowFromDb);
}
