/** @module Builds the Gateway (store, secrets, state, setup token) from a loaded config: used by main and tests. */
import { createUpstreamFetch, type UpstreamFetch } from "./client/mod.ts";
import type { AppConfig } from "../config/mod.ts";
import { ConfigError } from "../core/errors.ts";
import { BUILTIN_PROVIDERS } from "../providers/mod.ts";
import { createRoutingRuntime } from "../routing/runtime.ts";
import type { HealthSnapshot } from "../routing/health.ts";
import { buildState } from "../routing/state.ts";
import { createBudgetTracker } from "../usage/budget.ts";
import { createLatencyRecorder } from "../usage/histogram.ts";
import { createEventBus } from "../usage/live_events.ts";
import { createMetrics } from "../usage/metrics.ts";
import { createRequestLog } from "../usage/request_log.ts";
import {
  createCipher,
  createUsageWriter,
  type Db,
  getPasswordHash,
  hashPassword,
  insertBodies,
  loadSecrets,
  openDb,
  randomToken,
  readResilienceState,
  setPasswordHash,
  spentBetween,
  syncConfigFile,
  writeResilienceState,
} from "../store/mod.ts";
import type { Gateway } from "./context.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createDeadlines } from "./proxy/upstream.ts";
import { createSemanticCache } from "./proxy/semantic_cache.ts";
import { createIdempotencyStore } from "./proxy/idempotency.ts";
import { createResponseCache } from "./proxy/response_cache.ts";

export const VERSION = "0.1.0";

export interface GatewayDeps {
  fetch?: UpstreamFetch;
  now?: () => number;
  random?: () => number;
  logger?: Logger;
}

export function dbPathOf(dataDir: string): string {
  return `${dataDir}/switchyard.sqlite`;
}

/** Opens the store in `dataDir` (creating the folder with mode 0700). */
export function openStore(config: AppConfig): Db {
  Deno.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openDb(dbPathOf(config.dataDir));
}

function resolveBuiltin(name: string): string | undefined {
  return BUILTIN_PROVIDERS.find((p) => p.id === name || p.prefix === name)?.id;
}

export async function createGateway(config: AppConfig, deps: GatewayDeps = {}): Promise<Gateway> {
  const db = openStore(config);
  const secrets = loadSecrets(config.dataDir, { jwtSecret: config.jwtSecret, apiKeySecret: config.apiKeySecret });
  const cipher = await createCipher(secrets.apiKeySecret);
  const logger = deps.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const now = deps.now ?? Date.now;
  if (config.configFile) {
    try {
      await syncConfigFile(db, cipher, config.configFile.config, {
        now: now(),
        resolveProvider: resolveBuiltin,
        configPath: config.configFile.path,
      });
    } catch (err) {
      db.close();
      throw new ConfigError((err as Error).message);
    }
  }
  if (!getPasswordHash(db) && config.initialPassword) {
    setPasswordHash(db, await hashPassword(config.initialPassword), now());
  }
  const tokenPath = `${config.dataDir}/setup-token`;
  let setupToken: string | undefined;
  if (!getPasswordHash(db)) {
    try {
      setupToken = Deno.readTextFileSync(tokenPath).trim();
    } catch {
      setupToken = randomToken(18);
      Deno.writeTextFileSync(tokenPath, setupToken + "\n", { mode: 0o600 });
    }
  } else {
    Deno.remove(tokenPath).catch(() => {});
  }
  const fileSettings = config.configFile?.settings;
  const routing = createRoutingRuntime({ now, random: deps.random });
  routing.health.restore(readResilienceState<HealthSnapshot>(db));
  const gw: Gateway = {
    db,
    config,
    secrets,
    cipher,
    usage: createUsageWriter(db, { inFlight: () => gw.inFlight }),
    logger,
    // The gateway's own HTTP/1.1 client (a fraction of the runtime fetch's CPU a call), unless a proxy is configured.
    fetch: deps.fetch ?? (config.outboundProxy ? fetch : createUpstreamFetch()),
    now,
    state: await buildState(db, cipher, fileSettings),
    async reload() {
      gw.state = await buildState(db, cipher, fileSettings);
      const ids = new Set<string>();
      for (const list of gw.state.connections.values()) for (const c of list) ids.add(c.id);
      routing.health.retain(ids);
      routing.limiter.retain(ids);
      routing.comboCursor.forget(new Set([...gw.state.combos.keys()].map((name) => `combo:${name}`)));
      routing.accountCursor.forget(new Set([...gw.state.connections.keys()].map((id) => `provider:${id}`)));
      gw.budgets.retain(new Set([...gw.state.keysByHash.values()].map((k) => k.id)));
    },
    setupToken: () => setupToken,
    clearSetupToken() {
      setupToken = undefined;
      Deno.remove(tokenPath).catch(() => {});
    },
    startedAt: now(),
    version: VERSION,
    inFlight: 0,
    routing,
    budgets: createBudgetTracker({
      now,
      timeZone: () => gw.state.settings.advanced.timezone,
      spentBetween: (keyId, from, to) => spentBetween(db, keyId, from, to),
    }),
    latency: createLatencyRecorder({ now }),
    metrics: createMetrics(),
    requestLog: createRequestLog({
      enabled: config.enableRequestLogs,
      write: (rows) => insertBodies(db, rows),
      onError: (err) => logger.log("warn", "could not write request bodies", { error: (err as Error).message }),
    }),
    deadlines: createDeadlines(),
    responseCache: createResponseCache({ maxEntries: config.cacheMaxSize, now }),
    semanticCache: createSemanticCache({ maxEntries: () => gw.state.settings.advanced.semanticCache.maxEntries, now }),
    idempotency: createIdempotencyStore({ now }),
    events: createEventBus({ bufferSize: 256, maxSubscribers: 32 }),
    saveHealth() {
      try {
        writeResilienceState(db, routing.health.snapshot(), now());
      } catch (err) {
        logger.log("warn", "could not save the resilience snapshot", { error: (err as Error).message });
      }
    },
  };
  return gw;
}
