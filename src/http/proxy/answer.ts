/**
 * @module Turning an upstream answer (or a final failure) into the client's response: JSON bodies, streams,
 * error bodies, the response headers, and the usage row committed before the last byte.
 */
import type { Usage } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { topLevelMember } from "../../core/json_tail.ts";
import type { Release } from "../../routing/limiter.ts";
import type { Candidate } from "../../routing/resolve.ts";
import type { UsageRecord } from "../../store/mod.ts";
import { codecFor } from "../../translate/mod.ts";
import type { UpstreamReply } from "../client/mod.ts";
import type { Gateway } from "../context.ts";
import { errorBody } from "../errors.ts";
import { costOf, priceOf } from "./cost.ts";
import { type Attempt, NO_USAGE, type ProxyJob, routeHeader, usageRow } from "./job.ts";
import { clientWantsUsage } from "./prepare.ts";
import { translateStream } from "./stream.ts";
import { canonicalOf } from "./prepare.ts";
import { estimateRequestTokens, estimateResponseTokens, tokensOf } from "../../usage/estimate.ts";
import { type StreamTap, tapStream } from "../../usage/stream_tap.ts";

export function scrubSecrets(text: string, secret: string | undefined): string {
  let out = secret ? text.split(secret).join("[redacted]") : text;
  out = out.replace(/\b(sk|pk|rk|ak)-[A-Za-z0-9_-]{8,}/g, "$1-[redacted]").replace(
    /AIza[0-9A-Za-z_-]{20,}/g,
    "[redacted]",
  );
  return out;
}

export function baseHeaders(job: ProxyJob, attempts: Attempt[], dropped: string[]): Record<string, string> {
  const h: Record<string, string> = {
    "x-request-id": job.requestId,
    "x-switchyard-route": routeHeader(attempts),
    "x-switchyard-cache": "miss",
  };
  if (dropped.length > 0) h["x-switchyard-dropped"] = [...new Set(dropped)].join(", ");
  return h;
}

export async function failWith(
  gw: Gateway,
  job: ProxyJob,
  attempts: Attempt[],
  candidate: Candidate | undefined,
  error: GatewayError,
): Promise<Response> {
  await recordUsage(
    gw,
    usageRow(job, {
      attempts,
      winner: candidate,
      status: error.status,
      usage: NO_USAGE,
      estimated: false,
      cost: 0,
      now: gw.now(),
      ttftMs: null,
      errorCode: error.code,
    }),
    { job, candidate, body: gw.requestLog.enabled ? JSON.stringify(errorBody(job.surface, error)) : undefined },
  );
  const headers: Record<string, string> = { ...baseHeaders(job, attempts, []), "content-type": "application/json" };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.ceil(error.retryAfter));
  return new Response(JSON.stringify(errorBody(job.surface, error)), { status: error.status, headers });
}

export interface Answer {
  candidate: Candidate;
  attempts: Attempt[];
  headers: Record<string, string>;
  response: UpstreamReply;
  passthrough: boolean;
}

/** How much of a pass-through answer's end is decoded to find its usage. */
const USAGE_TAIL_BYTES = 16 * 1024;
const utf8 = new TextDecoder();

/**
 * The usage member of a JSON answer, read from its last bytes alone; undefined when it is not there (then the caller
 * parses the whole answer, which also refuses a body that is not JSON).
 */
