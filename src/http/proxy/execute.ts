/**
 * @module The attempt loop: tries each candidate in order, falls back on 401/402/403/408/429/5xx and network
 * failures while nothing has reached the client, and answers in the client's format.
 */
import { type ErrorCode, GatewayError } from "../../core/errors.ts";
import type { Candidate } from "../../routing/resolve.ts";
import { codecFor } from "../../translate/mod.ts";
import type { Gateway } from "../context.ts";
import type { Attempt, ProxyJob } from "./job.ts";
import { prepareCall } from "./prepare.ts";
import { baseHeaders, failWith, jsonAnswer, scrubSecrets, streamAnswer } from "./answer.ts";
import { callUpstream, readBounded } from "./upstream.ts";
import { classifyFailure, type FailureAction, retryAfterSeconds } from "../../routing/classify.ts";
import type { BreakerProfile } from "../../routing/health.ts";
import type { Release } from "../../routing/limiter.ts";
import { limitsFor, profileFor } from "../../routing/runtime.ts";

interface FailedAttempt {
  error: GatewayError;
}

/** Runs the job; always resolves to a Response in the client's format (errors included). */
export async function executeProxy(gw: Gateway, job: ProxyJob): Promise<Response> {
  gw.inFlight++;
  try {
    return await attemptAll(gw, job);
  } finally {
    // A stream counts itself in flight until its finish hook runs (see streamAnswer).
    gw.inFlight--;
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
  let missing: Set<string> | undefined;

  for (const candidate of job.candidates) {
    const conn = candidate.connection;
    if (missing?.has(targetKey(candidate))) continue;
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
      if (admission.probe) rt.health.releaseProbe(conn.id);
      const gerr = err instanceof GatewayError ? err : new GatewayError("rate_limited", "rate limited");
      attempts.push({ candidate, status: gerr.status });
      lastFailure = { error: gerr };
      continue;
    }
    // A progress stream tells its client about each attempt (the first, then each retry or fallback).
    job.progress?.(`attempt ${attempts.length + 1}: ${conn.provider.id}/${candidate.target.model}`);
    const outcome = await attemptOne(gw, job, candidate, attempts, release);
    if (outcome.response) return outcome.response;
    lastFailure = { error: outcome.error };
    if (outcome.action === "model") (missing ??= new Set()).add(targetKey(candidate));
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
        deadlines: gw.deadlines,
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
    const contentType = response.headers.get("content-type") ?? "";
    if (job.stream) {
      // `hasBody()` rather than `body`: reading `body` would turn the client's reader into a stream to read through.
      if (!contentType.includes("text/event-stream") || !(response.hasBody?.() ?? response.body !== null)) {
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
