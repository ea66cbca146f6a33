/** @module Everything a request handler needs, built once by main.ts and passed to createApp (no singletons). */
import type { AppConfig } from "../config/mod.ts";
import type { RoutingRuntime } from "../routing/runtime.ts";
import type { BudgetTracker } from "../usage/budget.ts";
import type { EventBus } from "../usage/live_events.ts";
import type { LatencyRecorder } from "../usage/histogram.ts";
import type { Metrics } from "../usage/metrics.ts";
import type { RequestLog } from "../usage/request_log.ts";
import type { GatewayState } from "../routing/state.ts";
import type { Cipher, Db, Secrets, UsageRecord, UsageWriter } from "../store/mod.ts";
import type { UpstreamFetch } from "./client/mod.ts";
import type { Logger } from "./logger.ts";
import type { Deadlines } from "./proxy/upstream.ts";
import type { SemanticCache } from "./proxy/semantic_cache.ts";
import type { IdempotencyStore } from "./proxy/idempotency.ts";
import type { ResponseCache } from "./proxy/response_cache.ts";

export interface Gateway {
  db: Db;
  config: AppConfig;
  secrets: Secrets;
  cipher: Cipher;
  usage: UsageWriter;
  logger: Logger;
  /** The outbound fetch (injected so tests and proxies can replace it). */
  fetch: UpstreamFetch;
  now: () => number;
  /** The current runtime state; replaced wholesale by `reload()`. */
  state: GatewayState;
  /** Rebuilds `state` from the store (after any management write). */
  reload(): Promise<void>;
  /** One-time setup token for the first-run password page (undefined once a password exists). */
  setupToken: () => string | undefined;
  /** Consumes the setup token after the password is set. */
  clearSetupToken: () => void;
  startedAt: number;
  version: string;
  /** Proxied requests not yet finished (lets the usage writer batch commits under load). */
  inFlight: number;
  /** Breakers, cooldowns, limiters and strategy cursors: they outlive config reloads. */
  routing: RoutingRuntime;
  /** Timeouts of non-stream upstream calls, swept by one shared timer. */
  deadlines: Deadlines;
  /** Spend per key and budget period (checked before each upstream call). */
  budgets: BudgetTracker;
  /** Latency (total and time to first token) per provider/model over sliding windows. */
  latency: LatencyRecorder;
  /** Exact-match answers of deterministic requests, per API key (SEMANTIC_CACHE_MAX_SIZE entries). */
  responseCache: ResponseCache;
  /** Prompt vectors of cached answers, for the semantic mode (settings.advanced.semanticCache). */
  semanticCache: SemanticCache;
  /** Answers by (API key, Idempotency-Key) within `advanced.idempotencyWindowMs`. */
  idempotency: IdempotencyStore;
  /** Prometheus counters and histograms, fed from each usage row (GET /metrics). */
  metrics: Metrics;
  /** Body capture for ENABLE_REQUEST_LOGS (a no-op when off). */
  requestLog: RequestLog;
  /** Saves the routing health snapshot to the store (after a failure changed it, an unlock, a reset). */
  saveHealth(): void;
  /** Each committed usage row, as it happens (the dashboard's live monitor subscribes over SSE). */
  events: EventBus<UsageRecord>;
}

import type { ApiKeyRow } from "../store/mod.ts";

/** Hono variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the proxy path: its responses (and errors, through onError) carry `x-request-id` already. */
    stamped?: boolean;
    apiKey?: ApiKeyRow;
    session?: { id: string; csrf: string };
  };
}
