/**
 * @module Canonical stream events → Anthropic Messages SSE for the client. Emits each event as soon as its canonical
 * event arrives; holds only the open-block indices and the latest usage. Canonical `message_stop` is terminal (the
 * decoders send usage before it, or never), so message_delta goes out with it, carrying the usage known by then.
 */
import type { SseEvent, StepResult, StreamEvent, Usage, WireFormat } from "../../core/canonical.ts";
import type { EncodeStreamInit } from "../../core/codec.ts";
import { stopReasonToWire, usageToWire } from "./response.ts";
import { signatureForClient } from "./thinking.ts";
import { anthropicErrorType } from "./wire_error.ts";

type BlockKind = "text" | "thinking" | "tool_use" | "redacted_thinking";

export interface AnthropicEncodeState {
  started: boolean;
  finished: boolean;
  /** Canonical block index → the Anthropic block open for it. */
  open: Record<number, { wire: number; kind: BlockKind }>;
  nextWire: number;
  /** Usage known so far: message_start's partial, merged with each canonical usage event. */
  usage: Partial<Usage>;
  /** Which vendor made streamed signatures: another vendor's are tagged, as in non-stream responses. */
  upstreamFormat?: WireFormat;
}

/** Id and model of a message_start we must invent when the canonical stream did not open with one. */
export const SYNTHETIC_MESSAGE_ID = "msg_switchyard";

export function initEncodeStream(init: EncodeStreamInit): AnthropicEncodeState {
  const s: AnthropicEncodeState = { started: false, finished: false, open: {}, nextWire: 0, usage: {} };
  if (init.upstreamFormat !== undefined) s.upstreamFormat = init.upstreamFormat;
  return s;
}

type Step = StepResult<AnthropicEncodeState, SseEvent>;

function sse(type: string, data: Record<string, unknown>): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...data }) };
}

function messageStart(id: string, model: string, usage: Partial<Usage>): SseEvent {
  return sse("message_start", {
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageToWire(usage),
    },
  });
}

/** One canonical event → the client's SSE events. */
export function encodeStream(state: AnthropicEncodeState, event: StreamEvent): Step {
  if (state.finished) return { state, out: [] };
  const s: AnthropicEncodeState = { ...state, open: { ...state.open }, usage: { ...state.usage } };
  const out: SseEvent[] = [];
  if (event.type === "message_start") {
    if (s.started) return { state, out: [] };
    s.started = true;
    if (event.usage !== undefined) s.usage = { ...event.usage };
    out.push(messageStart(event.id, event.model, s.usage));
    return { state: s, out };
  }
  if (event.type === "error") {
    // Anthropic ends a failed stream with `event: error` and no message_stop.
    s.finished = true;
    out.push(sse("error", {
      error: { type: anthropicErrorType({ status: event.status, type: event.errorType }), message: event.message },
    }));
    return { state: s, out };
  }
  if (event.type === "ping") return { state, out: [sse("ping", {})] };
  if (!s.started) {
    s.started = true;
    out.push(messageStart(SYNTHETIC_MESSAGE_ID, "", s.usage));
  }
  switch (event.type) {
    case "text_start":
      openBlock(s, out, event.index, "text", { type: "text", text: "" });
      break;
    case "text_delta":
      ensureBlock(s, out, event.index, "text");
      out.push(delta(s, event.index, { type: "text_delta", text: event.text }));
      break;
    case "thinking_start":
      openBlock(s, out, event.index, "thinking", { type: "thinking", thinking: "", signature: "" });
      break;
    case "thinking_delta":
      ensureBlock(s, out, event.index, "thinking");
      out.push(delta(s, event.index, { type: "thinking_delta", thinking: event.text }));
      break;
    case "thinking_signature":
      // A signature only belongs to a thinking block; never into text.
      if (s.open[event.index]?.kind === "thinking") {
        const signature = signatureForClient(event.signature, s.upstreamFormat);
        out.push(delta(s, event.index, { type: "signature_delta", signature }));
      }
      break;
    case "redacted_thinking":
      openBlock(s, out, event.index, "redacted_thinking", { type: "redacted_thinking", data: event.data });
      break;
    case "tool_call_start":
      openBlock(s, out, event.index, "tool_use", { type: "tool_use", id: event.id, name: event.name, input: {} });
      break;
    case "tool_call_delta":
      if (event.arguments !== "" && s.open[event.index]?.kind === "tool_use") {
        out.push(delta(s, event.index, { type: "input_json_delta", partial_json: event.arguments }));
      }
      break;
    case "block_stop":
      closeBlock(s, out, event.index);
      break;
    case "usage":
      s.usage = { ...s.usage, ...event.usage };
      break;
    case "message_stop":
      // Every block is closed before message_delta, which carries the stop reason and the usage (Claude Code reads
      // input_tokens there when message_start had none).
      closeAll(s, out);
      out.push(sse("message_delta", {
        delta: { stop_reason: stopReasonToWire(event.stopReason), stop_sequence: event.stopSequence ?? null },
        usage: usageToWire(s.usage),
      }));
      out.push(sse("message_stop", {}));
      s.finished = true;
      break;
  }
  return { state: s, out };
}

function delta(s: AnthropicEncodeState, index: number, body: Record<string, unknown>): SseEvent {
  return sse("content_block_delta", { index: s.open[index].wire, delta: body });
}

/**
 * Anthropic streams one block at a time: a new block closes open text/thinking blocks first. Tool blocks stay
 * open until their own block_stop, since their argument deltas may still interleave.
 */
function openBlock(
  s: AnthropicEncodeState,
  out: SseEvent[],
  index: number,
  kind: BlockKind,
  contentBlock: Record<string, unknown>,
): void {
  for (const key of Object.keys(s.open)) {
    const other = Number(key);
    if (other === index || s.open[other].kind !== "tool_use") closeBlock(s, out, other);
  }
  const wire = s.nextWire++;
  s.open[index] = { wire, kind };
  out.push(sse("content_block_start", { index: wire, content_block: contentBlock }));
}

/** A delta for a block never started (or of another kind) opens a fresh block of the right kind. */
function ensureBlock(s: AnthropicEncodeState, out: SseEvent[], index: number, kind: "text" | "thinking"): void {
  if (s.open[index]?.kind === kind) return;
  const block = kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" };
  openBlock(s, out, index, kind, block);
}

function closeBlock(s: AnthropicEncodeState, out: SseEvent[], index: number): void {
  const block = s.open[index];
  if (block === undefined) return;
  delete s.open[index];
  out.push(sse("content_block_stop", { index: block.wire }));
}

function closeAll(s: AnthropicEncodeState, out: SseEvent[]): void {
  const open = Object.keys(s.open).map(Number).sort((a, b) => s.open[a].wire - s.open[b].wire);
  for (const index of open) closeBlock(s, out, index);
}
