/** @module /healthz: no auth, 200 when the store is writable (load balancers and Docker health checks). */
import { Hono } from "hono";
import { isWritable } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";

export function healthRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => {
    const ok = isWritable(gw.db);
    return c.json({ status: ok ? "ok" : "store not writable" }, ok ? 200 : 503);
  });
  return app;
}
