/** @module Unit tests for the OpenAI stream steps: provider quirks and framing rules. */
import assert from "node:assert/strict";
import type { SseEvent, StreamEvent } from "../../core/canonical.ts";
import { decodeStream, encodeStream, initDecodeStream, initEncodeStream } from "./mod.ts";

function decodeAll(datas: Array<string | SseEvent>): StreamEvent[] {
  let state = initDecodeStream();
  const out: StreamEvent[] = [];
  for (const d of datas) {
    const step = decodeStream(state, typeof d === "string" ? { data: d } : d);
    state = step.state;
    out.push(...step.out);
  }
  return out;
}

function encodeAll(events: StreamEvent[], includeUsage = false): unknown[] {
  let state = initEncodeStream({ includeUsage });
  const out: unknown[] = [];
  for (const ev of events) {
    const step = encodeStream(state, ev);
    state = step.state;
    for (const sse of step.out) out.push(sse.data === "[DONE]" ? "[DONE]" : JSON.parse(sse.data));
  }
  return out;
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 5,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  });
const finish = (reason: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: "c1",
    created: 5,
    model: "m",
    choices: [{ index: 0, delta: {}, finish_reason: reason }],
    ...extra,
  });

Deno.test("decodeStream() takes whole arguments in the first chunk and ignores repeated id and name", () => {
  const out = decodeAll([
    chunk({
      tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: '{"x":1}' } }],
    }),
    chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "" } }] }),
    finish("tool_calls"),
    "[DONE]",
  ]);
  assert.deepEqual(out.slice(1), [
    { type: "tool_call_start", index: 0, id: "call_a", name: "f" },
    { type: "tool_call_delta", index: 0, arguments: '{"x":1}' },
    { type: "block_stop", index: 0 },
    { type: "message_stop", stopReason: "tool_use" },
  ]);
});

Deno.test("decodeStream() handles tool calls without index, and calls that never got an id", () => {
  const out = decodeAll([
    chunk({ tool_calls: [{ id: "x1", function: { name: "a", arguments: "{}" } }] }),
    chunk({ tool_calls: [{ id: "x2", function: { name: "b", arguments: "{" } }] }),
    chunk({ tool_calls: [{ function: { arguments: "}" } }] }),
    chunk({ tool_calls: [{ index: 5, function: { name: "c", arguments: "[]" } }] }),
    finish("stop"),
    "[DONE]",
  ]);
  assert.deepEqual(out.slice(1), [
    { type: "tool_call_start", index: 0, id: "x1", name: "a" },
    { type: "tool_call_delta", index: 0, arguments: "{}" },
    { type: "block_stop", index: 0 },
    { type: "tool_call_start", index: 1, id: "x2", name: "b" },
    { type: "tool_call_delta", index: 1, arguments: "{" },
    { type: "tool_call_delta", index: 1, arguments: "}" },
    { type: "block_stop", index: 1 },
    { type: "tool_call_start", index: 2, id: "call_c1_5", name: "c" },
    { type: "tool_call_delta", index: 2, arguments: "[]" },
    { type: "block_stop", index: 2 },
    { type: "message_stop", stopReason: "tool_use" },
  ]);
});

Deno.test("decodeStream() stops at once when usage came before the finish chunk", () => {
  const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
  const out = decodeAll([chunk({ content: "a" }, { usage }), finish("length", { usage })]);
  assert.deepEqual(out, [
    { type: "message_start", id: "c1", model: "m", created: 5 },
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "a" },
    { type: "usage", usage: { inputTokens: 3, outputTokens: 1 } },
    { type: "block_stop", index: 0 },
    { type: "usage", usage: { inputTokens: 3, outputTokens: 1 } },
    { type: "message_stop", stopReason: "max_tokens" },
  ]);
});

Deno.test("decodeStream() skips Azure's empty first chunk and ends a finish-less stream at [DONE]", () => {
  const out = decodeAll([
    JSON.stringify({ id: "", model: "", created: 0, object: "", choices: [], prompt_filter_results: [] }),
    chunk({ content: "hi" }),
    "[DONE]",
    chunk({ content: "late" }),
  ]);
  assert.deepEqual(out, [
    { type: "message_start", id: "c1", model: "m", created: 5 },
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "hi" },
    { type: "block_stop", index: 0 },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
});

Deno.test("decodeStream() turns error chunks, error events, bad JSON and empty streams into error events", () => {
  assert.deepEqual(decodeAll([chunk({ content: "x" }), JSON.stringify({ error: "quota exceeded" })]).at(-1), {
    type: "error",
    status: 502,
    errorType: "upstream_error",
    message: "quota exceeded",
  });
  assert.deepEqual(
    decodeAll([{ event: "error", data: JSON.stringify({ message: "overloaded", type: "overloaded_error" }) }]),
    [{ type: "error", status: 503, errorType: "overloaded_error", message: "overloaded" }],
  );
  assert.deepEqual(decodeAll(["{not json", chunk({ content: "x" })]), [
    { type: "error", status: 502, errorType: "upstream_error", message: "malformed chunk in the upstream stream" },
  ]);
  assert.deepEqual(decodeAll(["[DONE]"]), [
    { type: "error", status: 502, errorType: "upstream_error", message: "the upstream stream ended before any chunk" },
  ]);
});

Deno.test("decodeStream() maps a streamed refusal to text with the refusal stop reason", () => {
  const out = decodeAll([chunk({ refusal: "I can't." }), finish("stop"), "[DONE]"]);
  assert.deepEqual(out.slice(1), [
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "I can't." },
    { type: "block_stop", index: 0 },
    { type: "message_stop", stopReason: "refusal" },
  ]);
});

