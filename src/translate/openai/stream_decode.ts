/**
 * @module Upstream Chat Completions SSE (`chat.completion.chunk` … `[DONE]`) → canonical stream events.
 *
 * Block numbering: every text run, reasoning run and tool call gets the next canonical index in order of
 * appearance, and one block is current at a time (a new block closes the previous one), so Anthropic-style
 * encoders can map blocks 1:1. OpenAI's tool-call `index` only selects the slot a fragment belongs to.
 * (No known provider interleaves fragments of two tool calls; if one did, a late fragment is still emitted
 * as a `tool_call_delta` of its own call's index rather than dropped.)
 *
 * `message_stop` is held back after `finish_reason` until usage is known (the usage chunk, which OpenAI
 * sends after the finish chunk, or `[DONE]`), so every canonical stream carries usage before its stop.
 * The state is bounded: ids, a few counters, and argument fragments of a tool call whose name has not
 * arrived yet.
 */
import type { SseEvent, StepResult, StopReason, StreamEvent } from "../../core/canonical.ts";
import { readErrorObject, statusForErrorObject } from "./error_body.ts";
import { ChunkSchema, isCommonChunk, type WireChunk, type WireUsage } from "./schema.ts";
import { stopReasonFromFinish, usageFromWire } from "./stop_usage.ts";

interface ToolSlot {
  /** Canonical block index, assigned when the call starts. */
  index: number;
  id?: string;
  name?: string;
  started: boolean;
  /** Argument fragments received before the call could start (no name or id yet). */
  pending: string[];
}

export interface OpenAIDecodeState {
  started: boolean;
  id: string;
  nextIndex: number;
  /** The block currently open, if any. */
  open: { index: number; kind: "text" | "thinking" | "tool" } | null;
  /** Tool slots by the wire's tool-call `index` (or `fn` for a legacy function_call). */
  tools: Record<string, ToolSlot>;
  toolCount: number;
  refused: boolean;
  /** finish_reason seen: the stop reason waiting for usage. */
  pendingStop: StopReason | null;
  usageSeen: boolean;
  stopped: boolean;
  done: boolean;
}

export function initDecodeStream(): OpenAIDecodeState {
  return {
    started: false,
    id: "",
    nextIndex: 0,
    open: null,
    tools: {},
    toolCount: 0,
    refused: false,
    pendingStop: null,
    usageSeen: false,
    stopped: false,
    done: false,
  };
}

function cloneState(s: OpenAIDecodeState): OpenAIDecodeState {
  const tools: Record<string, ToolSlot> = {};
  for (const [k, v] of Object.entries(s.tools)) tools[k] = { ...v, pending: [...v.pending] };
  return { ...s, open: s.open === null ? null : { ...s.open }, tools };
}

function errorEvent(status: number, errorType: string, message: string): StreamEvent {
  return { type: "error", status, errorType, message };
}

function closeOpen(s: OpenAIDecodeState, out: StreamEvent[]): void {
  if (s.open !== null) out.push({ type: "block_stop", index: s.open.index });
  s.open = null;
}

/** Makes a text or thinking block current, closing whatever else was open. */
function ensureBlock(s: OpenAIDecodeState, kind: "text" | "thinking", out: StreamEvent[]): number {
  if (s.open !== null && s.open.kind === kind) return s.open.index;
  closeOpen(s, out);
  const index = s.nextIndex++;
  s.open = { index, kind };
  out.push({ type: kind === "text" ? "text_start" : "thinking_start", index });
  return index;
}

function startTool(s: OpenAIDecodeState, slot: ToolSlot, out: StreamEvent[]): void {
  closeOpen(s, out);
  slot.index = s.nextIndex++;
  slot.started = true;
  s.open = { index: slot.index, kind: "tool" };
  out.push({ type: "tool_call_start", index: slot.index, id: slot.id ?? "", name: slot.name ?? "" });
  for (const fragment of slot.pending) out.push({ type: "tool_call_delta", index: slot.index, arguments: fragment });
  slot.pending = [];
}

type ChunkToolCall = NonNullable<NonNullable<NonNullable<WireChunk["choices"]>[number]["delta"]>["tool_calls"]>[number];

function slotFor(s: OpenAIDecodeState, call: ChunkToolCall): ToolSlot {
  // Some compatible servers omit `index`: find the call by id, or treat an id-less fragment as the latest.
  let key: string | undefined = typeof call.index === "number" ? String(call.index) : undefined;
  if (key === undefined && typeof call.id === "string") {
    key = Object.keys(s.tools).find((k) => s.tools[k].id === call.id);
    if (key === undefined) key = `n${s.toolCount}`;
  }
  if (key === undefined) key = Object.keys(s.tools).at(-1) ?? "0";
  let slot = s.tools[key];
  if (slot === undefined) {
    slot = { index: -1, started: false, pending: [] };
    s.tools[key] = slot;
    s.toolCount++;
  }
  return slot;
}

function onToolFragment(
  s: OpenAIDecodeState,
  slot: ToolSlot,
  fragment: { id?: string | null; name?: string | null; arguments?: string | null },
  out: StreamEvent[],
): void {
  // Providers that repeat id/name on every fragment must not restart the call.
  if (slot.id === undefined && typeof fragment.id === "string" && fragment.id !== "") slot.id = fragment.id;
  if (slot.name === undefined && typeof fragment.name === "string" && fragment.name !== "") slot.name = fragment.name;
  if (!slot.started && slot.id !== undefined && slot.name !== undefined) startTool(s, slot, out);
  const args = fragment.arguments;
  if (typeof args !== "string" || args === "") return;
  if (slot.started) out.push({ type: "tool_call_delta", index: slot.index, arguments: args });
  else slot.pending.push(args);
}

