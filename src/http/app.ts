/** @module createApp(gateway): the Hono app with its middleware, surfaces, management API and dashboard. */
import { Hono } from "hono";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GatewayError } from "../core/errors.ts";
import { adminAuth, inferenceAuth, ipAccess } from "./auth.ts";
import type { AppEnv, Gateway } from "./context.ts";
import { errorResponse, toGatewayError } from "./errors.ts";
import { backupRoutes } from "./routes/api_backups.ts";
import { connectionRoutes } from "./routes/api_connections.ts";
import { keyRoutes } from "./routes/api_keys.ts";
import { modelRoutes } from "./routes/api_models.ts";
import { routingDataRoutes } from "./routes/api_routing.ts";
import { settingsRoutes } from "./routes/api_settings.ts";
import { usageRoutes } from "./routes/api_usage.ts";
import { logRoutes } from "./routes/api_logs.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { cacheRoutes } from "./routes/api_cache.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { dashboardPages } from "./routes/dashboard_pages.ts";
import { healthRoutes } from "./routes/health.ts";
import { resilienceRoutes } from "./routes/api_resilience.ts";
import { translatorRoutes } from "./routes/api_translator.ts";
import { costRoutes } from "./routes/api_costs.ts";
import { openaiRoutes } from "./routes/openai.ts";
import { anthropicRoutes } from "./routes/anthropic.ts";
import { geminiRoutes } from "./routes/gemini.ts";
import { responsesRoutes } from "./routes/responses.ts";

/**
 * Sets a fresh `x-request-id` on every response: the time (base 36 ms, so a log lookup by id can use the time
 * index: see `requestIdTime`), a random per-process part and a counter (unique, cheap).
 */
function requestId(now: () => number): MiddlewareHandler<AppEnv> {
  const process = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  let counter = 0;
  return async function requestId(c, next) {
    const id = `req_${now().toString(36).padStart(9, "0")}${process}${(++counter).toString(36).padStart(5, "0")}`;
    c.set("requestId", id);
    await next();
    // Proxied responses carry it already; setting it again would make Hono copy the response.
    if (!c.res.headers.has("x-request-id")) c.res.headers.set("x-request-id", id);
  };
}

/**
 * 413 before reading past the limit; the limit follows MAX_BODY_MB or `advanced.maxBodyMb`. A declared
 * Content-Length is checked here at no cost; only bodies without one (chunked) go through Hono's counting reader.
 */
function requestBodyLimit(gw: Gateway): MiddlewareHandler<AppEnv> {
  const bySize = new Map<number, MiddlewareHandler>();
  return async function requestBodyLimit(c, next) {
    const mb = gw.config.maxBodyMb ?? gw.state.settings.advanced.maxBodyMb;
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (Number(declared) > mb * 1024 * 1024) {
        throw new GatewayError("payload_too_large", `request body is larger than ${mb} MB`);
      }
      return await next();
    }
    let mw = bySize.get(mb);
    if (!mw) {
      mw = bodyLimit({
        maxSize: Math.floor(mb * 1024 * 1024),
        onError: () => {
          throw new GatewayError("payload_too_large", `request body is larger than ${mb} MB`);
        },
      });
      bySize.set(mb, mw);
    }
    return await mw(c, next);
  };
}

export function createApp(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requestId(gw.now));
  app.onError((err, c) => {
    const gerr = toGatewayError(err);
    if (gerr.status >= 500 && !(err instanceof GatewayError)) {
      gw.logger.log("error", "unhandled error", { path: c.req.path, error: (err as Error)?.stack ?? String(err) });
    }
    const res = errorResponse(c, gerr);
    res.headers.set("x-request-id", c.get("requestId") ?? "");
    return res;
  });
  app.notFound((c) => errorResponse(c, new GatewayError("not_found", `no route for ${c.req.method} ${c.req.path}`)));

  const limit = requestBodyLimit(gw);
  const inference = inferenceAuth(gw);
  app.use("*", ipAccess(gw));
  app.use("/v1/*", limit, inference);
  app.use("/v1beta/*", limit, inference);
  app.use("/api/*", adminAuth(gw));

  app.route("/", healthRoutes(gw));
  app.route("/", openaiRoutes(gw));
  app.route("/", anthropicRoutes(gw));
  app.route("/", responsesRoutes(gw));
  app.route("/", geminiRoutes(gw));
  app.route("/", connectionRoutes(gw));
  app.route("/", keyRoutes(gw));
  app.route("/", modelRoutes(gw));
  app.route("/", settingsRoutes(gw));
  app.route("/", costRoutes(gw));
  app.route("/", cacheRoutes(gw));
  app.route("/", usageRoutes(gw));
  app.route("/", logRoutes(gw));
  app.route("/", metricsRoutes(gw));
  app.route("/", resilienceRoutes(gw));
  app.route("/", translatorRoutes(gw));
  app.route("/", routingDataRoutes(gw));
  app.route("/", backupRoutes(gw));
  app.route("/", dashboardRoutes(gw));
  app.route("/", dashboardPages(gw));
  return app;
}
