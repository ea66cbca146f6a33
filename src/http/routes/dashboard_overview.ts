/** @module The overview page (`/`): usage over today, 7 and 30 days, top models and providers, alerts, recent rows. */
import { Hono } from "../packages.ts";
import { overviewModel, type Renderer } from "../../dashboard/mod.ts";
import { createDailyUsageReader, DAY_MS, listApiKeys, recentUsage } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { guarded, show } from "./dashboard_base.ts";

/** Health of every enabled connection, named `provider/connection`, for alerts on the overview. */
export function connectionHealth(gw: Gateway): Parameters<typeof overviewModel>[0]["health"] {
  const out: Parameters<typeof overviewModel>[0]["health"] = [];
  for (const list of gw.state.connections.values()) {
    for (const conn of list) {
      const h = gw.routing.health.get(conn.id);
      if (!h) continue;
      out.push({
        connection: `${conn.provider.id}/${conn.name}`,
        state: h.state,
        openUntil: h.openUntil,
        cooldownUntil: h.cooldownUntil,
        cooldownReason: h.cooldownReason,
        lockouts: h.lockouts.length,
      });
    }
  }
  return out;
}

export function overviewRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const daily = createDailyUsageReader(gw.db);
  app.get(
    "/",
    guarded(gw, (c) => {
      const now = gw.now();
      const from = (Math.floor(now / DAY_MS) - 29) * DAY_MS;
      const model = overviewModel({
        now,
        version: gw.version,
        startedAt: gw.startedAt,
        daily: daily.read(from, now + 1),
        providers: [...gw.state.connections.entries()].map(([id, list]) => ({
          id,
          name: gw.state.registry.get(id)?.name ?? id,
          connections: list.length,
        })),
        keys: listApiKeys(gw.db).length,
        health: connectionHealth(gw),
        recent: recentUsage(gw.db, 15).map((r) => ({
          requestId: r.requestId,
          ts: r.ts,
          model: r.requestedModel,
          route: r.attempts,
          status: r.status,
          latencyMs: r.latencyMs,
          tokensIn: r.tokensIn,
          tokensOut: r.tokensOut,
        })),
      });
      return show(c, render, { page: "overview", active: "overview", data: { ...model } });
    }),
  );
  return app;
}
