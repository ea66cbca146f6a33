/**
 * @module The health page: process facts, breakers, cooldowns with time left, lockouts with force unlock, reset
 * all, rate-limit queues, latency percentiles per provider/model. htmx re-fetches it every 10 s.
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { GatewayError } from "../../core/errors.ts";
import { healthModel, type Renderer } from "../../dashboard/mod.ts";
import { limitsFor, profileKind } from "../../routing/runtime.ts";
import { isWritable } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { guarded, readForm, show, written } from "./dashboard_base.ts";

/** Minutes of latency history the percentiles cover. */
const LATENCY_MINUTES = 60;

export function healthPageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function page(c: Context<AppEnv>, extra: Record<string, unknown> = {}): Response {
    const now = gw.now();
    const mem = Deno.memoryUsage();
    const queues = new Map(gw.routing.limiter.list().map((q) => [q.key, q]));
    const connections = [...gw.state.connections.values()].flat().map((conn) => {
      const h = gw.routing.health.get(conn.id);
      const q = queues.get(conn.id);
      const limits = limitsFor(gw.state.settings, conn);
      return {
        id: conn.id,
        provider: conn.provider.id,
        name: conn.name,
        profile: profileKind(conn),
        state: h?.state ?? "closed",
        failures: h?.failures ?? 0,
        openUntil: h?.openUntil ?? null,
        cooldownUntil: h?.cooldownUntil ?? null,
        cooldownReason: h?.cooldownReason ?? null,
        lockouts: h?.lockouts ?? [],
        inFlight: h?.inFlight ?? 0,
        requests: h?.requests ?? 0,
        latencyEwmaMs: h?.latencyEwmaMs ?? null,
        queue: {
          active: q?.active ?? 0,
          waiting: q?.queued ?? 0,
          rpm: limits.rpm,
          maxConcurrent: limits.maxConcurrent,
          queueSize: limits.queueSize,
        },
      };
    });
    const latency = gw.latency.series().filter((s) => s.startsWith("total:")).map((s) => ({
      series: s.slice("total:".length),
      ...gw.latency.percentiles(s, LATENCY_MINUTES),
    }));
    const model = healthModel({
      now,
      version: gw.version,
      startedAt: gw.startedAt,
      storeOk: isWritable(gw.db),
      memory: { rss: mem.rss, heapUsed: mem.heapUsed },
      inFlight: gw.inFlight,
      connections,
      latency,
    });
    return show(c, render, { page: "health", active: "health", data: { ...model, ...extra } });
  }

  app.get("/health", guarded(gw, (c) => page(c)));

  app.post(
    "/health/unlock",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const id = form.text("connectionId");
      const model = form.text("model") || undefined;
      const conn = [...gw.state.connections.values()].flat().find((x) => x.id === id);
      if (!conn) throw new GatewayError("not_found", `no enabled connection ${id}`);
      gw.routing.health.unlock(id, model);
      gw.saveHealth();
      const flash = model
        ? `Unlocked ${model} on ${conn.provider.id}/${conn.name}.`
        : `Unlocked ${conn.provider.id}/${conn.name}.`;
      return written(c, flash, "/health", (f) => page(c, { flash: f }));
    }),
  );

  app.post(
    "/health/reset",
    guarded(gw, (c) => {
      gw.routing.health.reset();
      gw.saveHealth();
      return written(c, "All breakers, cooldowns and lockouts reset.", "/health", (f) => page(c, { flash: f }));
    }),
  );

  return app;
}
