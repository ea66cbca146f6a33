/**
 * @module Upstream Responses SSE → canonical stream events. Each output item (and each text part of a
 * message) is one canonical block; the state holds only the open items' bookkeeping, never the text.
 */
import type { SseEvent, StepResult, StreamEvent } from "../../core/canonical.ts";
import { decodeUsage, stopReasonFor } from "./response.ts";
import { flatToolName } from "./tool_names.ts";
import { decodeEncryptedContent } from "./signature.ts";

interface OpenBlock {
  index: number;
  kind: "text" | "tool" | "custom" | "thinking";
  /** Tool calls: whether any argument text was emitted (a `.done` without deltas then carries it all). */
  streamed: boolean;
}

export interface DecodeState {
  started: boolean;
  finished: boolean;
  nextIndex: number;
  /** Open blocks by `output_index` (reasoning, tool calls) or `output_index:content_index` (message parts). */
  open: Map<string, OpenBlock>;
  /** Last summary part seen per reasoning output_index, to separate parts like the non-stream join does. */
  summaryPart: Map<number, number>;
  toolCall: boolean;
  refusal: boolean;
}

export function initDecodeStream(): DecodeState {
  return {
    started: false,
    finished: false,
    nextIndex: 0,
    open: new Map(),
    summaryPart: new Map(),
    toolCall: false,
    refusal: false,
  };
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/** HTTP status for a Responses error code (response.failed / error events carry no status). */
export function statusForCode(code: string): number {
  if (code === "rate_limit_exceeded" || code === "insufficient_quota") return 429;
  if (code === "context_length_exceeded" || code.startsWith("invalid_")) return 400;
  if (code === "server_error") return 500;
  return 502;
}

function open(state: DecodeState, key: string, kind: OpenBlock["kind"], out: StreamEvent[]): OpenBlock {
  const block: OpenBlock = { index: state.nextIndex++, kind, streamed: false };
  state.open.set(key, block);
  if (kind === "text") out.push({ type: "text_start", index: block.index });
  if (kind === "thinking") out.push({ type: "thinking_start", index: block.index });
  return block;
}

function close(state: DecodeState, key: string, out: StreamEvent[]): void {
  const block = state.open.get(key);
  if (!block) return;
  if (block.kind === "custom") out.push({ type: "tool_call_delta", index: block.index, arguments: '"}' });
  out.push({ type: "block_stop", index: block.index });
  state.open.delete(key);
}

/** Closes every block of one output item (its text parts too). */
function closeItem(state: DecodeState, outputIndex: number, out: StreamEvent[]): void {
  for (const key of [...state.open.keys()]) {
    if (key === String(outputIndex) || key.startsWith(`${outputIndex}:`)) close(state, key, out);
  }
  state.summaryPart.delete(outputIndex);
}

function itemAdded(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const item = isRecord(ev.item) ? ev.item : {};
  const key = String(num(ev.output_index));
  if (item.type === "function_call" || item.type === "custom_tool_call") {
    state.toolCall = true;
    const custom = item.type === "custom_tool_call";
    const block = open(state, key, custom ? "custom" : "tool", out);
    const name = flatToolName(typeof item.namespace === "string" ? item.namespace : undefined, str(item.name));
    out.push({ type: "tool_call_start", index: block.index, id: str(item.call_id), name });
    if (custom) out.push({ type: "tool_call_delta", index: block.index, arguments: '{"input":"' });
    const initial = custom ? "" : str(item.arguments);
    if (initial !== "") {
      out.push({ type: "tool_call_delta", index: block.index, arguments: initial });
      block.streamed = true;
    }
  } else if (item.type === "reasoning") {
    open(state, key, "thinking", out);
  }
}

function itemDone(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const item = isRecord(ev.item) ? ev.item : {};
  const outputIndex = num(ev.output_index);
  const block = state.open.get(String(outputIndex));
  if (block?.kind === "tool" && !block.streamed && str(item.arguments) !== "") {
    out.push({ type: "tool_call_delta", index: block.index, arguments: str(item.arguments) });
  }
  if (block?.kind === "custom" && !block.streamed && str(item.input) !== "") {
    out.push({ type: "tool_call_delta", index: block.index, arguments: JSON.stringify(str(item.input)).slice(1, -1) });
  }
  if (block?.kind === "thinking" && typeof item.encrypted_content === "string" && item.encrypted_content !== "") {
    const decoded = decodeEncryptedContent(item.encrypted_content);
    if (decoded.kind === "signature") {
      out.push({ type: "thinking_signature", index: block.index, signature: decoded.signature });
    }
  }
  closeItem(state, outputIndex, out);
}

function textDelta(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const key = `${num(ev.output_index)}:${num(ev.content_index)}`;
  const block = state.open.get(key) ?? open(state, key, "text", out);
  const delta = str(ev.delta);
  if (delta !== "") out.push({ type: "text_delta", index: block.index, text: delta });
}

function thinkingDelta(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const outputIndex = num(ev.output_index);
  const block = state.open.get(String(outputIndex)) ?? open(state, String(outputIndex), "thinking", out);
  if (ev.type === "response.reasoning_summary_text.delta") {
    const part = num(ev.summary_index);
    const last = state.summaryPart.get(outputIndex);
    if (last !== undefined && last !== part) out.push({ type: "thinking_delta", index: block.index, text: "\n\n" });
    state.summaryPart.set(outputIndex, part);
  }
  const delta = str(ev.delta);
  if (delta !== "") out.push({ type: "thinking_delta", index: block.index, text: delta });
}

function argsDelta(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const block = state.open.get(String(num(ev.output_index)));
  const delta = str(ev.delta);
  if (!block || delta === "") return;
  // Custom tool input is free text: escape it into the `{"input":"…"}` wrapper as it arrives.
  const text = block.kind === "custom" ? JSON.stringify(delta).slice(1, -1) : delta;
  out.push({ type: "tool_call_delta", index: block.index, arguments: text });
  block.streamed = true;
}

function argsDone(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const block = state.open.get(String(num(ev.output_index)));
  if (block?.kind === "tool" && !block.streamed && str(ev.arguments) !== "") {
    out.push({ type: "tool_call_delta", index: block.index, arguments: str(ev.arguments) });
    block.streamed = true;
  }
}

function finish(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  const response = isRecord(ev.response) ? ev.response : {};
  for (const key of [...state.open.keys()]) close(state, key, out);
  out.push({ type: "usage", usage: decodeUsage(response.usage) });
  const details = isRecord(response.incomplete_details) ? response.incomplete_details : {};
  const status = ev.type === "response.incomplete" ? "incomplete" : str(response.status) || "completed";
  const stopReason = stopReasonFor(status, str(details.reason), state);
  out.push({ type: "message_stop", stopReason });
  state.finished = true;
}

function failure(state: DecodeState, error: Json, out: StreamEvent[]): void {
  const code = str(error.code) || str(error.type) || "server_error";
  const message = str(error.message) || "The upstream response failed";
  out.push({ type: "error", status: statusForCode(code), errorType: code, message });
  state.finished = true;
}

function start(state: DecodeState, ev: Json, out: StreamEvent[]): void {
  if (state.started) return;
  state.started = true;
  const response = isRecord(ev.response) ? ev.response : {};
  out.push({
    type: "message_start",
    id: str(response.id),
    model: str(response.model),
    created: num(response.created_at),
  });
}

/** One upstream Responses SSE event → canonical events. */
export function decodeStream(state: DecodeState, event: SseEvent): StepResult<DecodeState, StreamEvent> {
  const out: StreamEvent[] = [];
  if (state.finished || event.data === "[DONE]") return { state, out };
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    failure(state, { code: "upstream_error", message: "Malformed event in the upstream Responses stream" }, out);
    return { state, out };
  }
  if (!isRecord(parsed)) return { state, out };
  const ev = parsed;
  const type = str(ev.type) || event.event || "";
  if (!state.started && type !== "error" && type !== "response.failed") start(state, ev, out);
  if (type === "response.created" || type === "response.in_progress" || type === "response.queued") {
    start(state, ev, out);
    return { state, out };
  }
  if (type === "error") {
    failure(state, isRecord(ev.error) ? ev.error : ev, out);
    return { state, out };
  }
  if (type === "response.failed") {
    const response = isRecord(ev.response) ? ev.response : {};
    failure(state, isRecord(response.error) ? response.error : {}, out);
    return { state, out };
  }
  switch (type) {
    case "response.output_item.added":
      itemAdded(state, ev, out);
      break;
    case "response.output_item.done":
      itemDone(state, ev, out);
      break;
    case "response.content_part.added": {
      const part = isRecord(ev.part) ? ev.part : {};
      const key = `${num(ev.output_index)}:${num(ev.content_index)}`;
      if ((part.type === "output_text" || part.type === "refusal") && !state.open.has(key)) {
        open(state, key, "text", out);
      }
      break;
    }
    case "response.content_part.done":
      close(state, `${num(ev.output_index)}:${num(ev.content_index)}`, out);
      break;
    case "response.refusal.delta":
      state.refusal = true;
      textDelta(state, ev, out);
      break;
    case "response.output_text.delta":
      textDelta(state, ev, out);
      break;
    case "response.reasoning_summary_text.delta":
    case "response.reasoning_text.delta":
      thinkingDelta(state, ev, out);
      break;
    case "response.function_call_arguments.delta":
    case "response.custom_tool_call_input.delta":
      argsDelta(state, ev, out);
      break;
    case "response.function_call_arguments.done":
      argsDone(state, ev, out);
      break;
    case "response.completed":
    case "response.incomplete":
      finish(state, ev, out);
      break;
  }
  return { state, out };
}
