/**
 * @module The logs pages: `/logs` (filters, one keyset page of requests, "Older" via the cursor) and
 * `/logs/:requestId` (attempt trace, timings, tokens, cost, bodies). Same store functions as /api/logs.
 */
import { Hono } from "../packages.ts";
import {
  LOG_PAGE_SIZE,
  LOG_SCAN_BUDGET_MS,
  logDetailModel,
  logsModel,
  parseLogQuery,
  type Renderer,
} from "../../dashboard/mod.ts";
import { listApiKeys, listConnections, listLogs, logDetail, type LogRow, parseAttempts } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { guarded, show } from "./dashboard_base.ts";

function withSteps<T extends LogRow>(r: T): T & { steps: ReturnType<typeof parseAttempts> } {
  return { ...r, steps: parseAttempts(r.attempts) };
}

export function logPageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const names = () => ({
    keys: listApiKeys(gw.db).map((k) => ({ id: k.id, name: k.name })),
    connections: listConnections(gw.db).map((c) => ({ id: c.id, provider: c.provider, name: c.name })),
  });

  app.get(
    "/logs",
    guarded(gw, (c) => {
      const query = parseLogQuery(c.req.query());
      const fieldErrors = Object.keys(query.errors).some((k) => k !== "_form");
      // An invalid filter lists nothing (a half-applied filter would mislead); a broken cursor starts over.
      const page = fieldErrors
        ? { data: [], nextCursor: null }
        : listLogs(gw.db, query.filter, { cursor: query.cursor, limit: LOG_PAGE_SIZE, budgetMs: LOG_SCAN_BUDGET_MS });
      const model = logsModel({ query, rows: page.data.map(withSteps), nextCursor: page.nextCursor, ...names() });
      return show(c, render, {
        page: "logs",
        active: "logs",
        data: { ...model, invalid: fieldErrors },
        status: fieldErrors ? 422 : 200,
      });
    }),
  );

  app.get(
    "/logs/:requestId",
    guarded(gw, (c) => {
      const requestId = c.req.param("requestId") ?? "";
      const ts = Number(c.req.query("ts"));
      const detail = logDetail(gw.db, requestId, { ts: Number.isSafeInteger(ts) && ts > 0 ? ts : undefined });
      if (!detail) {
        return show(c, render, { page: "log", active: "logs", data: { missing: requestId }, status: 404 });
      }
      const model = logDetailModel({
        requestId,
        rows: detail.rows.map(withSteps),
        bodies: detail.bodies,
        requestLogs: gw.config.enableRequestLogs,
        ...names(),
      });
      return show(c, render, { page: "log", active: "logs", data: { ...model, missing: "" } });
    }),
  );

  return app;
}
