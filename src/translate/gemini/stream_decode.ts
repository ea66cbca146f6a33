/**
 * @module Gemini `streamGenerateContent?alt=sse` → canonical stream events. Every `data:` line is a whole
 * GenerateContentResponse; text arrives as text-part deltas and each function call arrives whole in one part.
 * State is bounded: the open block, counters and the latest usageMetadata.
 */
import type { SseEvent, StepResult, StreamEvent } from "../../core/canonical.ts";
import { geminiStatusFor } from "../../core/errors.ts";
import { isSignatureOnly, renderCodePart } from "./parts.ts";
import { derivedCallId, stableHash, stopFromFinish, usageFromWire } from "./response.ts";
import { responseSchema, type WirePart, type WireUsage } from "./schema.ts";

export interface GeminiDecodeState {
  started: boolean;
  /** The canonical message id (responseId, or a hash of the first chunk). */
  id: string;
  nextIndex: number;
  /** `signed`: a thinking block that got its signature is sealed; a later thought part starts a new block. */
  open: { kind: "text" | "thinking"; index: number; signed?: boolean } | null;
  /** Function calls seen so far: numbers derived call ids like decodeResponse does. */
  calls: number;
  usage?: WireUsage;
  finished: boolean;
}

export function initDecodeStream(): GeminiDecodeState {
  return { started: false, id: "", nextIndex: 0, open: null, calls: 0, finished: false };
}

type Step = StepResult<GeminiDecodeState, StreamEvent>;

/** The state being stepped and the events emitted so far for the current chunk. */
interface Ctx {
  s: GeminiDecodeState;
  out: StreamEvent[];
}

function fail(state: GeminiDecodeState, error: Omit<Extract<StreamEvent, { type: "error" }>, "type">): Step {
  return { state: { ...state, finished: true, open: null }, out: [{ type: "error", ...error }] };
}

function closeOpen({ s, out }: Ctx): void {
  if (s.open === null) return;
  out.push({ type: "block_stop", index: s.open.index });
  s.open = null;
}

function openBlock(ctx: Ctx, kind: "text" | "thinking"): void {
  const { s, out } = ctx;
  closeOpen(ctx);
  const index = s.nextIndex++;
  out.push({ type: kind === "text" ? "text_start" : "thinking_start", index });
  s.open = { kind, index };
}

/** A signature that sat on a text or functionCall part: an empty thinking block right before that part. */
function carrier(ctx: Ctx, signature: string): void {
  const { s, out } = ctx;
  closeOpen(ctx);
  const index = s.nextIndex++;
  out.push({ type: "thinking_start", index }, { type: "thinking_signature", index, signature }, {
    type: "block_stop",
    index,
  });
}

/** Returns false when the part cannot be expressed as stream events. */
function decodePart(ctx: Ctx, part: WirePart): boolean {
  const { s, out } = ctx;
  const sig = part.thoughtSignature;
  if (part.thought === true || (sig !== undefined && isSignatureOnly(part))) {
    if (s.open?.kind !== "thinking" || s.open.signed) openBlock(ctx, "thinking");
    const index = s.open!.index;
    if (part.text !== undefined && part.text !== "") out.push({ type: "thinking_delta", index, text: part.text });
    if (sig !== undefined) {
      out.push({ type: "thinking_signature", index, signature: sig });
      // A signature belongs to the thought text before it: merging later thoughts in would break it upstream.
      s.open!.signed = true;
    }
    return true;
  }
  if (part.functionCall !== undefined) {
    if (sig !== undefined) carrier(ctx, sig);
    else closeOpen(ctx);
    const fc = part.functionCall;
    const index = s.nextIndex++;
    const id = fc.id ?? derivedCallId(s.id, s.calls);
    s.calls++;
    out.push(
      { type: "tool_call_start", index, id, name: fc.name },
      { type: "tool_call_delta", index, arguments: JSON.stringify(fc.args ?? {}) },
      { type: "block_stop", index },
    );
    return true;
  }
  const text = part.text ?? renderCodePart(part);
  if (text === undefined) return Object.keys(part).length === 0;
  if (sig !== undefined) {
    carrier(ctx, sig);
    openBlock(ctx, "text");
  } else if (s.open?.kind !== "text") {
    if (text === "") return true;
    openBlock(ctx, "text");
  }
  if (text !== "") out.push({ type: "text_delta", index: s.open!.index, text });
  return true;
}

export function decodeStream(state: GeminiDecodeState, event: SseEvent): Step {
  if (state.finished) return { state, out: [] };
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    return fail(state, {
      status: 502,
      errorType: "upstream_error",
      message: "Malformed Gemini stream chunk (not JSON)",
    });
  }
  if (typeof json === "object" && json !== null && "error" in json) {
    const err = (json as { error: unknown }).error as Record<string, unknown> | null;
    const code = typeof err?.code === "number" ? err.code : 500;
    const status = typeof err?.status === "string" ? err.status : geminiStatusFor(code);
    const message = typeof err?.message === "string" ? err.message : "Upstream stream error";
    return fail(state, { status: code, errorType: status, message });
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    return fail(state, { status: 502, errorType: "upstream_error", message: "Malformed Gemini stream chunk" });
  }
  const chunk = parsed.data;
  const s: GeminiDecodeState = { ...state };
  const out: StreamEvent[] = [];
  const ctx: Ctx = { s, out };
  if (!s.started) {
    s.started = true;
    s.id = chunk.responseId ?? `gen-${stableHash(event.data)}`;
    const start: StreamEvent = { type: "message_start", id: s.id, model: chunk.modelVersion ?? "", created: 0 };
    if (chunk.usageMetadata?.promptTokenCount !== undefined) {
      const u = usageFromWire(chunk.usageMetadata);
      start.usage = { inputTokens: u.inputTokens };
      if (u.cachedInputTokens !== undefined) start.usage.cachedInputTokens = u.cachedInputTokens;
    }
    out.push(start);
  }
  if (chunk.usageMetadata !== undefined) s.usage = chunk.usageMetadata;
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    if (!decodePart(ctx, part)) {
      const keys = Object.keys(part).filter((k) => k !== "thoughtSignature").join(", ");
      const failed = fail(s, {
        status: 502,
        errorType: "upstream_error",
        message: `Gemini stream part (${keys}) cannot be translated`,
      });
      return { state: failed.state, out: [...out, ...failed.out] };
    }
  }
  const blocked = candidate === undefined && chunk.promptFeedback?.blockReason !== undefined;
  if (candidate?.finishReason !== undefined || blocked) {
    closeOpen(ctx);
    const stopReason = blocked ? "content_filter" : stopFromFinish(candidate?.finishReason, s.calls > 0);
    out.push({ type: "usage", usage: usageFromWire(s.usage) }, { type: "message_stop", stopReason });
    s.finished = true;
  }
  return { state: s, out };
}
