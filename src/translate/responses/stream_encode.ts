/**
 * @module Canonical stream events → Responses SSE, in the order Codex and the openai-node ResponseStream consume:
 * response.created + response.in_progress once, each block as an output item (added → deltas → done), then
 * response.completed / response.incomplete carrying every output item. A canonical error becomes the `error`
 * event (openai-node throws on it) followed by `response.failed` (what Codex reads; it ignores `error`).
 * The state keeps the finished output items of the one response being built (response.completed must repeat
 * them) and the open blocks' text; no SSE text is kept.
 */
import type { SseEvent, StepResult, StreamEvent, Usage, WireFormat } from "../../core/canonical.ts";
import type { EncodeStreamInit } from "../../core/codec.ts";
import {
  encodeUsage,
  functionCallItem,
  itemId,
  messageItem,
  reasoningItem,
  responseEnvelope,
  statusFor,
} from "./response.ts";
import { encryptedContentFor, encryptedContentForRedacted } from "./signature.ts";

type Item = Record<string, unknown>;

interface Block {
  kind: "text" | "thinking" | "tool";
  outputIndex: number;
  itemId: string;
  /** Text, thinking summary or arguments so far (the `.done` events and response.completed repeat it). */
  text: string;
  callId: string;
  name: string;
  encrypted?: string;
  summaryOpen: boolean;
}

export interface EncodeState {
  seq: number;
  started: boolean;
  finished: boolean;
  id: string;
  model: string;
  created: number;
  /** Open blocks by canonical index. */
  blocks: Map<number, Block>;
  /** Finished output items, by output_index. */
  output: Item[];
  nextOutput: number;
  usage?: Usage;
  upstreamFormat?: WireFormat;
}

/**
 * `upstreamFormat` (optional, beyond the shared init) names the format the canonical events came from, so a
 * foreign thinking signature is tagged in `encrypted_content` and finds its way back (see signature.ts).
 */
export function initEncodeStream(init: EncodeStreamInit & { upstreamFormat?: WireFormat }): EncodeState {
  return {
    seq: 0,
    started: false,
    finished: false,
    id: "resp_switchyard",
    model: "",
    created: 0,
    blocks: new Map(),
    output: [],
    nextOutput: 0,
    upstreamFormat: init.upstreamFormat,
  };
}

/** Response error codes the SDK types list (plus the two Codex treats specially); others map by status. */
const ERROR_CODES = new Set([
  "server_error",
  "rate_limit_exceeded",
  "invalid_prompt",
  "context_length_exceeded",
  "insufficient_quota",
]);

function errorCode(status: number, errorType: string): string {
  if (ERROR_CODES.has(errorType)) return errorType;
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 400 && status < 500) return "invalid_prompt";
  return "server_error";
}

function emit(state: EncodeState, out: SseEvent[], type: string, fields: Item): void {
  out.push({ event: type, data: JSON.stringify({ type, ...fields, sequence_number: state.seq++ }) });
}

function envelope(state: EncodeState, status: string): Item {
  return responseEnvelope({ id: state.id, model: state.model, created: state.created, status });
}

function ensureStarted(state: EncodeState, out: SseEvent[]): void {
  if (state.started) return;
  state.started = true;
  emit(state, out, "response.created", { response: envelope(state, "in_progress") });
  emit(state, out, "response.in_progress", { response: envelope(state, "in_progress") });
}

function openBlock(state: EncodeState, out: SseEvent[], index: number, kind: Block["kind"], call?: {
  id: string;
  name: string;
}): Block {
  ensureStarted(state, out);
  const outputIndex = state.nextOutput++;
  const prefix = kind === "text" ? "msg" : kind === "tool" ? "fc" : "rs";
  const block: Block = {
    kind,
    outputIndex,
    itemId: itemId(prefix, state.id, outputIndex),
    text: "",
    callId: call?.id ?? "",
    name: call?.name ?? "",
    summaryOpen: false,
  };
  state.blocks.set(index, block);
  const at = { output_index: outputIndex };
  if (kind === "text") {
    emit(state, out, "response.output_item.added", {
      ...at,
      item: { id: block.itemId, type: "message", status: "in_progress", role: "assistant", content: [] },
    });
    emit(state, out, "response.content_part.added", {
      item_id: block.itemId,
      ...at,
      content_index: 0,
      part: { type: "output_text", annotations: [], logprobs: [], text: "" },
    });
  } else if (kind === "tool") {
    emit(state, out, "response.output_item.added", {
      ...at,
      item: functionCallItem(block.itemId, { id: block.callId, name: block.name, arguments: "" }, "in_progress"),
    });
  } else {
    emit(state, out, "response.output_item.added", {
      ...at,
      item: { id: block.itemId, type: "reasoning", summary: [] },
    });
  }
  return block;
}

function block(state: EncodeState, out: SseEvent[], index: number, kind: Block["kind"]): Block {
  const existing = state.blocks.get(index);
  return existing ?? openBlock(state, out, index, kind);
}

function finishItem(state: EncodeState, out: SseEvent[], outputIndex: number, item: Item): void {
  state.output[outputIndex] = item;
  emit(state, out, "response.output_item.done", { output_index: outputIndex, item });
}

