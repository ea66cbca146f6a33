/**
 * @module The attempt loop: tries each candidate in order, falls back on 401/402/403/408/429/5xx and network
 * failures while nothing has reached the client, and answers in the client's format.
 */
import type { Usage } from "../../core/canonical.ts";
import { type ErrorCode, GatewayError } from "../../core/errors.ts";
import type { Candidate } from "../../routing/resolve.ts";
import { codecFor } from "../../translate/mod.ts";
import type { Gateway } from "../context.ts";
import { errorBody } from "../errors.ts";
import { costOf } from "./cost.ts";
import { type Attempt, NO_USAGE, type ProxyJob, routeHeader, usageRow } from "./job.ts";
import { clientWantsUsage, prepareCall } from "./prepare.ts";
import { translateStream } from "./stream.ts";
import { callUpstream, readBounded } from "./upstream.ts";
import { classifyFailure, type FailureAction, retryAfterSeconds } from "../../routing/classify.ts";
import type { BreakerProfile } from "../../routing/health.ts";
import type { Release } from "../../routing/limiter.ts";
import { limitsFor, profileFor } from "../../routing/runtime.ts";

/** Upstream response headers worth passing on (rate-limit state). */
const PASS_HEADERS = /^(x-ratelimit-|anthropic-ratelimit-|retry-after$)/;

/** Removes anything that looks like a credential from upstream error text. */
export function scrubSecrets(text: string, secret: string | undefined): string {
  let out = secret ? text.split(secret).join("[redacted]") : text;
  out = out.replace(/\b(sk|pk|rk|ak)-[A-Za-z0-9_-]{8,}/g, "$1-[redacted]").replace(
    /AIza[0-9A-Za-z_-]{20,}/g,
    "[redacted]",
  );
  return out;
}

function baseHeaders(job: ProxyJob, attempts: Attempt[], dropped: string[]): Record<string, string> {
  const h: Record<string, string> = {
    "x-request-id": job.requestId,
    "x-switchyard-route": routeHeader(attempts),
    "x-switchyard-cache": "miss",
  };
  if (dropped.length > 0) h["x-switchyard-dropped"] = [...new Set(dropped)].join(", ");
  return h;
}

function copyUpstreamHeaders(from: Headers, to: Record<string, string>): void {
  from.forEach((value, name) => {
    if (PASS_HEADERS.test(name)) to[name] = value;
  });
}

interface FailedAttempt {
  error: GatewayError;
}

/** Runs the job; always resolves to a Response in the client's format (errors included). */
export async function executeProxy(gw: Gateway, job: ProxyJob): Promise<Response> {
  gw.inFlight++;
  let streaming = false;
  try {
    const res = await attemptAll(gw, job);
    streaming = res.headers.get("content-type")?.startsWith("text/event-stream") === true;
    return res;
  } finally {
    // A stream stays in flight until its finish hook runs.
    if (!streaming) gw.inFlight--;
  }
}

/** The contract's error code for an upstream status that reaches the client. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_denied";
  if (status === 404) return "model_not_found";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limited";
  if (status === 504) return "upstream_timeout";
  if (status >= 500) return "upstream_error";
  return "invalid_request";
}

async function attemptAll(gw: Gateway, job: ProxyJob): Promise<Response> {
  const attempts: Attempt[] = [];
  let lastFailure: FailedAttempt | undefined;
  /** Earliest time a skipped (cooling down / open) candidate becomes usable again. */
  let skippedUntil = Infinity;
  const settings = gw.state.settings;
  const rt = gw.routing;
  /** Targets an upstream answered 404 for: the model is missing there, so the next entry is tried (§3). */
  const missing = new Set<string>();

  for (const candidate of job.candidates) {
    const conn = candidate.connection;
    if (missing.size > 0 && missing.has(targetKey(candidate))) continue;
    const profile = profileFor(settings, conn);
    const admission = rt.health.admit(conn.id, candidate.target.model, profile);
    if (!admission.ok) {
      skippedUntil = Math.min(skippedUntil, admission.until);
      continue;
    }
    let release: Release;
    try {
      release = await rt.limiter.acquire(conn.id, limitsFor(settings, conn));
    } catch (err) {
      if (admission.probe) rt.health.end(conn.id);
      const gerr = err instanceof GatewayError ? err : new GatewayError("rate_limited", "rate limited");
      attempts.push({ candidate, status: gerr.status });
      lastFailure = { error: gerr };
      continue;
    }
    const outcome = await attemptOne(gw, job, candidate, attempts, release);
    if (outcome.response) return outcome.response;
    lastFailure = { error: outcome.error };
    if (outcome.action === "model") missing.add(targetKey(candidate));
    if (!outcome.fallback) break;
  }

  if (!lastFailure) {
    if (Number.isFinite(skippedUntil)) {
      const wait = Math.max(1, Math.ceil((skippedUntil - gw.now()) / 1000));
      return await failWith(
        gw,
        job,
        attempts,
        undefined,
        new GatewayError("rate_limited", `every candidate for "${job.requestedModel}" is cooling down or open`, {
          retryAfter: wait,
        }),
      );
    }
    return await failWith(
      gw,
      job,
      attempts,
      undefined,
      new GatewayError("model_not_found", `no enabled connection serves "${job.requestedModel}"`, { param: "model" }),
    );
  }
  return await failWith(gw, job, attempts, attempts.at(-1)?.candidate, lastFailure.error);
}

