/** @module Unit tests for the Responses stream and response codecs beyond the golden fixtures. */
import assert from "node:assert/strict";
import type { ChatResponse, SseEvent, StreamEvent } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  decodeResponse,
  decodeStream,
  encodeResponse,
  encodeStream,
  initDecodeStream,
  initEncodeStream,
} from "./mod.ts";

function decodeAll(events: Array<Record<string, unknown>>): { out: StreamEvent[]; openAfter: number } {
  let state = initDecodeStream();
  const out: StreamEvent[] = [];
  for (const ev of events) {
    const step = decodeStream(state, { event: String(ev.type), data: JSON.stringify(ev) });
    state = step.state;
    out.push(...step.out);
  }
  return { out, openAfter: state.open.size };
}

function encodeAll(events: StreamEvent[]): Array<Record<string, unknown>> {
  let state = initEncodeStream({});
  const out: SseEvent[] = [];
  for (const ev of events) {
    const step = encodeStream(state, ev);
    state = step.state;
    out.push(...step.out);
  }
  return out.map((sse) => {
    const data = JSON.parse(sse.data) as Record<string, unknown>;
    assert.equal(sse.event, data.type, "the SSE event name is the JSON type");
    return data;
  });
}

Deno.test("decodeStream() takes a call's arguments from .done when no deltas came, exactly once", () => {
  const item = { type: "function_call", id: "fc_1", call_id: "call_1", name: "f", arguments: "" };
  const { out, openAfter } = decodeAll([
    { type: "response.created", response: { id: "resp_1", model: "m", created_at: 1 } },
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.function_call_arguments.done", item_id: "fc_1", output_index: 0, arguments: '{"a":1}' },
    { type: "response.output_item.done", output_index: 0, item: { ...item, arguments: '{"a":1}' } },
    { type: "response.completed", response: { status: "completed", usage: null } },
  ]);
  const args = out.filter((e) => e.type === "tool_call_delta").map((e) => e.type === "tool_call_delta" && e.arguments);
  assert.deepEqual(args, ['{"a":1}']);
  assert.equal(openAfter, 0, "no state left for finished items");
  assert.deepEqual(out.at(-1), { type: "message_stop", stopReason: "tool_use" });
});

Deno.test("decodeStream() turns a malformed event into a canonical error and then stops", () => {
  let state = initDecodeStream();
  const first = decodeStream(state, { data: "{not json" });
  state = first.state;
  assert.equal(first.out[0]?.type, "error");
  assert.deepEqual(decodeStream(state, { data: '{"type":"response.output_text.delta","delta":"x"}' }).out, []);
});

Deno.test("decodeStream() closes a message that ends without content_part.done", () => {
  const { out } = decodeAll([
    { type: "response.created", response: { id: "r", model: "m", created_at: 1 } },
    { type: "response.output_text.delta", item_id: "m1", output_index: 0, content_index: 0, delta: "hi" },
    { type: "response.output_item.done", output_index: 0, item: { type: "message" } },
  ]);
  assert.deepEqual(out.slice(1), [
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "hi" },
    { type: "block_stop", index: 0 },
  ]);
});

Deno.test("encodeStream() frames the response once, even without message_start or with two of them", () => {
  const out = encodeAll([
    { type: "text_delta", index: 0, text: "a" },
    { type: "message_start", id: "resp_x", model: "m", created: 1 },
    { type: "tool_call_start", index: 1, id: "call_1", name: "f" },
    { type: "tool_call_delta", index: 1, arguments: "{}" },
    { type: "message_stop", stopReason: "tool_use" },
    { type: "text_delta", index: 2, text: "after the end" },
  ]);
  const types = out.map((e) => e.type);
  assert.equal(types.filter((t) => t === "response.created").length, 1);
  assert.equal(types.filter((t) => t === "response.in_progress").length, 1);
  assert.deepEqual(out.map((e) => e.sequence_number), out.map((_, i) => i));
  // Open blocks are closed before the terminal event, which repeats every item.
  assert.deepEqual(types.slice(-6), [
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.function_call_arguments.done",
    "response.output_item.done",
    "response.completed",
  ]);
  const final = out.at(-1)?.response as Record<string, unknown>;
  assert.deepEqual((final.output as Array<Record<string, unknown>>).map((i) => i.type), ["message", "function_call"]);
});

Deno.test("encodeStream() keeps thinking out of the text item and ships redacted thinking as a reasoning item", () => {
  const out = encodeAll([
    { type: "message_start", id: "resp_t", model: "m", created: 1 },
    { type: "thinking_start", index: 0 },
    { type: "thinking_delta", index: 0, text: "hmm" },
    { type: "block_stop", index: 0 },
    { type: "redacted_thinking", index: 1, data: "opaque" },
    { type: "block_stop", index: 1 },
    { type: "text_start", index: 2 },
    { type: "text_delta", index: 2, text: "answer" },
    { type: "block_stop", index: 2 },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  const done = out.filter((e) => e.type === "response.output_item.done").map((e) => e.item);
  assert.deepEqual(done, [
    { id: "rs_t_0", type: "reasoning", summary: [{ type: "summary_text", text: "hmm" }] },
    { id: "rs_t_1", type: "reasoning", summary: [], encrypted_content: "switchyard:redacted:opaque" },
    {
      id: "msg_t_2",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", annotations: [], logprobs: [], text: "answer" }],
    },
  ]);
});

Deno.test("encodeResponse() tags a Claude signature so the next turn decodes it as Claude's", () => {
  const res: ChatResponse = {
    id: "msg_1",
    model: "claude",
    created: 1,
    content: [
      { type: "thinking", text: "t", signature: "sig", signatureFormat: "anthropic" },
      { type: "tool_call", id: "toolu_1", name: "f", arguments: "{}" },
    ],
    stopReason: "tool_use",
    usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, cacheWriteTokens: 2 },
  };
  const wire = encodeResponse(res);
  const usage = wire.usage as Record<string, unknown>;
  assert.equal(usage.input_tokens, 10, "input tokens include cache reads and writes");
  assert.equal(usage.total_tokens, 15);
  const back = decodeResponse(wire);
  assert.deepEqual(back.content, res.content);
  assert.equal(back.stopReason, "tool_use");
});

Deno.test("decodeResponse() refuses a malformed body and a failed response with upstream_error", () => {
  const isUpstream = (e: unknown): boolean =>
    e instanceof GatewayError && e.code === "upstream_error" && e.status === 502;
  assert.throws(() => decodeResponse({ id: "r", output: "nope" }), isUpstream);
  const failed = {
    id: "r",
    created_at: 1,
    model: "m",
    status: "failed",
    output: [],
    error: { code: "server_error", message: "boom" },
  };
  assert.throws(() => decodeResponse(failed), (e: unknown) => isUpstream(e) && (e as Error).message === "boom");
});