/** At the finish: start calls still missing an id (with an id derived from the response id), close blocks. */
function finishBlocks(s: OpenAIDecodeState, out: StreamEvent[]): void {
  for (const [key, slot] of Object.entries(s.tools)) {
    if (slot.started || slot.name === undefined) continue;
    slot.id = `call_${s.id}_${key}`;
    startTool(s, slot, out);
  }
  closeOpen(s, out);
}

function onChunk(s: OpenAIDecodeState, chunk: WireChunk, out: StreamEvent[]): void {
  const choices = chunk.choices ?? [];
  const usage: WireUsage | null | undefined = chunk.usage ?? chunk.x_groq?.usage;
  if (!s.started && (choices.length > 0 || usage !== null && usage !== undefined)) {
    // Azure sends a first chunk with empty choices and an empty id (prompt filter results): not the start.
    s.started = true;
    s.id = chunk.id ?? "";
    out.push({ type: "message_start", id: s.id, model: chunk.model ?? "", created: chunk.created ?? 0 });
  }
  const choice = choices.find((c) => (c.index ?? 0) === 0);
  if (choice !== undefined && !s.stopped && s.pendingStop === null) {
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === "string" && reasoning !== "") {
      out.push({ type: "thinking_delta", index: ensureBlock(s, "thinking", out), text: reasoning });
    }
    if (typeof delta.content === "string" && delta.content !== "") {
      out.push({ type: "text_delta", index: ensureBlock(s, "text", out), text: delta.content });
    }
    if (typeof delta.refusal === "string" && delta.refusal !== "") {
      s.refused = true;
      out.push({ type: "text_delta", index: ensureBlock(s, "text", out), text: delta.refusal });
    }
    for (const call of delta.tool_calls ?? []) {
      onToolFragment(s, slotFor(s, call), { id: call.id, ...call.function }, out);
    }
    if (delta.function_call !== null && delta.function_call !== undefined) {
      let slot = s.tools.fn;
      if (slot === undefined) {
        slot = { index: -1, id: `call_${s.id}_fn`, started: false, pending: [] };
        s.tools.fn = slot;
      }
      onToolFragment(s, slot, delta.function_call, out);
    }
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
      finishBlocks(s, out);
      const sawToolCall = Object.values(s.tools).some((t) => t.started);
      s.pendingStop = s.refused ? "refusal" : stopReasonFromFinish(choice.finish_reason, sawToolCall);
    }
  }
  if (usage !== null && usage !== undefined && !s.stopped) {
    s.usageSeen = true;
    out.push({ type: "usage", usage: usageFromWire(usage) });
  }
  if (s.pendingStop !== null && s.usageSeen && !s.stopped) {
    s.stopped = true;
    out.push({ type: "message_stop", stopReason: s.pendingStop });
  }
}

function onDone(s: OpenAIDecodeState, out: StreamEvent[]): void {
  s.done = true;
  if (s.stopped) return;
  if (!s.started) {
    out.push(errorEvent(502, "upstream_error", "the upstream stream ended before any chunk"));
    return;
  }
  if (s.pendingStop === null) {
    // No finish_reason at all: take [DONE] as a normal end rather than lose the answer.
    finishBlocks(s, out);
    s.pendingStop = stopReasonFromFinish(null, Object.values(s.tools).some((t) => t.started));
  }
  s.stopped = true;
  out.push({ type: "message_stop", stopReason: s.pendingStop });
}

/** One upstream SSE event → canonical events. An in-stream `{"error":{…}}` becomes an `error` event. */
export function decodeStream(state: OpenAIDecodeState, event: SseEvent): StepResult<OpenAIDecodeState, StreamEvent> {
  if (state.done) return { state, out: [] };
  const s = cloneState(state);
  const out: StreamEvent[] = [];
  const data = event.data.trim();
  if (data === "[DONE]") {
    onDone(s, out);
    return { state: s, out };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    s.done = true;
    out.push(errorEvent(502, "upstream_error", "malformed chunk in the upstream stream"));
    return { state: s, out };
  }
  const isErrorObject = typeof json === "object" && json !== null && "error" in json &&
    (json as { error: unknown }).error !== null && (json as { error: unknown }).error !== undefined;
  if (event.event === "error" || isErrorObject) {
    const { message, type, code } = readErrorObject(json);
    s.done = true;
    out.push(errorEvent(
      statusForErrorObject(type, code),
      type ?? (typeof code === "string" ? code : "upstream_error"),
      message ?? "the upstream reported an error mid-stream",
    ));
    return { state: s, out };
  }
  if (isCommonChunk(json)) {
    onChunk(s, json, out);
    return { state: s, out };
  }
  const parsed = ChunkSchema.safeParse(json);
  if (!parsed.success) {
    s.done = true;
    out.push(errorEvent(502, "upstream_error", "malformed chunk in the upstream stream"));
    return { state: s, out };
  }
  onChunk(s, parsed.data, out);
  return { state: s, out };
}