function closeBlock(state: EncodeState, out: SseEvent[], index: number): void {
  const b = state.blocks.get(index);
  if (!b) return;
  state.blocks.delete(index);
  const at = { item_id: b.itemId, output_index: b.outputIndex };
  if (b.kind === "text") {
    emit(state, out, "response.output_text.done", { ...at, content_index: 0, text: b.text, logprobs: [] });
    emit(state, out, "response.content_part.done", {
      ...at,
      content_index: 0,
      part: { type: "output_text", annotations: [], logprobs: [], text: b.text },
    });
    finishItem(state, out, b.outputIndex, messageItem(b.itemId, b.text, "completed"));
  } else if (b.kind === "tool") {
    emit(state, out, "response.function_call_arguments.done", { ...at, name: b.name, arguments: b.text });
    const call = { id: b.callId, name: b.name, arguments: b.text };
    finishItem(state, out, b.outputIndex, functionCallItem(b.itemId, call, "completed"));
  } else {
    if (b.summaryOpen) {
      emit(state, out, "response.reasoning_summary_text.done", { ...at, summary_index: 0, text: b.text });
      emit(state, out, "response.reasoning_summary_part.done", {
        ...at,
        summary_index: 0,
        part: { type: "summary_text", text: b.text },
      });
    }
    finishItem(state, out, b.outputIndex, reasoningItem(b.itemId, b.text, b.encrypted));
  }
}

function closeAll(state: EncodeState, out: SseEvent[]): void {
  for (const index of [...state.blocks.keys()].sort((a, b) => a - b)) closeBlock(state, out, index);
}

function finalOutput(state: EncodeState): Item[] {
  return state.output.filter((item) => item !== undefined);
}

function step(state: EncodeState, ev: StreamEvent, out: SseEvent[]): void {
  switch (ev.type) {
    case "message_start":
      if (!state.started) {
        state.id = ev.id;
        state.model = ev.model;
        state.created = ev.created;
      }
      ensureStarted(state, out);
      return;
    case "text_start":
      block(state, out, ev.index, "text");
      return;
    case "text_delta": {
      const b = block(state, out, ev.index, "text");
      if (ev.text === "") return;
      b.text += ev.text;
      emit(state, out, "response.output_text.delta", {
        item_id: b.itemId,
        output_index: b.outputIndex,
        content_index: 0,
        delta: ev.text,
        logprobs: [],
      });
      return;
    }
    case "thinking_start":
      block(state, out, ev.index, "thinking");
      return;
    case "thinking_delta": {
      const b = block(state, out, ev.index, "thinking");
      if (ev.text === "") return;
      const at = { item_id: b.itemId, output_index: b.outputIndex, summary_index: 0 };
      if (!b.summaryOpen) {
        b.summaryOpen = true;
        emit(state, out, "response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
      }
      b.text += ev.text;
      emit(state, out, "response.reasoning_summary_text.delta", { ...at, delta: ev.text });
      return;
    }
    case "thinking_signature":
      block(state, out, ev.index, "thinking").encrypted = encryptedContentFor(ev.signature, state.upstreamFormat);
      return;
    case "redacted_thinking": {
      const b = openBlock(state, out, ev.index, "thinking");
      state.blocks.delete(ev.index);
      finishItem(state, out, b.outputIndex, reasoningItem(b.itemId, "", encryptedContentForRedacted(ev.data)));
      return;
    }
    case "tool_call_start":
      if (!state.blocks.has(ev.index)) openBlock(state, out, ev.index, "tool", { id: ev.id, name: ev.name });
      return;
    case "tool_call_delta": {
      const b = block(state, out, ev.index, "tool");
      if (ev.arguments === "") return;
      b.text += ev.arguments;
      emit(state, out, "response.function_call_arguments.delta", {
        item_id: b.itemId,
        output_index: b.outputIndex,
        delta: ev.arguments,
      });
      return;
    }
    case "block_stop":
      closeBlock(state, out, ev.index);
      return;
    case "usage":
      state.usage = ev.usage;
      return;
    case "message_stop": {
      ensureStarted(state, out);
      closeAll(state, out);
      const { status, incomplete_details } = statusFor(ev.stopReason);
      const response = {
        ...envelope(state, status),
        incomplete_details,
        output: finalOutput(state),
        usage: encodeUsage(state.usage ?? { inputTokens: 0, outputTokens: 0 }),
      };
      emit(state, out, status === "incomplete" ? "response.incomplete" : "response.completed", { response });
      state.finished = true;
      return;
    }
    case "error": {
      const code = errorCode(ev.status, ev.errorType);
      emit(state, out, "error", { code, message: ev.message, param: null });
      const response = {
        ...envelope(state, "failed"),
        error: { code, message: ev.message },
        output: finalOutput(state),
        usage: state.usage ? encodeUsage(state.usage) : null,
      };
      emit(state, out, "response.failed", { response });
      state.finished = true;
      return;
    }
    case "ping":
      return;
  }
}

/** One canonical event → Responses SSE events (the state is updated in place and returned). */
export function encodeStream(state: EncodeState, event: StreamEvent): StepResult<EncodeState, SseEvent> {
  const out: SseEvent[] = [];
  if (!state.finished) step(state, event, out);
  return { state, out };
}
