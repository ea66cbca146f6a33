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
 * The first step of every request: a fresh `x-request-id` (the time in base 36 ms, so a log lookup by id can use the
 * time index: see `requestIdTime`; a random per-process part; a counter) and the IP access check. One middleware,
 * not two: each compose step costs the hot path a closure and a promise.
 */
function requestEdge(gw: Gateway): MiddlewareHandler<AppEnv> {
  const process = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  let counter = 0;
  const checkIp = ipAccess(gw);
  return async function requestEdge(c, next) {
    const id = `req_${gw.now().toString(36).padStart(9, "0")}${process}${(++counter).toString(36).padStart(5, "0")}`;
    c.set("requestId", id);
    checkIp(c);
    await next();
    // Proxied responses carry it already (setting a header again makes Deno rebuild the response's native headers),
    // and so do errors (onError).
    if (!c.get("stamped") && !c.res.headers.has("x-request-id")) c.res.headers.set("x-request-id", id);
  };
}

/**
 * The inference routes' edge: the key check, then 413 before reading past the body limit (MAX_BODY_MB or
 * `advanced.maxBodyMb`). A declared Content-Length is checked here at no cost; only bodies without one (chunked) go
 * through Hono's counting reader.
 */
function inferenceEdge(gw: Gateway): MiddlewareHandler<AppEnv> {
  const bySize = new Map<number, MiddlewareHandler>();
  const authorize = inferenceAuth(gw);
  return async function inferenceEdge(c, next) {
    const mb = gw.config.maxBodyMb ?? gw.state.settings.advanced.maxBodyMb;
    const declared = c.req.header("content-length");
    const chunked = declared === undefined || c.req.header("transfer-encoding") !== undefined;
    if (!chunked && Number(declared) > mb * 1024 * 1024) {
      throw new GatewayError("payload_too_large", `request body is larger than ${mb} MB`);
    }
    authorize(c);
    if (!chunked) return await next();
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
  app.use("*", requestEdge(gw));
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

  const inference = inferenceEdge(gw);
  app.use("/v1/*", inference);
  app.use("/v1beta/*", inference);
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
