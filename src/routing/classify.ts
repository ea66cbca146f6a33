/**
 * @module The one failure-classification table (docs/routing.md §3): what an upstream answer means for the
 * request (fallback or not) and for the connection (cooldown, breaker, model lockout).
 */

export type FailureAction =
  /** The request itself is wrong: answer the client, no cooldown, no fallback. */
  | "return"
  /** The credential is bad: cool the connection down, try the next one. */
  | "credential"
  /** Quota or credit exhausted: long cooldown for the connection, try the next one. */
  | "quota"
  /** The model is unknown to this connection: lock the model out there, try the next entry. */
  | "model"
  /** Rate limited: cooldown from the upstream's hint or backoff, try the next one. */
  | "rate_limit"
  /** Upstream fault (5xx, reset, timeout): breaker failure, try the next one. */
  | "upstream";

export interface Classification {
  action: FailureAction;
  /** True when the next candidate may be tried. */
  fallback: boolean;
}

/** Phrases vendors use for an exhausted quota or balance (OpenAI insufficient_quota, Anthropic credit balance…). */
const QUOTA_TEXT =
  /insufficient[_ ]quota|quota (exceeded|exhausted)|exceeded your current quota|credit balance|billing|insufficient[_ ]balance|out of credits|payment required/i;

/** Classifies an upstream status (0 for a network failure) and its error text. */
export function classifyFailure(status: number, message = ""): Classification {
  if (status === 402 || (status === 429 || status === 403) && QUOTA_TEXT.test(message)) {
    return { action: "quota", fallback: true };
  }
  if (status === 401 || status === 403) return { action: "credential", fallback: true };
  if (status === 404) return { action: "model", fallback: true };
  if (status === 408 || status === 429) return { action: "rate_limit", fallback: true };
  if (status === 0 || status >= 500) return { action: "upstream", fallback: true };
  return { action: "return", fallback: false };
}

/**
 * Seconds to wait, from the answer's headers: `Retry-After` (seconds or HTTP date), Anthropic
 * `anthropic-ratelimit-*-reset` (RFC 3339), OpenAI `x-ratelimit-reset-requests|tokens` (`1s`, `6m0s`, `250ms`).
 * The longest hint wins (every limit must have reset). Undefined when there is none.
 */
export function retryAfterSeconds(
  headers: { get(name: string): string | null; forEach(each: (value: string, name: string) => void): void },
  nowMs: number,
): number | undefined {
  const hints: number[] = [];
  const ra = headers.get("retry-after");
  if (ra) {
    const n = Number(ra);
    if (Number.isFinite(n)) hints.push(Math.max(0, n));
    else {
      const t = Date.parse(ra);
      if (Number.isFinite(t)) hints.push(Math.max(0, (t - nowMs) / 1000));
    }
  }
  headers.forEach((value, name) => {
    if (/^anthropic-ratelimit-.*-reset$/.test(name)) {
      const t = Date.parse(value);
      if (Number.isFinite(t)) hints.push(Math.max(0, (t - nowMs) / 1000));
    } else if (/^x-ratelimit-reset-(requests|tokens)$/.test(name)) {
      const d = parseGoDuration(value);
      if (d !== undefined) hints.push(d);
    }
  });
  return hints.length ? Math.max(...hints) : undefined;
}

/** `1h2m3.5s`, `250ms`, `6m0s` → seconds (OpenAI's reset headers use Go duration strings). */
export function parseGoDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = "";
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : n / 1000;
    matched += m[0];
  }
  return matched.length > 0 && matched === text.trim() ? total : undefined;
}

/** Exponential backoff with full jitter: base·2^n, capped, times a random factor in [0.5, 1]. */
export function backoffMs(failures: number, options: { baseMs: number; maxMs: number; random: () => number }): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(raw * (0.5 + options.random() / 2));
}
