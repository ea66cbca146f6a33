/** @module The one error type of the gateway; surfaces turn it into their own shape in `app.onError`. */

/** Stable `error.code` values from CONTRACT.md, with their HTTP status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  authentication_error: 401,
  permission_denied: 403,
  model_not_found: 404,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  budget_exceeded: 429,
  url_not_allowed: 400,
  provider_retired: 410,
  upstream_error: 502,
  upstream_timeout: 504,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface GatewayErrorOptions {
  /** HTTP status; defaults to the code's status. Upstream errors keep the upstream's status. */
  status?: number;
  /** OpenAI-style `error.type`; defaults from the status. */
  type?: string;
  param?: string | null;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Extra response headers (e.g. `x-switchyard-route`). */
  headers?: Record<string, string>;
}

/** OpenAI's `error.type` vocabulary by status (its SDK maps these back to exception classes). */
export function openaiTypeForStatus(status: number): string {
  if (status === 400 || status === 404 || status === 413 || status === 422) return "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status === 504) return "timeout_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

export class GatewayError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly type: string;
  readonly param: string | null;
  readonly retryAfter?: number;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.type = options.type ?? openaiTypeForStatus(this.status);
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers ?? {};
  }
}

/** Anthropic's error `type` for a status (https://docs.anthropic.com/en/api/errors). */
export function anthropicTypeForStatus(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return status === 413 ? "request_too_large" : "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** Google's canonical status names used in Gemini error bodies. */
export function geminiStatusFor(status: number): string {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ABORTED";
    case 413:
      return "INVALID_ARGUMENT";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 501:
      return "UNIMPLEMENTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

/** A bad config file, flag or environment value: the start stops with this message (file, path, reason). */
export class ConfigError extends GatewayError {
  constructor(message: string) {
    super("invalid_request", message);
    this.name = "ConfigError";
  }
}
