/** @module /api/health (breakers, cooldowns, lockouts, queues) and /api/resilience/unlock|reset. */
import { Hono } from "../packages.ts";
import { z } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { limitsFor, profileKind } from "../../routing/runtime.ts";
import type { RuntimeConnection } from "../../routing/state.ts";
import { isWritable } from "../../store/mod.ts";
import { LATENCY_WINDOWS, latencyReport } from "../../usage/latency_report.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

const unlockSchema = z.strictObject({
  connectionId: z.string().min(1),
  /** Clears only this model's lockout on the connection. */
  model: z.string().min(1).optional(),
});

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function resilienceRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function connections(): RuntimeConnection[] {
    return [...gw.state.connections.values()].flat();
  }

  app.get("/api/health", (c) => {
    const now = gw.now();
    const mem = Deno.memoryUsage();
    const queues = new Map(gw.routing.limiter.list().map((q) => [q.key, q]));
    const list = connections().map((conn) => {
      const h = gw.routing.health.get(conn.id);
      const q = queues.get(conn.id);
      return {
        id: conn.id,
        provider: conn.provider.id,
        name: conn.name,
        profile: profileKind(conn),
        state: h?.state ?? "closed",
        consecutiveFailures: h?.failures ?? 0,
        openUntil: h && h.state !== "closed" ? iso(h.openUntil) : null,
        cooldown: h?.cooldownUntil
          ? {
            until: iso(h.cooldownUntil),
            secondsLeft: Math.ceil((h.cooldownUntil - now) / 1000),
            reason: h.cooldownReason,
          }
          : null,
        lockouts: (h?.lockouts ?? []).map((l) => ({
          model: l.model,
          until: iso(l.until),
          secondsLeft: Math.ceil((l.until - now) / 1000),
        })),
        inFlight: h?.inFlight ?? 0,
        requests: h?.requests ?? 0,
        latencyEwmaMs: h?.latencyEwmaMs ?? null,
        lastUsedAt: iso(h?.lastUsedAt ?? null),
        queue: { active: q?.active ?? 0, waiting: q?.queued ?? 0, limits: limitsFor(gw.state.settings, conn) },
      };
    });
    return c.json({
      status: isWritable(gw.db) ? "ok" : "degraded",
      version: gw.version,
      uptimeSeconds: Math.round((now - gw.startedAt) / 1000),
      memory: { rssMiB: +(mem.rss / 1048576).toFixed(1), heapUsedMiB: +(mem.heapUsed / 1048576).toFixed(1) },
      inFlight: gw.inFlight,
      connections: list,
      data: list,
      // p50/p95/p99 in ms of total latency and time to first token per provider/model, over sliding windows.
      latency: { windowsMinutes: LATENCY_WINDOWS, models: latencyReport(gw.latency) },
    });
  });

  app.post("/api/resilience/unlock", async (c) => {
    const input = validate(unlockSchema, await readJsonObject(c));
    if (!connections().some((x) => x.id === input.connectionId)) {
      throw new GatewayError("not_found", `no enabled connection ${input.connectionId}`, { param: "connectionId" });
    }
    const changed = gw.routing.health.unlock(input.connectionId, input.model);
    gw.saveHealth();
    return c.json({ id: input.connectionId, unlocked: changed });
  });

  app.post("/api/resilience/reset", (c) => {
    gw.routing.health.reset();
    gw.saveHealth();
    return c.json({ reset: true });
  });

  return app;
}
