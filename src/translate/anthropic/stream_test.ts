/** @module Unit tests for stream framing rules: synthesized start, usage ordering, block mapping, errors. */
import assert from "node:assert/strict";
import type { SseEvent, StreamEvent } from "../../core/canonical.ts";
import { type AnthropicEncodeState, decodeStream, encodeStream, initDecodeStream, initEncodeStream } from "./mod.ts";

function encodeAll(events: StreamEvent[]): { state: AnthropicEncodeState; out: Array<Record<string, unknown>> } {
  let state = initEncodeStream({});
  const out: SseEvent[] = [];
  for (const ev of events) {
    const step = encodeStream(state, ev);
    state = step.state;
    out.push(...step.out);
  }
  return { state, out: out.map((e) => ({ event: e.event, ...JSON.parse(e.data) })) };
}

Deno.test("encodeStream() synthesizes exactly one message_start", () => {
  const { out } = encodeAll([
    { type: "text_delta", index: 0, text: "Hi" },
    { type: "message_start", id: "late", model: "m", created: 0 },
    { type: "usage", usage: { inputTokens: 3, outputTokens: 1 } },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  assert.deepEqual(out.map((e) => e.event), [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  assert.equal((out[0].message as Record<string, unknown>).id, "msg_switchyard");
});

Deno.test("encodeStream() puts the usage known at message_stop into message_delta", () => {
  const { out } = encodeAll([
    { type: "message_start", id: "chatcmpl-1", model: "gpt-4.1", created: 1, usage: { inputTokens: 120 } },
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "ok" },
    { type: "usage", usage: { inputTokens: 120, outputTokens: 9, cachedInputTokens: 100, reasoningTokens: 4 } },
    { type: "message_stop", stopReason: "end_turn" },
    { type: "usage", usage: { inputTokens: 1, outputTokens: 1 } },
  ]);
  assert.deepEqual(out.slice(-3), [
    { event: "content_block_stop", type: "content_block_stop", index: 0 },
    {
      event: "message_delta",
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 100,
        output_tokens: 9,
        output_tokens_details: { thinking_tokens: 4 },
      },
    },
    { event: "message_stop", type: "message_stop" },
  ]);
});

Deno.test("encodeStream() still ends cleanly when no usage ever came", () => {
  const { out } = encodeAll([
    { type: "message_start", id: "x", model: "m", created: 0, usage: { inputTokens: 7 } },
    { type: "text_delta", index: 0, text: "a" },
    { type: "message_stop", stopReason: "max_tokens" },
  ]);
  const delta = out.at(-2) as {
    delta: { stop_reason: string };
    usage: { input_tokens: number; output_tokens: number };
  };
  assert.equal(delta.delta.stop_reason, "max_tokens");
  assert.deepEqual([delta.usage.input_tokens, delta.usage.output_tokens], [7, 0]);
  assert.equal(out.at(-1)?.event, "message_stop");
});

Deno.test("encodeStream() maps canonical indices to contiguous blocks and keeps thinking out of text", () => {
  const { out } = encodeAll([
    { type: "message_start", id: "r", model: "m", created: 0 },
    { type: "text_start", index: 3 },
    { type: "text_delta", index: 3, text: "a" },
    { type: "thinking_delta", index: 5, text: "hmm" },
    { type: "thinking_signature", index: 3, signature: "misplaced" },
    { type: "tool_call_start", index: 7, id: "call_1", name: "f" },
    { type: "tool_call_delta", index: 7, arguments: "" },
    { type: "tool_call_delta", index: 7, arguments: '{"a":1}' },
    { type: "usage", usage: { inputTokens: 1, outputTokens: 2 } },
    { type: "message_stop", stopReason: "tool_use" },
  ]);
  const blocks = out.filter((e) => String(e.event).startsWith("content_block"));
  assert.deepEqual(blocks, [
    { event: "content_block_start", type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { event: "content_block_delta", type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "a" } },
    { event: "content_block_stop", type: "content_block_stop", index: 0 },
    {
      event: "content_block_start",
      type: "content_block_start",
      index: 1,
      content_block: { type: "thinking", thinking: "", signature: "" },
    },
    {
      event: "content_block_delta",
      type: "content_block_delta",
      index: 1,
      delta: { type: "thinking_delta", thinking: "hmm" },
    },
    { event: "content_block_stop", type: "content_block_stop", index: 1 },
    {
      event: "content_block_start",
      type: "content_block_start",
      index: 2,
      content_block: { type: "tool_use", id: "call_1", name: "f", input: {} },
    },
    {
      event: "content_block_delta",
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: '{"a":1}' },
    },
    { event: "content_block_stop", type: "content_block_stop", index: 2 },
  ]);
  assert.deepEqual(out.slice(-2).map((e) => e.event), ["message_delta", "message_stop"]);
});

Deno.test("encodeStream() turns a canonical error into Anthropic's error event and stops", () => {
  const { out } = encodeAll([
    { type: "message_start", id: "r", model: "m", created: 0 },
    { type: "text_delta", index: 0, text: "par" },
    { type: "error", status: 429, errorType: "RESOURCE_EXHAUSTED", message: "Quota exceeded" },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  assert.deepEqual(out.at(-1), {
    event: "error",
    type: "error",
    error: { type: "rate_limit_error", message: "Quota exceeded" },
  });
  assert.equal(out.filter((e) => e.event === "message_stop").length, 0);
});

Deno.test("decodeStream() reports a malformed upstream event as an error and ignores the rest", () => {
  let state = initDecodeStream();
  const bad = decodeStream(state, { event: "content_block_delta", data: "{not json" });
  assert.equal(bad.out[0].type, "error");
  assert.equal((bad.out[0] as { status: number }).status, 502);
  state = bad.state;
  assert.deepEqual(decodeStream(state, { data: '{"type":"message_stop"}' }).out, []);
});

Deno.test("decodeStream() keeps message_start cache counts when message_delta repeats only input_tokens", () => {
  let state = initDecodeStream();
  const events = [
    {
      type: "message_start",
      message: {
        id: "m",
        model: "c",
        usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 10, output_tokens: 1 },
      },
    },
    { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { input_tokens: 5, output_tokens: 8 } },
  ];
  const out: StreamEvent[] = [];
  for (const ev of events) {
    const step = decodeStream(state, { data: JSON.stringify(ev) });
    state = step.state;
    out.push(...step.out);
  }
  assert.deepEqual(out[1], {
    type: "usage",
    usage: { inputTokens: 115, outputTokens: 8, cachedInputTokens: 100, cacheWriteTokens: 10 },
  });
});
