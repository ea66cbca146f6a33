/** @module OpenAI finish_reason and usage ⇄ canonical StopReason and Usage, shared by responses and streams. */
import type { StopReason, Usage } from "../../core/canonical.ts";
import type { WireUsage } from "./schema.ts";

/**
 * `finish_reason` → StopReason. Chat Completions reports a hit stop sequence as plain `stop` (it does not say
 * which), so `stop` is `end_turn`. Some compatible providers answer `stop` after tool calls: `sawToolCall`
 * turns that into `tool_use`, which is what the client must act on.
 */
export function stopReasonFromFinish(finish: string | null | undefined, sawToolCall: boolean): StopReason {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "content_filter";
    default:
      return sawToolCall ? "tool_use" : "end_turn";
  }
}

/**
 * StopReason → `finish_reason`. A canonical `refusal` (Anthropic's safety stop) becomes `content_filter`:
 * Chat has no refusal finish reason, and a stream has already sent the text as `content`, so moving it into
 * `message.refusal` is impossible there; `content_filter` keeps stream and non-stream answers alike.
 */
export function finishFromStopReason(reason: StopReason, sawToolCall: boolean): string {
  switch (reason) {
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "content_filter":
    case "refusal":
      return "content_filter";
    default:
      return sawToolCall ? "tool_calls" : "stop";
  }
}

/** OpenAI usage → canonical. OpenAI's prompt/completion counts already include cached and reasoning tokens. */
export function usageFromWire(wire: WireUsage | null | undefined): Usage {
  const usage: Usage = { inputTokens: wire?.prompt_tokens ?? 0, outputTokens: wire?.completion_tokens ?? 0 };
  const cached = wire?.prompt_tokens_details?.cached_tokens ?? wire?.prompt_cache_hit_tokens;
  if (typeof cached === "number") usage.cachedInputTokens = cached;
  const written = wire?.prompt_tokens_details?.cache_write_tokens;
  if (typeof written === "number") usage.cacheWriteTokens = written;
  const reasoning = wire?.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") usage.reasoningTokens = reasoning;
  return usage;
}

/** Canonical usage → OpenAI `usage`, with the detail objects OpenAI itself always sends. */
export function usageToWire(usage: Usage): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: usage.cachedInputTokens ?? 0 };
  if (usage.cacheWriteTokens !== undefined) promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
