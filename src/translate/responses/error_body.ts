/** @module OpenAI-style error bodies (`{"error":{"message","type","param","code"}}`) ⇄ neutral WireError. */
import type { WireError } from "../../core/codec.ts";
import { openaiTypeForStatus } from "../../core/errors.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Upstream error body → neutral error; odd bodies fall back to their text or the status. */
export function decodeError(status: number, body: unknown): WireError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error) {
    const type = typeof error.type === "string" ? error.type : typeof error.code === "string" ? error.code : "error";
    const message = typeof error.message === "string" && error.message !== "" ? error.message : `HTTP ${status}`;
    return { status, type, message };
  }
  if (typeof body === "string" && body.trim() !== "") {
    return { status, type: openaiTypeForStatus(status), message: body };
  }
  return { status, type: openaiTypeForStatus(status), message: `HTTP ${status}` };
}

/** The gateway's `error.code` for a status (CONTRACT.md). */
function codeForStatus(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 413:
      return "payload_too_large";
    case 429:
      return "rate_limited";
    case 504:
      return "upstream_timeout";
    default:
      return status >= 500 ? "upstream_error" : "invalid_request";
  }
}

/** OpenAI's own `error.type` vocabulary; another format's type is replaced by the one for the status. */
const OPENAI_TYPES = new Set([
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "rate_limit_error",
  "insufficient_quota",
  "timeout_error",
  "api_error",
  "server_error",
]);

/** Neutral error → the Responses API's error body. */
export function encodeError(error: WireError): Record<string, unknown> {
  const type = OPENAI_TYPES.has(error.type) ? error.type : openaiTypeForStatus(error.status);
  return { error: { message: error.message, type, param: null, code: codeForStatus(error.status) } };
}