function usageFromTail(bytes: Uint8Array, key: string): unknown {
  const tail = utf8.decode(bytes.subarray(Math.max(0, bytes.length - USAGE_TAIL_BYTES)));
  const raw = topLevelMember(tail, key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export async function jsonAnswer(gw: Gateway, job: ProxyJob, a: Answer): Promise<Response> {
  const upstreamFormat = a.candidate.connection.provider.format;
  const upCodec = codecFor(upstreamFormat);
  let body: string | Uint8Array<ArrayBuffer>;
  let usage: Usage;
  try {
    if (a.passthrough) {
      // Same format: the client gets the upstream's answer as it came, and only the usage is read. An answer over
      // 16 KB is sent as the upstream's bytes with only the usage member at its end decoded and parsed (see
      // usageFromTail); a smaller one is parsed whole (which also refuses a body that is not JSON) and sent as text
      // (a small body as bytes measured a few µs slower than as a string).
      const bytes = await a.response.bytes();
      const tailUsage = bytes.length > USAGE_TAIL_BYTES ? usageFromTail(bytes, upCodec.usageKey) : undefined;
      if (tailUsage !== undefined) {
        body = bytes;
        usage = upCodec.decodeUsage({ [upCodec.usageKey]: tailUsage });
      } else {
        body = utf8.decode(bytes);
        usage = upCodec.decodeUsage(JSON.parse(body));
      }
    } else {
      const parsed = JSON.parse(await a.response.text());
      const canonical = upCodec.decodeResponse(parsed);
      // Anthropic and Gemini bodies carry no timestamp: the gateway's clock stands in.
      if (!canonical.created) canonical.created = Math.floor(gw.now() / 1000);
      usage = canonical.usage;
      body = JSON.stringify(codecFor(job.surface).encodeResponse(canonical));
    }
  } catch (err) {
    const reason = err instanceof GatewayError ? err.message : "upstream sent a body that is not valid JSON";
    a.attempts[a.attempts.length - 1].status = 502;
    return await failWith(gw, job, a.attempts, a.candidate, new GatewayError("upstream_error", reason));
  }
  const cost = costOf(priceOf(gw.state, a.candidate.target), usage);
  const now = gw.now();
  const recorded = await recordUsage(
    gw,
    usageRow(job, {
      attempts: a.attempts,
      winner: a.candidate,
      status: 200,
      usage,
      estimated: false,
      cost,
      now,
      ttftMs: now - job.startedAt,
      errorCode: null,
      route: a.headers["x-switchyard-route"],
    }),
    { job, candidate: a.candidate, body },
  );
  const headers = {
    ...a.headers,
    "content-type": "application/json",
    // The recorded figures: the upstream's usage, or the marked estimate when it reported none.
    "x-switchyard-tokens-in": String(recorded.tokensIn),
    "x-switchyard-tokens-out": String(recorded.tokensOut),
    "x-switchyard-cost": recorded.cost.toFixed(8),
    "x-switchyard-latency-ms": String(now - job.startedAt),
  };
  return new Response(body, { status: 200, headers });
}

export function streamAnswer(
  gw: Gateway,
  job: ProxyJob,
  a: Answer & { abort: (reason?: unknown) => void; release: Release },
): Response {
  const provider = a.candidate.connection.provider;
  // In flight until the finish hook, beyond the attempt loop that started it.
  gw.inFlight++;
  // The upstream bytes are kept (up to a cap) only for the request log; estimates count characters as they pass.
  const tap = gw.requestLog.enabled ? tapStream(a.response.body!) : undefined;
  const upstream = tap ? tap.stream : (a.response.reader?.() ?? a.response.body!);
  const body = translateStream(upstream, {
    surface: job.surface,
    upstreamFormat: provider.format,
    passthrough: a.passthrough,
    clientWantsUsage: clientWantsUsage(job),
    idleTimeoutMs: gw.state.settings.resilience.streamIdleTimeoutMs,
    heartbeatMs: gw.state.settings.resilience.heartbeatMs,
    abortUpstream: a.abort,
    startedAt: job.startedAt,
    deadlines: gw.deadlines,
  }, {
    now: gw.now,
    async finish(outcome) {
      gw.inFlight--;
      a.release();
      const usage = outcome.usage ?? NO_USAGE;
      try {
        await recordUsage(
          gw,
          usageRow(job, {
            attempts: a.attempts,
            winner: a.candidate,
            status: outcome.status,
            usage,
            estimated: false,
            cost: costOf(priceOf(gw.state, a.candidate.target), usage),
            now: gw.now(),
            ttftMs: outcome.ttftMs,
            errorCode: outcome.errorCode,
          }),
          { job, candidate: a.candidate, tap, outputChars: outcome.outputChars },
        );
      } catch (err) {
        gw.logger.log("error", "usage write failed", { requestId: job.requestId, error: (err as Error).message });
      }
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...a.headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

/** What recordUsage may need beyond the row: the request, and the answer for an estimate and the request log. */
export interface UsageDetail {
  job: ProxyJob;
  candidate?: Candidate;
  /** The body sent to the client (JSON answers and errors; a pass-through answer as the upstream's bytes). */
  body?: string | Uint8Array;
  /** The upstream stream's bytes (streams, only while request logs are on). */
  tap?: StreamTap;
  /** Answer characters a stream carried (counted as it passed). */
  outputChars?: number;
}

/**
 * Commits the usage row (before the caller sends its last byte), then updates what is derived from it: the
 * key's budget spend, the latency histograms (total, and time to first token for answered requests), the
 * metrics, and (with ENABLE_REQUEST_LOGS) the body capture, which is written later, off the response path.
 * An answer whose upstream reported no usage at all gets a local estimate, marked `estimated`.
 */
/** Commits the row (an estimate when the upstream reported no usage) and returns what was recorded. */
export async function recordUsage(gw: Gateway, row: UsageRecord, detail?: UsageDetail): Promise<UsageRecord> {
  if (detail && row.status < 400 && !row.cached && row.tokensIn === 0 && row.tokensOut === 0) {
    row = estimatedRow(gw, row, detail);
  }
  await gw.usage.record(row);
  if (row.keyId) gw.budgets.add(row.keyId, row.cost, row.ts);
  if (row.provider && row.model && row.status < 400) {
    const series = `${row.provider}/${row.model}`;
    gw.latency.record(`total:${series}`, row.latencyMs);
    if (row.ttftMs !== null) gw.latency.record(`ttft:${series}`, row.ttftMs);
  }
  gw.metrics.observe(row);
  gw.events.publish(row);
  if (detail && gw.requestLog.enabled) {
    const { body, tap } = detail;
    gw.requestLog.capture({
      requestId: row.requestId,
      ts: row.ts,
      request: detail.job.body,
      response: () => body === undefined ? tap?.text() : textOf(body),
    });
  }
  return row;
}

function textOf(body: string | Uint8Array): string {
  return typeof body === "string" ? body : utf8.decode(body);
}

/** The row with tokens counted locally (about 4 characters a token) and their cost; unchanged if nothing counts. */
function estimatedRow(gw: Gateway, row: UsageRecord, d: UsageDetail): UsageRecord {
  let input = 0;
  let output = 0;
  try {
    input = estimateRequestTokens(canonicalOf(d.job));
  } catch { /* a body the surface codec cannot decode: no estimate */ }
  try {
    if (d.body !== undefined) {
      output = estimateResponseTokens(codecFor(d.job.surface).decodeResponse(JSON.parse(textOf(d.body))));
    } else if (d.outputChars !== undefined) {
      output = tokensOf(d.outputChars);
    }
  } catch { /* an answer that cannot be decoded again: input only */ }
  if (input === 0 && output === 0) return row;
  const usage = { inputTokens: input, outputTokens: output };
  const cost = d.candidate ? costOf(priceOf(gw.state, d.candidate.target), usage) : 0;
  return { ...row, tokensIn: input, tokensOut: output, estimated: true, cost };
}
