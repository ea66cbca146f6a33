/** @module Gemini GenerateContentResponse ⇄ canonical ChatResponse, with the usage and finish-reason tables. */
import type { ChatResponse, StopReason, Usage } from "../../core/canonical.ts";
import { decodeParts, encodeParts } from "./parts.ts";
import { parseResponse, type WirePart, type WireUsage } from "./schema.ts";

type WireObject = Record<string, unknown>;

/** FNV-1a over a string: a deterministic stand-in id when Gemini sends no responseId. */
export function stableHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Id for the n-th function call (counting all calls) of a response whose calls carry no id. */
export function derivedCallId(responseId: string, ordinal: number): string {
  return `call_${responseId}_${ordinal}`;
}

/**
 * Gemini counts thoughts apart from candidates and tool-use prompt tokens apart from the prompt; canonical output
 * includes reasoning and input includes everything the model read (promptTokenCount already includes the cache).
 */
export function usageFromWire(u: WireUsage | undefined): Usage {
  const thoughts = u?.thoughtsTokenCount ?? 0;
  const usage: Usage = {
    inputTokens: (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
    outputTokens: (u?.candidatesTokenCount ?? 0) + thoughts,
  };
  if (u?.cachedContentTokenCount !== undefined) usage.cachedInputTokens = u.cachedContentTokenCount;
  if (u?.thoughtsTokenCount !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

export function usageToWire(u: Usage): WireObject {
  const reasoning = u.reasoningTokens ?? 0;
  const out: WireObject = {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: Math.max(0, u.outputTokens - reasoning),
    totalTokenCount: u.inputTokens + u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) out.cachedContentTokenCount = u.cachedInputTokens;
  if (u.reasoningTokens !== undefined) out.thoughtsTokenCount = u.reasoningTokens;
  return out;
}

const FILTER_REASONS = new Set([
  "SAFETY",
  "RECITATION",
  "LANGUAGE",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/** Gemini says STOP for natural ends, stop sequences and function calls alike; a call present means tool_use. */
export function stopFromFinish(reason: string | undefined, hasToolCall: boolean): StopReason {
  if (reason === "MAX_TOKENS") return "max_tokens";
  if (reason !== undefined && FILTER_REASONS.has(reason)) return "content_filter";
  return hasToolCall ? "tool_use" : "end_turn";
}

export function finishFromStop(reason: StopReason): string {
  switch (reason) {
    case "max_tokens":
      return "MAX_TOKENS";
    case "content_filter":
    case "refusal":
      return "SAFETY";
    default:
      return "STOP";
  }
}

/** Counts function-call parts before `index`, so derived ids number calls the same way in streams and bodies. */
function callOrdinal(parts: WirePart[], index: number): number {
  return parts.slice(0, index).filter((p) => p.functionCall !== undefined).length;
}

export function decodeResponse(body: unknown): ChatResponse {
  const wire = parseResponse(body);
  const id = wire.responseId ?? `gen-${stableHash(JSON.stringify(body))}`;
  const candidate = wire.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const content = decodeParts(parts, {
    param: "candidates[0].content.parts",
    mode: "response",
    callId: (i) => derivedCallId(id, callOrdinal(parts, i)),
    resultId: (i) => derivedCallId(id, callOrdinal(parts, i)),
  });
  const hasCall = content.some((p) => p.type === "tool_call");
  // No candidate at all means the prompt was blocked (promptFeedback.blockReason).
  const stopReason = candidate === undefined && wire.promptFeedback?.blockReason !== undefined
    ? "content_filter"
    : stopFromFinish(candidate?.finishReason, hasCall);
  const created = wire.createTime !== undefined ? Math.floor(Date.parse(wire.createTime) / 1000) : 0;
  return {
    id,
    model: wire.modelVersion ?? "",
    created: Number.isNaN(created) ? 0 : created,
    content,
    stopReason,
    usage: usageFromWire(wire.usageMetadata),
  };
}

export function encodeResponse(res: ChatResponse): WireObject {
  const parts = encodeParts(res.content, { names: new Map(), dropped: new Set(), mode: "response" });
  const candidate: WireObject = {};
  if (parts.length > 0) candidate.content = { role: "model", parts };
  candidate.finishReason = finishFromStop(res.stopReason);
  candidate.index = 0;
  return {
    candidates: [candidate],
    usageMetadata: usageToWire(res.usage),
    modelVersion: res.model,
    responseId: res.id,
  };
}
