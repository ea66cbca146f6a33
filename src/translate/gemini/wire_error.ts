/** @module Gemini error bodies (`{"error":{"code","message","status","details"}}`) ⇄ the neutral WireError. */
import type { WireError } from "../../core/codec.ts";
import { geminiStatusFor } from "../../core/errors.ts";
import { errorBodySchema } from "./schema.ts";

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/** `"30s"` / `"1.5s"` (google.protobuf.Duration JSON) → whole seconds, rounded up. */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match === null ? undefined : Math.ceil(Number(match[1]));
}

function retryAfterOf(details: unknown[] | undefined): number | undefined {
  for (const detail of details ?? []) {
    if (typeof detail !== "object" || detail === null) continue;
    const d = detail as Record<string, unknown>;
    if (d["@type"] === RETRY_INFO) return durationSeconds(d.retryDelay);
  }
  return undefined;
}

/**
 * Upstream error body → WireError. Streaming endpoints without `alt=sse` wrap the body in an array, and proxies may
 * send text; both are accepted, falling back to the HTTP status.
 */
export function decodeError(status: number, body: unknown): WireError {
  let value = Array.isArray(body) ? body[0] : body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      // Plain text body: used as the message below.
    }
  }
  const parsed = errorBodySchema.safeParse(value);
  if (!parsed.success) {
    const text = typeof value === "string" && value.trim() !== "" ? value.trim() : `Upstream returned HTTP ${status}`;
    return { status, type: geminiStatusFor(status), message: text };
  }
  const err = parsed.data.error;
  const out: WireError = {
    status,
    type: err.status ?? geminiStatusFor(status),
    message: err.message ?? `Upstream returned HTTP ${status}`,
  };
  const retryAfter = retryAfterOf(err.details);
  if (retryAfter !== undefined) out.retryAfter = retryAfter;
  return out;
}

/** WireError → Gemini's error body; a non-Google `type` (e.g. `rate_limit_error`) is replaced by the status name. */
export function encodeError(error: WireError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code: error.status,
    message: error.message,
    status: /^[A-Z][A-Z_]*$/.test(error.type) ? error.type : geminiStatusFor(error.status),
  };
  if (error.retryAfter !== undefined) body.details = [{ "@type": RETRY_INFO, retryDelay: `${error.retryAfter}s` }];
  return { error: body };
}
