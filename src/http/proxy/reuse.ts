/**
 * @module Answers served again without an upstream call: response-cache hits and idempotent replays. Both are
 * recorded in usage as cached, cost 0 and no budget spend (CONTRACT: config file). Also the capture of a fresh
 * answer into a StoredAnswer (JSON bodies whole; streams as their SSE text, up to a size cap).
 */
import { GatewayError } from "../../core/errors.ts";
import type { Gateway } from "../context.ts";
import { recordUsage } from "./answer.ts";
import { IDEMPOTENCY_LIMITS, type Outcome } from "./idempotency.ts";
import type { ProxyJob } from "./job.ts";
import { usageRow } from "./job.ts";
import { cacheKey, type StoredAnswer, wantsNoCache } from "./response_cache.ts";
import { embed, promptText } from "./semantic_cache.ts";

/** Response headers of an answer that are worth repeating with it. */
const KEPT_HEADERS = [
  "content-type",
  "x-switchyard-route",
  "x-switchyard-dropped",
  "x-switchyard-tokens-in",
  "x-switchyard-tokens-out",
  "x-switchyard-cache",
  "retry-after",
];

function keptHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = res.headers.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}

function storedAnswer(res: Response, body: string): StoredAnswer {
  return {
    status: res.status,
    headers: keptHeaders(res),
    body,
    tokensIn: Number(res.headers.get("x-switchyard-tokens-in") ?? 0) || 0,
    tokensOut: Number(res.headers.get("x-switchyard-tokens-out") ?? 0) || 0,
  };
}

/** Serves a stored answer again under this request's id, and records it as cached (cost 0). */
export async function replay(
  gw: Gateway,
  job: ProxyJob,
  answer: StoredAnswer,
  how: "cache" | "idempotent",
  /** Cosine similarity of a semantic-mode hit. */
  similarity?: number,
): Promise<Response> {
  const now = gw.now();
  const row = usageRow(job, {
    attempts: [],
    status: answer.status,
    usage: { inputTokens: answer.tokensIn, outputTokens: answer.tokensOut },
    estimated: false,
    cost: 0,
    now,
    ttftMs: now - job.startedAt,
    errorCode: answer.status < 400 ? null : "replayed_error",
  });
  await recordUsage(gw, { ...row, attempts: answer.headers["x-switchyard-route"] ?? "", cached: true });
  const headers: Record<string, string> = {
    ...answer.headers,
    "x-request-id": job.requestId,
    "x-switchyard-cost": (0).toFixed(8),
    "x-switchyard-latency-ms": String(now - job.startedAt),
  };
  if (how === "cache") headers["x-switchyard-cache"] = "hit";
  if (similarity !== undefined) headers["x-switchyard-cache-similarity"] = similarity.toFixed(4);
  else headers["x-switchyard-idempotent-replay"] = "true";
  if (headers["content-type"]?.startsWith("text/event-stream")) headers["cache-control"] = "no-cache";
  return new Response(answer.body, { status: answer.status, headers });
}

export interface CacheContext {
  /** `provider/model` of the first target. */
  target: string;
}

/**
 * For a deterministic request (the caller checked: non-stream, the client's temperature 0): serves from the
 * response cache when it is on and the key has not opted out, else runs it and keeps a 200 answer.
 */
