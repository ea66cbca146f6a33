/**
 * @module Secret redaction for logged bodies: credential-looking strings anywhere in text (provider keys,
 * gateway keys, bearer tokens, auth header values) and the values of JSON fields named like a secret.
 */

export const REDACTED = "[redacted]";

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // Authorization / x-api-key / x-goog-api-key header values, in header or JSON form.
  [
    /((?:authorization|proxy-authorization|x-api-key|x-goog-api-key|api-key)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;}]+/gi,
    `$1${REDACTED}`,
  ],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, `Bearer ${REDACTED}`],
  // OpenAI / Anthropic (sk-ant-…) / Switchyard gateway keys and other `xx-` prefixed secrets.
  [/\b(sk|pk|rk|ak|sy)-[A-Za-z0-9_-]{8,}/g, `$1-${REDACTED}`],
  // Google API keys and OAuth access tokens.
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\bya29\.[0-9A-Za-z_-]{10,}/g, REDACTED],
];

/** Scrubs credential-looking substrings from any text. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, to] of TEXT_PATTERNS) out = out.replace(re, to);
  return out;
}

/**
 * True for field names that hold a secret: `api_key`, `apiKey`, `x-api-key`, `token`, `access_token`,
 * `client_secret`, `password`, `authorization`… but not counts such as `max_tokens` or `input_tokens`.
 */
export function isSecretField(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return /(key|token|secret|password|passwd|authorization|credentials?|cookie)$/.test(n);
}

/** A deep copy of a JSON value with secret fields replaced and every string scrubbed. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretField(k) && (typeof v === "string" || typeof v === "number") ? REDACTED : redactJson(v, depth + 1);
  }
  return out;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (on a character boundary). */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short texts need no encoding to know they fit.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  // `fatal: false` drops a split trailing character as U+FFFD; strip it.
  const cut = new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, "");
  return { text: cut, truncated: true };
}