function targetKey(candidate: Candidate): string {
  return `${candidate.target.provider.id}\u0000${candidate.target.model}`;
}

type AttemptOutcome =
  | { response: Response }
  | { response?: undefined; error: GatewayError; fallback: boolean; action?: FailureAction };

/** One upstream attempt: call, classify, update health; a Response when it answered (or must be returned). */
async function attemptOne(
  gw: Gateway,
  job: ProxyJob,
  candidate: Candidate,
  attempts: Attempt[],
  release: Release,
): Promise<AttemptOutcome> {
  const rt = gw.routing;
  const conn = candidate.connection;
  const settings = gw.state.settings;
  const profile = profileFor(settings, conn);
  const call = prepareCall(job, candidate);
  const upstreamFormat = conn.provider.format;
  const started = gw.now();
  rt.health.begin(conn.id);
  let handedOff = false;
  try {
    let result;
    try {
      result = await callUpstream(gw.fetch, {
        url: call.url,
        headers: call.headers,
        body: call.body,
        timeoutMs: settings.resilience.requestTimeoutMs,
        signal: job.signal,
      });
    } catch (err) {
      const gerr = err instanceof GatewayError ? err : new GatewayError("upstream_error", "upstream call failed");
      attempts.push({ candidate, status: gerr.status });
      if (gerr.status === 499) {
        rt.health.end(conn.id);
        return { error: gerr, fallback: false };
      }
      noteFailure(gw, conn.id, { action: "upstream", model: candidate.target.model }, profile);
      return { error: gerr, fallback: true };
    }
    const { response } = result;
    if (!response.ok) {
      attempts.push({ candidate, status: response.status });
      const text = await readBounded(response);
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch { /* a non-JSON error page */ }
      const wire = codecFor(upstreamFormat).decodeError(response.status, parsed);
      const message = scrubSecrets(wire.message || `upstream answered ${response.status}`, conn.apiKey);
      const hint = wire.retryAfter ?? retryAfterSeconds(response.headers, gw.now());
      const verdict = classifyFailure(response.status, message);
      noteFailure(gw, conn.id, {
        action: verdict.action,
        model: candidate.target.model,
        retryAfterMs: hint === undefined ? undefined : hint * 1000,
      }, profile);
      const error = new GatewayError(codeForStatus(response.status), message, {
        status: response.status,
        retryAfter: hint,
      });
      return { error, fallback: verdict.fallback, action: verdict.action };
    }
    rt.health.onSuccess(conn.id, gw.now() - started);
    attempts.push({ candidate, status: response.status });
    const headers = baseHeaders(job, attempts, call.dropped);
    copyUpstreamHeaders(response.headers, headers);
    const contentType = response.headers.get("content-type") ?? "";
    if (job.stream) {
      if (!contentType.includes("text/event-stream") || !response.body) {
        await response.body?.cancel();
        attempts[attempts.length - 1].status = 502;
        return {
          response: await failWith(
            gw,
            job,
            attempts,
            candidate,
            new GatewayError(
              "upstream_error",
              `upstream answered a stream request with ${contentType || "no content type"}`,
            ),
          ),
        };
      }
      handedOff = true;
      return {
        response: streamAnswer(gw, job, {
          candidate,
          attempts,
          headers,
          response,
          passthrough: call.passthrough,
          abort: result.abort,
          release,
        }),
      };
    }
    return {
      response: await jsonAnswer(gw, job, { candidate, attempts, headers, response, passthrough: call.passthrough }),
    };
  } finally {
    if (!handedOff) release();
  }
}

