/** @module /healthz (no auth: 200 when the store is writable) and /api/health (status for admins). */
import { Hono } from "hono";
import { isWritable } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";

export function healthRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => {
    const ok = isWritable(gw.db);
    return c.json({ status: ok ? "ok" : "store not writable" }, ok ? 200 : 503);
  });
  app.get("/api/health", (c) => {
    const mem = Deno.memoryUsage();
    let connections = 0;
    for (const list of gw.state.connections.values()) connections += list.length;
    return c.json({
      status: isWritable(gw.db) ? "ok" : "degraded",
      version: gw.version,
      uptimeSeconds: Math.round((gw.now() - gw.startedAt) / 1000),
      memory: { rssMiB: +(mem.rss / 1048576).toFixed(1), heapUsedMiB: +(mem.heapUsed / 1048576).toFixed(1) },
      providers: [...gw.state.connections.entries()].map(([id, list]) => ({ id, connections: list.length })),
      connections,
    });
  });
  return app;
}
