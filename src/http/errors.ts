/** @module Turns any thrown error into the surface's own error shape (the only serializer of GatewayError). */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { WireFormat } from "../core/canonical.ts";
import { anthropicTypeForStatus, GatewayError, geminiStatusFor } from "../core/errors.ts";
import type { AppEnv } from "./context.ts";
import type { Logger } from "./logger.ts";

/** Which client format a path speaks, for error shapes. */
export function surfaceOf(path: string): WireFormat {
  if (path.startsWith("/v1/messages")) return "anthropic";
  if (path.startsWith("/v1beta")) return "gemini";
  if (path.startsWith("/v1/responses")) return "responses";
  return "openai";
}

/** The error body in a surface's shape. */
export function errorBody(surface: WireFormat, err: GatewayError): Record<string, unknown> {
  if (surface === "anthropic") {
    return { type: "error", error: { type: anthropicTypeForStatus(err.status), message: err.message } };
  }
  if (surface === "gemini") {
    return { error: { code: err.status, message: err.message, status: geminiStatusFor(err.status) } };
  }
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Normalizes anything thrown into a GatewayError (unknown errors become a 500 without internals). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError("internal_error", "internal error");
}

/** Builds the JSON error response for a request path. */
export function errorResponse(c: Context, err: GatewayError): Response {
  const headers: Record<string, string> = { ...err.headers };
  if (err.retryAfter !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(err.retryAfter)));
  return c.json(errorBody(surfaceOf(c.req.path), err), err.status as 400, headers);
}

/**
 * The `onError` and `notFound` handlers every Hono app of ours installs (the main app and the admin side), so an
 * error looks the same whichever app answered it.
 */
export function errorHandlers(
  logger: Logger,
): { onError: ErrorHandler<AppEnv>; notFound: NotFoundHandler<AppEnv> } {
  return {
    onError(err, c) {
      const gerr = toGatewayError(err);
      if (gerr.status >= 500 && !(err instanceof GatewayError)) {
        logger.log("error", "unhandled error", { path: c.req.path, error: (err as Error)?.stack ?? String(err) });
      }
      const res = errorResponse(c, gerr);
      res.headers.set("x-request-id", c.get("requestId") ?? "");
      return res;
    },
    notFound: (c) => errorResponse(c, new GatewayError("not_found", `no route for ${c.req.method} ${c.req.path}`)),
  };
}
