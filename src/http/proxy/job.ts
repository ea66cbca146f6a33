/** @module What one proxied request carries through the attempt loop, and its trace of attempts. */
import type { ChatRequest, Usage, WireFormat } from "../../core/canonical.ts";
import type { ThinkingOverride } from "../../core/request_overrides.ts";
import type { Candidate } from "../../routing/resolve.ts";
import type { ApiKeyRow, UsageRecord } from "../../store/mod.ts";

export interface ProxyJob {
  /** The client's wire format (which surface it called). */
  surface: WireFormat;
  requestId: string;
  requestedModel: string;
  stream: boolean;
  /** The client's body as parsed JSON (for same-format pass-through). */
  body: Record<string, unknown>;
  /** The canonical request, decoded once, only when some candidate needs translation. */
  canonical?: ChatRequest;
  key?: ApiKeyRow;
  candidates: Candidate[];
  clientHeaders: Headers;
  /** The client's query string (Anthropic `?beta=true` passes through to an Anthropic upstream). */
  clientQuery: string;
  /** Aborted when the client goes away (streams only; non-stream calls are bounded by the timeout). */
  signal: AbortSignal | undefined;
  startedAt: number;
  /** The thinking override of the AI settings (the raw body has it already; translation re-applies it exactly). */
  thinking?: ThinkingOverride;
  /** Set while a progress stream waits for the first upstream byte: told about each attempt (retry, fallback). */
  progress?: (note: string) => void;
}

export interface Attempt {
  candidate: Candidate;
  status: number;
}

/** `openai:work/gpt-4.1=429, anthropic:personal/claude-sonnet-4-5=200` */
export function routeHeader(attempts: Attempt[]): string {
  return attempts.map((a) =>
    `${a.candidate.connection.provider.id}:${a.candidate.connection.name}/${a.candidate.target.model}=${a.status}`
  ).join(", ");
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/** Builds the usage row for a finished request. */
export function usageRow(
  job: ProxyJob,
  options: {
    attempts: Attempt[];
    winner?: Candidate;
    status: number;
    usage: Usage;
    estimated: boolean;
    cost: number;
    now: number;
    ttftMs: number | null;
    errorCode: string | null;
    /** `routeHeader(attempts)` when the caller has it already (the response header). */
    route?: string;
  },
): UsageRecord {
  return {
    ts: job.startedAt,
    requestId: job.requestId,
    keyId: job.key?.id ?? null,
    surface: job.surface,
    requestedModel: job.requestedModel,
    provider: options.winner?.connection.provider.id ?? null,
    connectionId: options.winner?.connection.id ?? null,
    model: options.winner?.target.model ?? null,
    status: options.status,
    stream: job.stream,
    tokensIn: options.usage.inputTokens,
    tokensOut: options.usage.outputTokens,
    tokensCached: options.usage.cachedInputTokens ?? 0,
    tokensReasoning: options.usage.reasoningTokens ?? 0,
    tokensCacheWrite: options.usage.cacheWriteTokens ?? 0,
    estimated: options.estimated,
    latencyMs: Math.max(0, options.now - job.startedAt),
    ttftMs: options.ttftMs,
    cost: options.cost,
    attempts: options.route ?? routeHeader(options.attempts),
    errorCode: options.errorCode,
  };
}

export type { WireFormat };
