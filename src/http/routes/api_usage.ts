/** @module /api/usage: totals and groups over a time range, from the usage table. */
import { Hono } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { summarizeUsage, USAGE_GROUPS, type UsageGroup } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";

function parseTime(name: string, value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const t = Date.parse(value);
  if (!Number.isFinite(t)) {
    throw new GatewayError("invalid_request", `${name} must be an ISO-8601 time`, { param: name });
  }
  return t;
}

export function usageRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/usage", (c) => {
    const now = gw.now();
    const from = parseTime("from", c.req.query("from"), now - 30 * 86_400_000);
    const to = parseTime("to", c.req.query("to"), now + 1);
    const groupBy = c.req.query("groupBy");
    if (groupBy && !USAGE_GROUPS.includes(groupBy as UsageGroup)) {
      throw new GatewayError("invalid_request", `groupBy must be one of ${USAGE_GROUPS.join(", ")}`, {
        param: "groupBy",
      });
    }
    return c.json(summarizeUsage(gw.db, from, to, groupBy as UsageGroup | undefined));
  });
  return app;
}
