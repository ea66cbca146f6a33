/** @module Anthropic Messages SSE → canonical stream events, one upstream event at a time. */
import type { SseEvent, StepResult, StopReason, StreamEvent } from "../../core/canonical.ts";
import { isObject, type JsonObject, WireUsage } from "./schema.ts";
import { stopReasonFromWire, usageFromWire } from "./response.ts";
import { statusForAnthropicType } from "./wire_error.ts";

export interface AnthropicDecodeState {
  /** Anthropic block index → canonical index, for open blocks only; `null` marks a skipped server-tool block. */
  open: Record<number, number | null>;
  nextIndex: number;
  /** Wire usage from message_start, completed field by field by message_delta. */
  usage: WireUsage;
  stopReason?: StopReason;
  stopSequence?: string;
  done: boolean;
}

export function initDecodeStream(): AnthropicDecodeState {
  return { open: {}, nextIndex: 0, usage: {}, done: false };
}

type Step = StepResult<AnthropicDecodeState, StreamEvent>;

function malformed(state: AnthropicDecodeState, what: string): Step {
  const out: StreamEvent[] = [{
    type: "error",
    status: 502,
    errorType: "api_error",
    message: `Malformed upstream stream: ${what}`,
  }];
  return { state: { ...state, done: true }, out };
}

/** One parsed SSE event from an Anthropic upstream → canonical events. */
export function decodeStream(state: AnthropicDecodeState, event: SseEvent): Step {
  if (state.done) return { state, out: [] };
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return malformed(state, `event ${event.event ?? "?"} is not JSON`);
  }
  if (!isObject(data)) return malformed(state, "event is not an object");
  switch (data.type) {
    case "message_start":
      return messageStart(state, data);
    case "content_block_start":
      return blockStart(state, data);
    case "content_block_delta":
      return blockDelta(state, data);
    case "content_block_stop": {
      const index = typeof data.index === "number" ? data.index : -1;
      const canonical = state.open[index];
      const { [index]: _closed, ...open } = state.open;
      const out: StreamEvent[] = typeof canonical === "number" ? [{ type: "block_stop", index: canonical }] : [];
      return { state: { ...state, open }, out };
    }
    case "message_delta":
      return messageDelta(state, data);
    case "message_stop": {
      const stop: StreamEvent = { type: "message_stop", stopReason: state.stopReason ?? "end_turn" };
      if (state.stopSequence !== undefined) stop.stopSequence = state.stopSequence;
      return { state: { ...state, done: true }, out: [stop] };
    }
    case "ping":
      return { state, out: [{ type: "ping" }] };
    case "error": {
      const err = isObject(data.error) ? data.error : {};
      const errorType = typeof err.type === "string" ? err.type : "api_error";
      const message = typeof err.message === "string" ? err.message : "Upstream stream error";
      const out: StreamEvent[] = [{ type: "error", status: statusForAnthropicType(errorType), errorType, message }];
      return { state: { ...state, done: true }, out };
    }
    default:
      // Unknown event types are ignored, as Anthropic's versioning policy asks of clients.
      return { state, out: [] };
  }
}

function messageStart(state: AnthropicDecodeState, data: JsonObject): Step {
  const msg = isObject(data.message) ? data.message : undefined;
  if (msg === undefined || typeof msg.id !== "string") return malformed(state, "message_start without message.id");
  const parsed = WireUsage.safeParse(msg.usage ?? {});
  const wireUsage = parsed.success ? definedOnly(parsed.data) : {};
  const usage = usageFromWire(wireUsage);
  const ev: StreamEvent = {
    type: "message_start",
    id: msg.id,
    model: typeof msg.model === "string" ? msg.model : "",
    created: 0,
  };
  if (Object.keys(usage).length > 0) ev.usage = usage;
  return { state: { ...state, usage: wireUsage }, out: [ev] };
}

