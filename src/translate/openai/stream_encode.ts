/**
 * @module Canonical stream events → Chat Completions SSE for an OpenAI client.
 *
 * Shape: a role chunk (`delta: {role: "assistant", content: ""}`) at `message_start`, one chunk per content
 * delta (`content`, `reasoning_content`, or `tool_calls` numbered 0.. per call), a finish chunk, with
 * `init.includeUsage` a usage chunk with `choices: []` (and `usage: null` on every other chunk, as OpenAI
 * does), then `data: [DONE]`. A canonical `error` becomes the `{"error":{…}}` data chunk OpenAI itself sends
 * mid-stream and ends the stream WITHOUT `[DONE]`, so no client mistakes it for a clean finish (the official
 * SDKs throw on that chunk). `ping` emits nothing: a heartbeat is an SSE comment, written by the http layer.
 */
import type { SseEvent, StepResult, StreamEvent, Usage } from "../../core/canonical.ts";
import type { EncodeStreamInit } from "../../core/codec.ts";
import { openaiTypeForStatus } from "../../core/errors.ts";
import { gatewayCodeForStatus } from "./error_body.ts";
import { finishFromStopReason, usageToWire } from "./stop_usage.ts";

export interface OpenAIEncodeState {
  includeUsage: boolean;
  started: boolean;
  id: string;
  model: string;
  created: number;
  /** OpenAI tool_call `index` by canonical block index. */
  toolIndex: Record<number, number>;
  toolCount: number;
  usage: Usage | null;
  /** `[DONE]` or an error chunk written: nothing more may follow. */
  done: boolean;
}

export function initEncodeStream(init: EncodeStreamInit): OpenAIEncodeState {
  return {
    includeUsage: init.includeUsage === true,
    started: false,
    id: "",
    model: "",
    created: 0,
    toolIndex: {},
    toolCount: 0,
    usage: null,
    done: false,
  };
}

function chunk(s: OpenAIEncodeState, choices: unknown[], usage?: Usage): SseEvent {
  const body: Record<string, unknown> = {
    id: s.id,
    object: "chat.completion.chunk",
    created: s.created,
    model: s.model,
    choices,
  };
  if (s.includeUsage) body.usage = usage === undefined ? null : usageToWire(usage);
  return { data: JSON.stringify(body) };
}

function deltaChunk(s: OpenAIEncodeState, delta: Record<string, unknown>, finish: string | null = null): SseEvent {
  return chunk(s, [{ index: 0, delta, logprobs: null, finish_reason: finish }]);
}

/** The role chunk, exactly once, before anything else (synthesized if content precedes message_start). */
function ensureStarted(s: OpenAIEncodeState, out: SseEvent[]): void {
  if (s.started) return;
  s.started = true;
  out.push(deltaChunk(s, { role: "assistant", content: "" }));
}

/** One canonical event → the client's SSE events, emitted immediately. */
export function encodeStream(state: OpenAIEncodeState, event: StreamEvent): StepResult<OpenAIEncodeState, SseEvent> {
  if (state.done) return { state, out: [] };
  const s: OpenAIEncodeState = { ...state, toolIndex: { ...state.toolIndex } };
  const out: SseEvent[] = [];
  switch (event.type) {
    case "message_start":
      if (!s.started) {
        s.id = event.id;
        s.model = event.model;
        s.created = event.created;
        ensureStarted(s, out);
      }
      break;
    case "text_delta":
      if (event.text === "") break;
      ensureStarted(s, out);
      out.push(deltaChunk(s, { content: event.text }));
      break;
    case "thinking_delta":
      if (event.text === "") break;
      ensureStarted(s, out);
      out.push(deltaChunk(s, { reasoning_content: event.text }));
      break;
    case "tool_call_start": {
      ensureStarted(s, out);
      const index = s.toolCount++;
      s.toolIndex[event.index] = index;
      out.push(deltaChunk(s, {
        tool_calls: [{ index, id: event.id, type: "function", function: { name: event.name, arguments: "" } }],
      }));
      break;
    }
    case "tool_call_delta": {
      const index = s.toolIndex[event.index];
      if (index === undefined || event.arguments === "") break;
      out.push(deltaChunk(s, { tool_calls: [{ index, function: { arguments: event.arguments } }] }));
      break;
    }
    case "usage":
      s.usage = event.usage;
      break;
    case "message_stop":
      ensureStarted(s, out);
      out.push(deltaChunk(s, {}, finishFromStopReason(event.stopReason, s.toolCount > 0)));
      if (s.includeUsage && s.usage !== null) out.push(chunk(s, [], s.usage));
      out.push({ data: "[DONE]" });
      s.done = true;
      break;
    case "error":
      out.push({
        data: JSON.stringify({
          error: {
            message: event.message,
            type: openaiTypeForStatus(event.status),
            param: null,
            code: gatewayCodeForStatus(event.status),
          },
        }),
      });
      s.done = true;
      break;
    // text_start, thinking_start, block_stop: Chat chunks have no block framing. thinking_signature and
    // redacted_thinking: Chat has no place for them. ping: SSE comments are the http layer's job.
    default:
      break;
  }
  return { state: s, out };
}
