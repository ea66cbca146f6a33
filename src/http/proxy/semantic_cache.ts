/**
 * @module The optional semantic mode of the response cache: after an exact-match miss, the prompt's text is
 * embedded through a configured embeddings model (an OpenAI-format connection's `/embeddings`) and compared by
 * cosine similarity with the prompts of stored answers in the same scope (key, surface, model, route). A match at
 * or above the threshold is served as a hit. Bounded: at most `maxEntries` vectors, oldest dropped first.
 */
import type { WireFormat } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { planCandidates } from "../../routing/runtime.ts";
import { codecFor } from "../../translate/mod.ts";
import type { Gateway } from "../context.ts";
import type { StoredAnswer } from "./response_cache.ts";
import { callUpstream, readBounded } from "./upstream.ts";

interface Entry {
  scope: string;
  vector: Float32Array;
  answer: StoredAnswer;
  expires: number;
}

export interface SemanticMatch {
  answer: StoredAnswer;
  similarity: number;
}

export interface SemanticCache {
  /** The stored answer in `scope` whose prompt is most similar to `vector`, if it reaches `threshold`. */
  find(scope: string, vector: Float32Array, threshold: number): SemanticMatch | undefined;
  add(scope: string, vector: Float32Array, answer: StoredAnswer, ttlMs: number): void;
  readonly size: number;
  hits(): number;
  clear(): void;
}

/** Unit length, so a dot product is the cosine similarity. */
export function normalize(values: number[]): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(values, (v) => v / norm);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

export function createSemanticCache(options: { maxEntries: () => number; now: () => number }): SemanticCache {
  let entries: Entry[] = [];
  let hitCount = 0;
  return {
    find(scope, vector, threshold) {
      const now = options.now();
      entries = entries.filter((e) => e.expires > now);
      let best: Entry | undefined;
      let bestSim = -1;
      for (const e of entries) {
        if (e.scope !== scope) continue;
        const sim = cosine(vector, e.vector);
        if (sim > bestSim) {
          best = e;
          bestSim = sim;
        }
      }
      if (!best || bestSim < threshold) return undefined;
      hitCount++;
      return { answer: best.answer, similarity: bestSim };
    },
    add(scope, vector, answer, ttlMs) {
      entries.push({ scope, vector, answer, expires: options.now() + ttlMs });
      const max = options.maxEntries();
      if (entries.length > max) entries = entries.slice(entries.length - max);
    },
    get size() {
      return entries.length;
    },
    hits: () => hitCount,
    clear() {
      entries = [];
      hitCount = 0;
    },
  };
}

/** The text the model reads: system blocks, then each message's text and tool results, in order. */
export function promptText(surface: WireFormat, body: Record<string, unknown>): string {
  const req = codecFor(surface).decodeRequest(body);
  const parts: string[] = req.system.map((s) => s.text);
  for (const m of req.messages) {
    for (const p of m.content) {
      if (p.type === "text") parts.push(`${m.role}: ${p.text}`);
      else if (p.type === "tool_call") parts.push(`call ${p.name} ${p.arguments}`);
      else if (p.type === "tool_result") {
        for (const c of p.content) if (c.type === "text") parts.push(`result: ${c.text}`);
      }
    }
  }
  return parts.join("\n");
}

/** Embeds `text` with the configured model through its first OpenAI-format connection. */
export async function embed(gw: Gateway, model: string, text: string): Promise<Float32Array> {
  const { candidates } = planCandidates(gw.state, gw.routing, model);
  const candidate = candidates.find((c) => c.connection.provider.format === "openai");
  if (!candidate) {
    throw new GatewayError("invalid_request", `no OpenAI-format connection serves the embeddings model "${model}"`);
  }
  const { connection, target } = candidate;
  const { response } = await callUpstream(gw.fetch, {
    url: `${connection.baseUrl.replace(/\/$/, "")}/embeddings`,
    headers: { "content-type": "application/json", ...connection.provider.headers(connection.apiKey) },
    body: JSON.stringify({ model: target.model, input: text }),
    timeoutMs: Math.min(gw.state.settings.resilience.requestTimeoutMs, 10_000),
    deadlines: gw.deadlines,
  });
  const raw = await readBounded(response, 4 * 1024 * 1024);
  if (!response.ok) throw new GatewayError("upstream_error", `embeddings answered ${response.status}`);
  const body = JSON.parse(raw) as { data?: Array<{ embedding?: unknown }> };
  const vector = body.data?.[0]?.embedding;
  if (!Array.isArray(vector) || vector.length === 0 || !vector.every((v) => typeof v === "number")) {
    throw new GatewayError("upstream_error", "embeddings answer has no vector");
  }
  return normalize(vector as number[]);
}
