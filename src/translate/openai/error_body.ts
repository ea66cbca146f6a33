/** @module OpenAI error bodies (and the odd shapes of OpenAI-compatible providers) ⇄ WireError. */
import type { WireError } from "../../core/codec.ts";
import { openaiTypeForStatus } from "../../core/errors.ts";

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  529: "Overloaded",
};

function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? `HTTP ${status}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A message from FastAPI-style `detail` (a string, or a list of `{msg}` validation errors). */
function detailMessage(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const msgs = detail.map((d) => (isRecord(d) && typeof d.msg === "string" ? d.msg : JSON.stringify(d)));
    return msgs.join("; ");
  }
  if (isRecord(detail) && typeof detail.message === "string") return detail.message;
  return undefined;
}

/** Finds `{message, type, code}` in the shapes providers use; `undefined` fields when absent. */
export function readErrorObject(body: unknown): { message?: string; type?: string; code?: unknown } {
  // Some compatible servers (Gemini's OpenAI endpoint among them) wrap the error object in a one-item list.
  if (Array.isArray(body) && body.length > 0) return readErrorObject(body[0]);
  if (typeof body === "string") return body.trim() === "" ? {} : { message: body.trim() };
  if (!isRecord(body)) return {};
  const err = body.error;
  if (typeof err === "string") return { message: err, type: typeof body.type === "string" ? body.type : undefined };
  if (isRecord(err)) {
    const message = typeof err.message === "string" ? err.message : detailMessage(err.detail);
    const type = typeof err.type === "string" ? err.type : typeof err.status === "string" ? err.status : undefined;
    return { message, type, code: err.code };
  }
  const message = typeof body.message === "string" ? body.message : detailMessage(body.detail);
  return { message, type: typeof body.type === "string" ? body.type : undefined, code: body.code };
}

/** The HTTP status an in-stream `{"error":{…}}` stands for (a stream has no status of its own). */
export function statusForErrorObject(type: string | undefined, code: unknown): number {
  if (typeof code === "number" && code >= 400 && code <= 599) return code;
  const key = `${type ?? ""} ${typeof code === "string" ? code : ""}`;
  if (/rate_limit|insufficient_quota|quota|too_many/.test(key)) return 429;
  if (/authentication|invalid_api_key/.test(key)) return 401;
  if (/permission/.test(key)) return 403;
  if (/not_found/.test(key)) return 404;
  if (/context_length|invalid_request/.test(key)) return 400;
  if (/timeout/.test(key)) return 504;
  if (/overloaded|unavailable/.test(key)) return 503;
  if (/server_error|api_error|internal/.test(key)) return 500;
  return 502;
}

/**
 * Decodes an upstream error body. OpenAI sends `{"error":{"message","type","param","code"}}`; compatible
 * providers also send `{"error":"…"}`, `{"message":…}`, FastAPI's `{"detail":…}`, a one-item list, or text.
 * `type` is the upstream's own `error.type` (else its `code`, else OpenAI's type for the status).
 */
export function decodeError(status: number, body: unknown): WireError {
  const { message, type, code } = readErrorObject(body);
  return {
    status,
    type: type ?? (typeof code === "string" ? code : openaiTypeForStatus(status)),
    message: message !== undefined && message !== "" ? message : reasonPhrase(status),
  };
}

/** The contract's stable `error.code` for a status (CONTRACT.md, "Error codes"). */
export function gatewayCodeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_denied";
  if (status === 404) return "not_found";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limited";
  if (status === 504) return "upstream_timeout";
  if (status >= 500) return "upstream_error";
  return "invalid_request";
}

/**
 * Encodes an error for an OpenAI client: `type` from OpenAI's vocabulary for the status (its SDKs pick the
 * exception class by status and type), `code` the gateway's stable code.
 */
export function encodeError(error: WireError): Record<string, unknown> {
  return {
    error: {
      message: error.message,
      type: openaiTypeForStatus(error.status),
      param: null,
      code: gatewayCodeForStatus(error.status),
    },
  };
}