function blockStart(state: AnthropicDecodeState, data: JsonObject): Step {
  const block = isObject(data.content_block) ? data.content_block : undefined;
  if (typeof data.index !== "number" || block === undefined) return malformed(state, "content_block_start");
  const wireIndex = data.index;
  const index = state.nextIndex;
  const out: StreamEvent[] = [];
  switch (block.type) {
    case "text":
      out.push({ type: "text_start", index });
      if (typeof block.text === "string" && block.text !== "") {
        out.push({ type: "text_delta", index, text: block.text });
      }
      break;
    case "thinking":
      out.push({ type: "thinking_start", index });
      if (typeof block.thinking === "string" && block.thinking !== "") {
        out.push({ type: "thinking_delta", index, text: block.thinking });
      }
      if (typeof block.signature === "string" && block.signature !== "") {
        out.push({ type: "thinking_signature", index, signature: block.signature });
      }
      break;
    case "redacted_thinking":
      out.push({ type: "redacted_thinking", index, data: typeof block.data === "string" ? block.data : "" });
      break;
    case "tool_use": {
      if (typeof block.id !== "string" || typeof block.name !== "string") return malformed(state, "tool_use block");
      out.push({ type: "tool_call_start", index, id: block.id, name: block.name });
      // The input normally arrives as input_json_delta; a non-empty start input is sent as one delta.
      if (isObject(block.input) && Object.keys(block.input).length > 0) {
        out.push({ type: "tool_call_delta", index, arguments: JSON.stringify(block.input) });
      }
      break;
    }
    default:
      // server_tool_use, web_search_tool_result…: run upstream, no canonical block.
      return { state: { ...state, open: { ...state.open, [wireIndex]: null } }, out: [] };
  }
  return { state: { ...state, open: { ...state.open, [wireIndex]: index }, nextIndex: index + 1 }, out };
}

function blockDelta(state: AnthropicDecodeState, data: JsonObject): Step {
  const delta = isObject(data.delta) ? data.delta : undefined;
  if (typeof data.index !== "number" || delta === undefined) return malformed(state, "content_block_delta");
  const index = state.open[data.index];
  if (typeof index !== "number") return { state, out: [] };
  const out: StreamEvent[] = [];
  if (delta.type === "text_delta" && typeof delta.text === "string") {
    out.push({ type: "text_delta", index, text: delta.text });
  } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
    if (delta.partial_json !== "") out.push({ type: "tool_call_delta", index, arguments: delta.partial_json });
  } else if (delta.type === "thinking_delta" && typeof delta.thinking === "string") {
    out.push({ type: "thinking_delta", index, text: delta.thinking });
  } else if (delta.type === "signature_delta" && typeof delta.signature === "string") {
    out.push({ type: "thinking_signature", index, signature: delta.signature });
  }
  return { state, out };
}

/** message_delta usage is cumulative; newer API versions repeat input and cache counts there too. */
function messageDelta(state: AnthropicDecodeState, data: JsonObject): Step {
  const delta = isObject(data.delta) ? data.delta : {};
  const next: AnthropicDecodeState = { ...state };
  if (typeof delta.stop_reason === "string") next.stopReason = stopReasonFromWire(delta.stop_reason);
  if (typeof delta.stop_sequence === "string") next.stopSequence = delta.stop_sequence;
  const out: StreamEvent[] = [];
  if (data.usage !== undefined) {
    const parsed = WireUsage.safeParse(data.usage);
    if (!parsed.success) return malformed(state, "message_delta usage");
    // Merged per wire field: a delta repeating only input_tokens keeps message_start's cache counts.
    next.usage = { ...state.usage, ...definedOnly(parsed.data) };
    const merged = usageFromWire(next.usage);
    out.push({
      type: "usage",
      usage: { ...merged, inputTokens: merged.inputTokens ?? 0, outputTokens: merged.outputTokens ?? 0 },
    });
  }
  return { state: next, out };
}

/** Drops null/undefined fields so a merge does not erase a count with a null. */
function definedOnly(usage: WireUsage): WireUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, v]) => v != null)) as WireUsage;
}
