/** @module /api/logs: request logs (usage rows) with filters and keyset paging, and the detail of one request. */
import { Hono } from "../packages.ts";
import { z } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { listLogs, logDetail, type LogFilter, parseAttempts } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { validate } from "./ingress.ts";

const isoTime = z.string().transform((v, ctx) => {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: "custom", message: "must be an ISO-8601 time" });
    return z.NEVER;
  }
  return t;
});

const querySchema = z.strictObject({
  status: z.coerce.number().int().min(100).max(599).optional(),
  /** `2xx`, `4xx`, `5xx` (or the digit alone). */
  statusClass: z.string().regex(/^[1-5](xx)?$/i, "one of 2xx, 3xx, 4xx, 5xx").transform((v) => Number(v[0]))
    .optional(),
  model: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  connection: z.string().min(1).optional(),
  surface: z.string().min(1).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** Part of a request id. */
  q: z.string().min(1).max(200).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export function logRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/logs", (c) => {
    const q = validate(querySchema, c.req.query());
    const filter: LogFilter = {
      status: q.status,
      statusClass: q.statusClass,
      model: q.model,
      keyId: q.key,
      provider: q.provider,
      connectionId: q.connection,
      surface: q.surface,
      from: q.from,
      to: q.to,
      q: q.q,
    };
    const page = listLogs(gw.db, filter, { cursor: q.cursor, limit: q.limit });
    return c.json({
      data: page.data.map((r) => ({ ...r, time: new Date(r.ts).toISOString() })),
      nextCursor: page.nextCursor,
    });
  });

  app.get("/api/logs/:requestId", (c) => {
    const requestId = c.req.param("requestId");
    const detail = logDetail(gw.db, requestId);
    if (!detail) throw new GatewayError("not_found", `no request ${requestId} in the logs`);
    const rows = detail.rows.map((r) => ({
      ...r,
      time: new Date(r.ts).toISOString(),
      attempts: parseAttempts(r.attempts),
      route: r.attempts,
      timings: { totalMs: r.latencyMs, ttftMs: r.ttftMs },
      tokens: {
        input: r.tokensIn,
        output: r.tokensOut,
        cached: r.tokensCached,
        reasoning: r.tokensReasoning,
        cacheWrite: r.tokensCacheWrite,
        estimated: r.estimated,
      },
    }));
    return c.json({
      id: requestId,
      requestId,
      usage: rows,
      bodies: detail.bodies,
      requestLogs: gw.config.enableRequestLogs,
    });
  });

  return app;
}
