/**
 * @module GET /metrics: Prometheus text exposition (0.0.4). Open to local clients when the gateway is bound to
 * loopback (and the request did not come through a proxy); otherwise an admin key or a dashboard session.
 */
import { Hono } from "hono";
import { isLoopbackHost } from "../../config/mod.ts";
import { adminAuth, isProxied } from "../auth.ts";
import type { AppEnv, Gateway } from "../context.ts";

export function metricsRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = adminAuth(gw);
  const loopback = isLoopbackHost(gw.config.host);

  app.use("/metrics", async function metricsAuth(c, next) {
    if (loopback && !isProxied(c)) return await next();
    return await admin(c, next);
  });

  app.get("/metrics", (c) => {
    const byId = new Map([...gw.state.connections.values()].flat().map((conn) => [conn.id, conn]));
    const breakers = [];
    for (const conn of byId.values()) {
      breakers.push({
        provider: conn.provider.id,
        connection: conn.name,
        state: gw.routing.health.get(conn.id)?.state ?? "closed" as const,
      });
    }
    const queues = [];
    for (const q of gw.routing.limiter.list()) {
      const conn = byId.get(q.key);
      if (conn) queues.push({ provider: conn.provider.id, connection: conn.name, waiting: q.queued, active: q.active });
    }
    const mem = Deno.memoryUsage();
    const text = gw.metrics.render({
      inFlight: gw.inFlight,
      breakers,
      queues,
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal },
      uptimeSeconds: Math.round((gw.now() - gw.startedAt) / 1000),
    });
    return c.body(text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  return app;
}