export async function withResponseCache(
  gw: Gateway,
  job: ProxyJob,
  ctx: CacheContext,
  run: () => Promise<Response>,
): Promise<Response> {
  const settings = gw.state.settings.advanced;
  if (!settings.cacheEnabled || gw.config.cacheMaxSize <= 0) return await run();
  if (job.key?.options?.noCache) return await run();
  const anthropicBeta = job.surface === "anthropic" ? job.clientHeaders.get("anthropic-beta") ?? "" : "";
  const key = await cacheKey({
    keyId: job.key?.id,
    surface: job.surface,
    model: job.requestedModel,
    target: ctx.target,
    extra: `${job.clientQuery}\n${anthropicBeta}`,
    body: job.body,
  });
  const semantic = settings.semanticCache;
  const scope = `${
    job.key?.id ?? ""
  }\n${job.surface}\n${job.requestedModel}\n${ctx.target}\n${job.clientQuery}\n${anthropicBeta}`;
  let vector: Float32Array | undefined;
  if (wantsNoCache(job.clientHeaders)) gw.responseCache.noteBypass();
  else {
    const hit = gw.responseCache.lookup(key);
    if (hit) return await replay(gw, job, hit, "cache");
    if (semantic.enabled) {
      try {
        vector = await embed(gw, semantic.model, promptText(job.surface, job.body));
        const match = gw.semanticCache.find(scope, vector, semantic.threshold);
        if (match) return await replay(gw, job, match.answer, "cache", match.similarity);
      } catch (err) {
        // The semantic mode is an optimisation: a failed embeddings call leaves the request to the upstream.
        gw.logger.log("warn", "semantic cache: embeddings call failed", { error: (err as Error).message });
      }
    }
  }
  const res = await run();
  if (res.status !== 200) return res;
  const text = await res.text();
  const stored = storedAnswer(res, text);
  gw.responseCache.store(key, stored, settings.cacheTtlMs);
  if (vector) gw.semanticCache.add(scope, vector, stored, settings.cacheTtlMs);
  return new Response(text, { status: res.status, headers: res.headers });
}

/** The (API key, Idempotency-Key) scope of a request, or undefined when it carries no key or dedupe is off. */
export function idempotencyScope(gw: Gateway, job: ProxyJob): string | undefined {
  if (gw.state.settings.advanced.idempotencyWindowMs <= 0) return undefined;
  const id = job.clientHeaders.get("idempotency-key") ?? job.clientHeaders.get("x-request-id");
  return id ? `${job.key?.id ?? ""}\u0000${id}` : undefined;
}

/**
 * The first request of a scope runs and its answer is captured; a duplicate waits for it and gets the same
 * answer. An answer over the size cap is not kept: a duplicate gets 409. One that never finished (the client
 * left mid-stream) lets the duplicate run on its own.
 */
export async function withIdempotency(
  gw: Gateway,
  job: ProxyJob,
  scope: string,
  run: () => Promise<Response>,
): Promise<Response> {
  const claim = gw.idempotency.claim(scope);
  if (!claim.leader) {
    const outcome = await claim.outcome;
    if (outcome === "too_large") {
      throw new GatewayError(
        "invalid_request",
        "a request with this idempotency key was answered, but the answer is too large to replay; use a new key",
        { status: 409 },
      );
    }
    return outcome ? await replay(gw, job, outcome, "idempotent") : await run();
  }
  const windowMs = () => gw.state.settings.advanced.idempotencyWindowMs;
  let res: Response;
  try {
    res = await run();
  } catch (err) {
    claim.settle(undefined, 0);
    throw err;
  }
  const settle = (o: Outcome): void => claim.settle(o, windowMs());
  if (!res.body || !res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const text = await res.text();
    settle(text.length > IDEMPOTENCY_LIMITS.maxAnswerBytes ? "too_large" : storedAnswer(res, text));
    return new Response(text, { status: res.status, headers: res.headers });
  }
  return new Response(captureStream(res, settle), { status: res.status, headers: res.headers });
}

/** Passes a stream through untouched (pull by pull) while keeping its text, up to the cap, for duplicates. */
function captureStream(res: Response, settle: (o: Outcome) => void): ReadableStream<Uint8Array> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let tooLarge = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (err) {
        settle(undefined);
        throw err;
      }
      if (r.done) {
        settle(tooLarge ? "too_large" : storedAnswer(res, text + decoder.decode()));
        return controller.close();
      }
      if (!tooLarge) {
        text += decoder.decode(r.value, { stream: true });
        if (text.length > IDEMPOTENCY_LIMITS.maxAnswerBytes) {
          tooLarge = true;
          text = "";
        }
      }
      controller.enqueue(r.value);
    },
    cancel(reason) {
      settle(undefined);
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
