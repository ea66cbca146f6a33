/** @module Anthropic Messages response ⇄ canonical ChatResponse, plus the usage and stop-reason mappings. */
import type { ChatResponse, ContentPart, StopReason, Usage } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { isObject, type JsonObject, MessagesResponse, type WireUsage } from "./schema.ts";
import { signatureForClient, signatureFromClient } from "./thinking.ts";

/** Anthropic stop_reason → canonical. `pause_turn` (a server-tool loop paused) has no canonical twin: end_turn. */
export function stopReasonFromWire(reason: string | null | undefined): StopReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "stop_sequence":
    case "tool_use":
    case "refusal":
      return reason;
    default:
      return "end_turn";
  }
}

export function stopReasonToWire(reason: StopReason): string {
  return reason === "content_filter" ? "refusal" : reason;
}

/**
 * Anthropic's `input_tokens` excludes cache reads and writes; canonical `inputTokens` includes both.
 * Absent fields stay absent so a partial (message_start) usage does not claim zeros.
 */
export function usageFromWire(u: WireUsage | null | undefined): Partial<Usage> {
  if (u == null) return {};
  const out: Partial<Usage> = {};
  const read = u.cache_read_input_tokens ?? undefined;
  const write = u.cache_creation_input_tokens ?? undefined;
  if (u.input_tokens != null) out.inputTokens = u.input_tokens + (read ?? 0) + (write ?? 0);
  if (u.output_tokens != null) out.outputTokens = u.output_tokens;
  if (read !== undefined) out.cachedInputTokens = read;
  if (write !== undefined) out.cacheWriteTokens = write;
  const thinking = u.output_tokens_details?.thinking_tokens;
  if (thinking != null) out.reasoningTokens = thinking;
  return out;
}

/** Canonical usage → Anthropic's (input without cache reads/writes, never negative). */
export function usageToWire(u: Partial<Usage>): JsonObject {
  const read = u.cachedInputTokens ?? 0;
  const write = u.cacheWriteTokens ?? 0;
  const out: JsonObject = {
    input_tokens: Math.max(0, (u.inputTokens ?? 0) - read - write),
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: u.outputTokens ?? 0,
  };
  if (u.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: u.reasoningTokens };
  return out;
}

/** Upstream body → canonical. `created` is 0: Anthropic messages carry no timestamp (the caller may set one). */
export function decodeResponse(body: unknown): ChatResponse {
  const parsed = MessagesResponse.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError(
      "upstream_error",
      `Malformed Anthropic response: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const wire = parsed.data;
  const usage = usageFromWire(wire.usage);
  const res: ChatResponse = {
    id: wire.id,
    model: wire.model,
    created: 0,
    content: wire.content.map(decodeResponseBlock).filter((p): p is ContentPart => p !== undefined),
    stopReason: stopReasonFromWire(wire.stop_reason),
    usage: { ...usage, inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
  };
  if (wire.stop_sequence != null) res.stopSequence = wire.stop_sequence;
  return res;
}

/**
 * Server-tool blocks (server_tool_use, web_search_tool_result, …) have no canonical part: the upstream already ran
 * them and the answer text follows, so they are skipped (text citations likewise).
 */
function decodeResponseBlock(block: JsonObject): ContentPart | undefined {
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? { type: "text", text: block.text } : bad("text");
    case "thinking": {
      if (typeof block.thinking !== "string") return bad("thinking");
      const sig = typeof block.signature === "string" ? block.signature : undefined;
      return { type: "thinking", text: block.thinking, ...signatureFromClient(sig) };
    }
    case "redacted_thinking":
      return typeof block.data === "string"
        ? { type: "redacted_thinking", data: block.data }
        : bad("redacted_thinking");
    case "tool_use":
      if (typeof block.id !== "string" || typeof block.name !== "string") return bad("tool_use");
      return { type: "tool_call", id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) };
    default:
      return undefined;
  }
}

function bad(type: string): never {
  throw new GatewayError("upstream_error", `Malformed Anthropic response: bad ${type} content block`);
}

/** Canonical response → the body an Anthropic client expects. */
export function encodeResponse(res: ChatResponse): Record<string, unknown> {
  const content: JsonObject[] = [];
  for (const part of res.content) {
    const block = encodeResponsePart(part);
    if (block !== undefined) content.push(block);
  }
  return {
    id: res.id,
    type: "message",
    role: "assistant",
    model: res.model,
    content,
    stop_reason: stopReasonToWire(res.stopReason),
    stop_sequence: res.stopSequence ?? null,
    usage: usageToWire(res.usage),
  };
}

function encodeResponsePart(part: ContentPart): JsonObject | undefined {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "thinking":
      return {
        type: "thinking",
        thinking: part.text,
        signature: signatureForClient(part.signature, part.signatureFormat),
      };
    case "redacted_thinking":
      return { type: "redacted_thinking", data: part.data };
    case "tool_call":
      return { type: "tool_use", id: part.id, name: part.name, input: argumentsObject(part.arguments) };
    default:
      // An assistant answer holds no images, files or tool results in Anthropic's format.
      return undefined;
  }
}

/** A model's arguments as an object; unparsable text (truncated output) is kept under `_raw` rather than lost. */
export function argumentsObject(args: string): JsonObject {
  if (args.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(args);
    return isObject(value) ? value : { _raw: args };
  } catch {
    return { _raw: args };
  }
}
