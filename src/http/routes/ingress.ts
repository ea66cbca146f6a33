/** @module Shared steps of every inference surface: read the JSON body, resolve the model, run the proxy. */
import type { Context } from "hono";
import { z } from "zod";
import type { WireFormat } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { describeZodError } from "../../config/file.ts";
import { matchWildcard, type Target } from "../../routing/resolve.ts";
import { planCandidates } from "../../routing/runtime.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { executeProxy } from "../proxy/execute.ts";
import type { ProxyJob } from "../proxy/job.ts";
import { canonicalOf } from "../proxy/prepare.ts";
import { applyAiSettings } from "../proxy/ai_settings.ts";
import { progressResponse, wantsProgress } from "../proxy/progress.ts";
import { isDeterministic } from "../proxy/response_cache.ts";
import { idempotencyScope, withIdempotency, withResponseCache } from "../proxy/reuse.ts";

/** Parses the request body as a JSON object; a malformed body is a 400 in the surface's shape. */
export async function readJsonObject(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await c.req.raw.text();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError("invalid_request", "could not read the request body");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new GatewayError("invalid_request", `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** Validates with a loose schema (unknown vendor fields survive) and names the first bad field. */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.map((p, i) => typeof p === "number" ? `[${p}]` : (i ? "." : "") + String(p)).join("");
    throw new GatewayError("invalid_request", describeZodError(parsed.error), { param: param || null });
  }
  return parsed.data;
}

/** True when an API key's model allow-list (with `*`/`?` wildcards) admits this name. */
export function keyAllows(patterns: string[] | null | undefined, name: string): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => p === name || (/[*?]/.test(p) && matchWildcard(p, name) !== undefined));
}

export interface RunOptions {
  surface: WireFormat;
  model: string;
  stream: boolean;
  body: Record<string, unknown>;
  /** Restricts resolution to one provider (`/v1/providers/{provider}/…`). */
  targets?: Target[];
}

/** Resolves the model, applies the key's allow-list, and runs the attempt loop. */
export async function runProxy(gw: Gateway, c: Context<AppEnv>, options: RunOptions): Promise<Response> {
  // Every way out of here (an answer, a proxy error, a thrown GatewayError through onError) carries x-request-id.
  c.set("stamped", true);
  const key = c.get("apiKey");
  if (key) gw.budgets.check(key.id, key.budget);
  if (key?.models && !keyAllows(key.models, options.model)) {
    throw new GatewayError("permission_denied", `this API key may not use model "${options.model}"`, {
      param: "model",
    });
  }
  // The requested name was checked above; each target it resolves to must be allowed too (others are skipped).
  const allowed = key?.models
    ? (t: Target) =>
      keyAllows(key.models, `${t.provider.prefix}/${t.model}`) || keyAllows(key.models, `${t.provider.id}/${t.model}`)
    : undefined;
  const { targets, candidates } = planCandidates(gw.state, gw.routing, options.model, {
    targets: options.targets,
    allow: allowed,
  });
  if (targets.length === 0) {
    throw new GatewayError("permission_denied", `this API key may not use the models "${options.model}" resolves to`, {
      param: "model",
    });
  }
  if (candidates.length === 0) {
    throw new GatewayError(
      "model_not_found",
      `no enabled connection serves "${options.model}"; add one for provider ${targets[0].provider.id}`,
      { param: "model" },
    );
  }
  // Only the Anthropic surface passes its query (`?beta=true`) upstream; other surfaces skip the URL parse.
  const query = options.surface === "anthropic" ? new URL(c.req.url).search.slice(1) : "";
  // The client's own temperature decides cacheability, before the AI settings edit the body (thinking may drop it).
  const deterministic = !options.stream && isDeterministic(options.surface, options.body);
  const edited = applyAiSettings(gw.state.settings.ai, { surface: options.surface, body: options.body, key });
  const job: ProxyJob = {
    surface: options.surface,
    requestId: c.get("requestId"),
    requestedModel: options.model,
    stream: options.stream,
    body: edited.body,
    key,
    candidates,
    clientHeaders: c.req.raw.headers,
    clientQuery: query.split("&").filter((p) => p && !p.startsWith("key=")).join("&"),
    // Only streams listen for the client going away before the first byte (see callUpstream).
    signal: options.stream ? c.req.raw.signal : undefined,
    startedAt: gw.now(),
  };
  if (edited.thinking) job.thinking = edited.thinking;
  // Refuse bad input before any upstream call when some candidate needs translation.
  if (candidates.some((cand) => cand.connection.provider.format !== options.surface)) canonicalOf(job);
  const progress = options.stream && wantsProgress(job.clientHeaders);
  const scope = idempotencyScope(gw, job);
  // The default path: no progress stream, nothing cacheable, no idempotency key.
  if (!progress && !deterministic && scope === undefined) return await executeProxy(gw, job);
  const run = progress
    ? () => Promise.resolve(progressResponse(gw, job, () => executeProxy(gw, job)))
    : () => executeProxy(gw, job);
  const answer = deterministic
    ? () => withResponseCache(gw, job, { target: `${targets[0].provider.id}/${targets[0].model}` }, run)
    : run;
  return scope === undefined ? await answer() : await withIdempotency(gw, job, scope, answer);
}
