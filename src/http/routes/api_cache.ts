/**
 * @module /api/cache: the response cache's hit-rate counters and a way to empty it; /api/usage/cache-stats:
 * prompt-cache tokens read and written per provider, from the usage table.
 */
import { Hono } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { promptCacheStats } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";

function parseTime(name: string, value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const t = Date.parse(value);
  if (!Number.isFinite(t)) {
    throw new GatewayError("invalid_request", `${name} must be an ISO-8601 time`, { param: name });
  }
  return t;
}

export function cacheRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/cache/stats", (c) =>
    c.json({
      ...gw.responseCache.stats(),
      enabled: gw.state.settings.advanced.cacheEnabled && gw.config.cacheMaxSize > 0,
      semantic: {
        enabled: gw.state.settings.advanced.semanticCache.enabled,
        model: gw.state.settings.advanced.semanticCache.model || null,
        threshold: gw.state.settings.advanced.semanticCache.threshold,
        entries: gw.semanticCache.size,
        hits: gw.semanticCache.hits(),
      },
      maxEntries: gw.config.cacheMaxSize,
      ttlMs: gw.state.settings.advanced.cacheTtlMs,
    }));

  app.delete("/api/cache", (c) => {
    const cleared = gw.responseCache.stats().entries;
    gw.responseCache.clear();
    gw.semanticCache.clear();
    return c.json({ cleared });
  });

  app.get("/api/usage/cache-stats", (c) => {
    const now = gw.now();
    const from = parseTime("from", c.req.query("from"), now - 30 * 86_400_000);
    const to = parseTime("to", c.req.query("to"), now + 1);
    const rows = promptCacheStats(gw.db, from, to);
    const total = { requests: 0, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    for (const r of rows) {
      total.requests += r.requests;
      total.inputTokens += r.inputTokens;
      total.cacheReadTokens += r.cacheReadTokens;
      total.cacheWriteTokens += r.cacheWriteTokens;
    }
    return c.json({ data: rows.map((r) => ({ id: r.provider, ...r })), total });
  });

  return app;
}
