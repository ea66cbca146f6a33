/**
 * @module Synthetic usage rows for benches and scale tests: a deterministic mix of providers, connections, keys,
 * models, statuses and sizes, spread evenly over a time range, inserted in one transaction.
 */
import type { Db } from "./db.ts";

const PROVIDERS = ["openai", "anthropic", "gemini", "groq", "deepseek"];
const MODELS: Record<string, string[]> = {
  openai: ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "o3", "o4-mini", "gpt-5"],
  anthropic: ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"],
  gemini: ["gemini-2.5-pro", "gemini-2.5-flash"],
  groq: ["llama-3.3-70b-versatile", "qwen3-32b"],
  deepseek: ["deepseek-chat", "deepseek-reasoner"],
};
const SURFACES = ["openai", "anthropic", "gemini", "responses"];

/** A small deterministic PRNG (mulberry32), so runs compare like with like. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inserts `rows` rows with `ts` spread over [from, to), in id order of time. Returns the elapsed ms. */
export function insertSyntheticUsage(
  db: Db,
  options: { rows: number; from: number; to: number; seed?: number; keys?: number },
): number {
  const started = performance.now();
  const rand = prng(options.seed ?? 1);
  const keys = Array.from({ length: options.keys ?? 20 }, (_, i) => `key_${i}`);
  const stmt = db.prepare(
    `INSERT INTO usage (ts, request_id, key_id, surface, requested_model, provider, connection_id, model, status,
      stream, tokens_in, tokens_out, tokens_cached, tokens_reasoning, estimated, latency_ms, ttft_ms, cost, attempts,
      error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const step = (options.to - options.from) / options.rows;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (let i = 0; i < options.rows; i++) {
      const provider = PROVIDERS[Math.floor(rand() * PROVIDERS.length)];
      const models = MODELS[provider];
      const model = models[Math.floor(rand() * models.length)];
      const conn = `${provider}-conn-${Math.floor(rand() * 3)}`;
      const r = rand();
      const status = r < 0.93 ? 200 : r < 0.97 ? 429 : r < 0.99 ? 502 : 400;
      const ok = status === 200;
      const tokensIn = ok ? 50 + Math.floor(rand() * 4000) : 0;
      const tokensOut = ok ? 10 + Math.floor(rand() * 1500) : 0;
      const latency = 80 + Math.floor(rand() * 6000);
      const stream = rand() < 0.6;
      stmt.run(
        Math.floor(options.from + i * step),
        `req_synth${i.toString(36).padStart(8, "0")}`,
        rand() < 0.05 ? null : keys[Math.floor(rand() * keys.length)],
        SURFACES[Math.floor(rand() * SURFACES.length)],
        `${provider}/${model}`,
        provider,
        conn,
        model,
        status,
        stream ? 1 : 0,
        tokensIn,
        tokensOut,
        ok && rand() < 0.3 ? Math.floor(tokensIn / 2) : 0,
        0,
        0,
        latency,
        ok && stream ? Math.floor(latency / 4) : null,
        ok ? (tokensIn * 2 + tokensOut * 8) / 1e6 : 0,
        `${provider}:${conn}/${model}=${status}`,
        ok ? null : status === 429 ? "rate_limited" : status === 502 ? "upstream_error" : "invalid_request",
      );
    }
    db.exec("COMMIT");
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
  return performance.now() - started;
}
