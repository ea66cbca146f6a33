/**
 * @module createApp(gateway): the Hono app with its middleware and inference surfaces; the management API and the
 * dashboard load on first use (see admin_app.ts).
 */
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../core/errors.ts";
import { adminAuth, inferenceAuth, ipAccess } from "./auth.ts";
import type { AppEnv, Gateway } from "./context.ts";
import type { AdminApp } from "./admin_app.ts";
import { errorHandlers } from "./errors.ts";
// Through packages.ts, which also makes it a module the server has loaded before the admin side needs it.
import { bodyLimit, Hono } from "./packages.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { healthRoutes } from "./routes/health.ts";
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
  const { onError, notFound } = errorHandlers(gw.logger);
  app.onError(onError);
  app.notFound(notFound);

  const inference = inferenceEdge(gw);
  app.use("/v1/*", inference);
  app.use("/v1beta/*", inference);
  app.use("/api/*", adminAuth(gw));

  app.route("/", healthRoutes(gw));
  app.route("/", openaiRoutes(gw));
  app.route("/", anthropicRoutes(gw));
  app.route("/", responsesRoutes(gw));
  app.route("/", geminiRoutes(gw));
  app.route("/", metricsRoutes(gw));
  app.all("*", adminSide(gw));
  return app;
}

/**
 * Everything the routes above did not answer: the management API and the dashboard, imported and built on the first
 * such request (a literal specifier, so `deno compile` and bundles still include the modules). Unknown paths end in
 * its `notFound`, the same as the main app's.
 */
function adminSide(gw: Gateway): MiddlewareHandler<AppEnv> {
  let admin: Promise<AdminApp> | undefined;
  return async function adminSide(c) {
    admin ??= import("./admin_app.ts").then((m) => m.createAdminApp(gw));
    return await (await admin).dispatch(c);
  };
}