Deno.test("decodeStream() does not change the state it was given", () => {
  const s0 = initDecodeStream();
  const s1 = decodeStream(s0, { data: chunk({ tool_calls: [{ index: 0, id: "a", function: { arguments: "{" } }] }) })
    .state;
  const copy = structuredClone(s1);
  decodeStream(s1, { data: chunk({ tool_calls: [{ index: 0, function: { name: "f" } }] }) });
  assert.deepEqual(s1, copy);
  assert.deepEqual(s0, initDecodeStream());
});

Deno.test("encodeStream() numbers tool calls from 0 whatever their canonical index", () => {
  const out = encodeAll([
    { type: "message_start", id: "msg_1", model: "claude", created: 9 },
    { type: "thinking_start", index: 0 },
    { type: "thinking_delta", index: 0, text: "plan" },
    { type: "thinking_signature", index: 0, signature: "sig" },
    { type: "block_stop", index: 0 },
    { type: "redacted_thinking", index: 1, data: "x" },
    { type: "ping" },
    { type: "tool_call_start", index: 2, id: "toolu_a", name: "Read" },
    { type: "tool_call_delta", index: 2, arguments: '{"file_path":' },
    { type: "tool_call_delta", index: 2, arguments: '"a"}' },
    { type: "block_stop", index: 2 },
    { type: "usage", usage: { inputTokens: 10, outputTokens: 5 } },
    { type: "message_stop", stopReason: "tool_use" },
  ]) as Array<{ choices: Array<{ delta: unknown; finish_reason: string | null }> } | string>;
  const deltas = out.map((c) => (typeof c === "string" ? c : [c.choices[0].delta, c.choices[0].finish_reason]));
  assert.deepEqual(deltas, [
    [{ role: "assistant", content: "" }, null],
    [{ reasoning_content: "plan" }, null],
    [{ tool_calls: [{ index: 0, id: "toolu_a", type: "function", function: { name: "Read", arguments: "" } }] }, null],
    [{ tool_calls: [{ index: 0, function: { arguments: '{"file_path":' } }] }, null],
    [{ tool_calls: [{ index: 0, function: { arguments: '"a"}' } }] }, null],
    [{}, "tool_calls"],
    "[DONE]",
  ]);
});

Deno.test("encodeStream() ends an errored stream with an error chunk and no [DONE]", () => {
  const out = encodeAll([
    { type: "message_start", id: "i", model: "m", created: 1 },
    { type: "text_start", index: 0 },
    { type: "text_delta", index: 0, text: "par" },
    { type: "error", status: 529, errorType: "overloaded_error", message: "Overloaded" },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  assert.equal(out.length, 3);
  assert.deepEqual(out[2], {
    error: { message: "Overloaded", type: "api_error", param: null, code: "upstream_error" },
  });
});

Deno.test("encodeStream() writes the role chunk once, even without or with a repeated message_start", () => {
  const out = encodeAll([
    { type: "text_delta", index: 0, text: "a" },
    { type: "message_start", id: "i", model: "m", created: 1 },
    { type: "message_stop", stopReason: "refusal" },
    { type: "text_delta", index: 0, text: "after" },
  ]) as Array<{ choices: Array<{ delta: unknown; finish_reason: string | null }> } | string>;
  assert.deepEqual(out.map((c) => (typeof c === "string" ? c : c.choices[0])), [
    { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
    { index: 0, delta: { content: "a" }, logprobs: null, finish_reason: null },
    { index: 0, delta: {}, logprobs: null, finish_reason: "content_filter" },
    "[DONE]",
  ]);
});

Deno.test("encodeStream() re-encodes a decoded upstream stream with the same tool-call fragments", () => {
  const upstream = [
    chunk({ role: "assistant", content: "" }),
    chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
    finish("tool_calls"),
    JSON.stringify({
      id: "c1",
      created: 5,
      model: "m",
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 2 },
    }),
    "[DONE]",
  ];
  const out = encodeAll(decodeAll(upstream), true) as Array<Record<string, unknown> | string>;
  const args = out.flatMap((c) =>
    typeof c === "string"
      ? []
      : (c.choices as Array<{ delta: { tool_calls?: Array<{ function: { arguments: string } }> } }>)
        .flatMap((ch) => ch.delta.tool_calls?.map((t) => t.function.arguments) ?? [])
  );
  assert.deepEqual(args, ["", '{"q":', '"x"}']);
  assert.deepEqual((out.at(-2) as Record<string, unknown>).usage, {
    prompt_tokens: 1,
    completion_tokens: 2,
    total_tokens: 3,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
  assert.equal(out.at(-1), "[DONE]");
});
