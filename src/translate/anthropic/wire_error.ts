/** @module Anthropic error bodies (`{"type":"error","error":{type,message}}`) ⇄ WireError. */
import type { WireError } from "../../core/codec.ts";
import { anthropicTypeForStatus } from "../../core/errors.ts";
import { ErrorBody } from "./schema.ts";

const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** HTTP status for an Anthropic error type (stream `error` events carry only the type). */
export function statusForAnthropicType(type: string): number {
  return STATUS_BY_TYPE[type] ?? 500;
}

export function decodeError(status: number, body: unknown): WireError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { type, message } = parsed.data.error;
    return { status, type, message: message ?? `HTTP ${status}` };
  }
  const text = typeof body === "string" ? body.trim().slice(0, 500) : "";
  return { status, type: anthropicTypeForStatus(status), message: text === "" ? `HTTP ${status}` : text };
}

/** Keeps the type when it is already one of Anthropic's (the SDK maps it to exception classes), else maps the status. */
export function anthropicErrorType(error: Pick<WireError, "status" | "type">): string {
  return error.type in STATUS_BY_TYPE ? error.type : anthropicTypeForStatus(error.status);
}

export function encodeError(error: WireError): Record<string, unknown> {
  return { type: "error", error: { type: anthropicErrorType(error), message: error.message } };
}
