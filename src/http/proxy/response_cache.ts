/**
 * @module The exact-match response cache: which requests qualify (deterministic, non-stream), the key (a hash of
 * the key id, surface, model and the normalized body), a bounded LRU with TTL of finished answers, and hit-rate
 * counters. Entries are scoped per API key by the key itself.
 */
import type { WireFormat } from "../../core/canonical.ts";
import { createLru } from "../../core/lru.ts";

/** A finished answer as the client got it, enough to serve it again. */
export interface StoredAnswer {
  status: number;
  /** The response headers worth repeating (content type, route, token counts, dropped hints). */
  headers: Record<string, string>;
  body: string;
  tokensIn: number;
  tokensOut: number;
}

export interface CacheStats {
  entries: number;
  hits: number;
  misses: number;
  bypasses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
}

export interface ResponseCache {
  /** A fresh entry (counted as a hit) or undefined (counted as a miss). */
  lookup(key: string): StoredAnswer | undefined;
  store(key: string, answer: StoredAnswer, ttlMs: number): void;
  /** Counts a request that skipped the lookup (`x-switchyard-no-cache`, `Cache-Control: no-cache`). */
  noteBypass(): void;
  stats(): CacheStats;
  clear(): void;
}

/** `maxEntries` 0 disables the cache (SEMANTIC_CACHE_MAX_SIZE=0). */
export function createResponseCache(options: { maxEntries: number; now: () => number }): ResponseCache {
  const lru = createLru<StoredAnswer>({ maxEntries: options.maxEntries, ttlMs: 3_600_000, now: options.now });
  let hits = 0;
  let misses = 0;
  let bypasses = 0;
  return {
    lookup(key) {
      const hit = lru.get(key);
      if (hit) hits++;
      else misses++;
      return hit;
    },
    store: (key, answer, ttlMs) => lru.set(key, answer, ttlMs),
    noteBypass() {
      bypasses++;
    },
    stats: () => ({
      entries: lru.size,
      hits,
      misses,
      bypasses,
      hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    }),
    clear() {
      lru.clear();
      hits = 0;
      misses = 0;
      bypasses = 0;
    },
  };
}

/** Deterministic in the client's terms: temperature 0 (Gemini keeps it in generationConfig). */
export function isDeterministic(surface: WireFormat, body: Record<string, unknown>): boolean {
  if (surface === "gemini") {
    const gc = (body.generationConfig ?? body.generation_config) as { temperature?: unknown } | undefined;
    return gc?.temperature === 0;
  }
  return body.temperature === 0;
}

/** True when the client asked to skip the cache for this request. */
export function wantsNoCache(headers: Headers): boolean {
  if (headers.get("x-switchyard-no-cache")?.trim().toLowerCase() === "true") return true;
  return /(^|,)\s*no-(cache|store)\s*(,|$)/i.test(headers.get("cache-control") ?? "");
}

/** Fields that do not change the answer (transport and bookkeeping). */
const IGNORED_FIELDS = new Set(["stream", "stream_options", "user", "metadata"]);

/** JSON with object keys sorted, so key order in the client's body does not split the cache. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 (hex) of everything that decides the answer: key, surface, model and route, and the normalized body. */
export async function cacheKey(parts: {
  keyId: string | undefined;
  surface: WireFormat;
  model: string;
  /** The first target the model resolves to (`openai/gpt-4.1`): an alias edit then misses old entries. */
  target: string;
  /** Vendor options outside the body (Anthropic `?beta=true`, `anthropic-beta`). */
  extra: string;
  body: Record<string, unknown>;
}): Promise<string> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parts.body)) if (!IGNORED_FIELDS.has(k)) body[k] = v;
  const text = [parts.keyId ?? "", parts.surface, parts.model, parts.target, parts.extra, stableJson(body)].join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