/** Records a failure in the connection's health; a change worth keeping across a restart is saved at once. */
function noteFailure(
  gw: Gateway,
  connectionId: string,
  failure: { action: FailureAction; model: string; retryAfterMs?: number },
  profile: BreakerProfile,
): void {
  gw.routing.health.onFailure(connectionId, failure, profile);
  if (failure.action !== "return") gw.saveHealth();
}

function failWith(
  gw: Gateway,
  job: ProxyJob,
  attempts: Attempt[],
  candidate: Candidate | undefined,
  error: GatewayError,
): Response {
  gw.usage.record(usageRow(job, {
    attempts,
    winner: candidate,
    status: error.status,
    usage: NO_USAGE,
    estimated: false,
    cost: 0,
    now: gw.now(),
    ttftMs: null,
    errorCode: error.code,
  }));
  const headers: Record<string, string> = { ...baseHeaders(job, attempts, []), "content-type": "application/json" };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.ceil(error.retryAfter));
  return new Response(JSON.stringify(errorBody(job.surface, error)), { status: error.status, headers });
}

interface Answer {
  candidate: Candidate;
  attempts: Attempt[];
  headers: Record<string, string>;
  response: Response;
  passthrough: boolean;
}

async function jsonAnswer(gw: Gateway, job: ProxyJob, a: Answer): Promise<Response> {
  const upstreamFormat = a.candidate.connection.provider.format;
  const upCodec = codecFor(upstreamFormat);
  let body: string;
  let usage: Usage;
  try {
    const text = await a.response.text();
    const parsed = JSON.parse(text);
    if (a.passthrough) {
      // Same format: the client gets the upstream's bytes; only the usage is read.
      body = text;
      usage = upCodec.decodeUsage(parsed);
    } else {
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
  const cost = costOf(a.candidate.connection.provider, a.candidate.target.model, usage);
  const now = gw.now();
  await gw.usage.record(usageRow(job, {
    attempts: a.attempts,
    winner: a.candidate,
    status: 200,
    usage,
    estimated: false,
    cost,
    now,
    ttftMs: now - job.startedAt,
    errorCode: null,
  }));
  const headers = {
    ...a.headers,
    "content-type": "application/json",
    "x-switchyard-tokens-in": String(usage.inputTokens),
    "x-switchyard-tokens-out": String(usage.outputTokens),
    "x-switchyard-cost": cost.toFixed(8),
    "x-switchyard-latency-ms": String(now - job.startedAt),
  };
  return new Response(body, { status: 200, headers });
}

function streamAnswer(
  gw: Gateway,
  job: ProxyJob,
  a: Answer & { abort: (reason?: unknown) => void; release: Release },
): Response {
  const provider = a.candidate.connection.provider;
  const body = translateStream(a.response.body!, {
    surface: job.surface,
    upstreamFormat: provider.format,
    passthrough: a.passthrough,
    clientWantsUsage: clientWantsUsage(job),
    idleTimeoutMs: gw.state.settings.resilience.streamIdleTimeoutMs,
    heartbeatMs: gw.state.settings.resilience.heartbeatMs,
    abortUpstream: a.abort,
    startedAt: job.startedAt,
  }, {
    now: gw.now,
    async finish(outcome) {
      gw.inFlight--;
      a.release();
      const usage = outcome.usage ?? NO_USAGE;
      try {
        await gw.usage.record(usageRow(job, {
          attempts: a.attempts,
          winner: a.candidate,
          status: outcome.status,
          usage,
          estimated: false,
          cost: costOf(provider, a.candidate.target.model, usage),
          now: gw.now(),
          ttftMs: outcome.ttftMs,
          errorCode: outcome.errorCode,
        }));
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
