/** @module Unit tests for OpenAI responses and error bodies beyond the golden fixtures. */
import assert from "node:assert/strict";
import { GatewayError } from "../../core/errors.ts";
import { decodeError, decodeResponse, encodeError, encodeResponse } from "./mod.ts";

Deno.test("decodeResponse() refuses a malformed upstream body with a 502", () => {
  for (const body of [null, "oops", { choices: [] }, { choices: [{ message: { content: 5 } }] }]) {
    assert.throws(() => decodeResponse(body), (err: unknown) => {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.status, 502);
      assert.equal(err.code, "upstream_error");
      return true;
    });
  }
});

Deno.test("decodeResponse() treats tool calls with finish_reason stop as tool_use", () => {
  const res = decodeResponse({
    id: "r",
    model: "gemini-2.5-flash",
    created: 1,
    choices: [{
      message: {
        role: "assistant",
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      finish_reason: "stop",
    }],
  });
  assert.equal(res.stopReason, "tool_use");
  assert.deepEqual(res.usage, { inputTokens: 0, outputTokens: 0 });
});

Deno.test("decodeResponse() reads Mistral content arrays and DeepSeek cache hits", () => {
  const res = decodeResponse({
    id: "r",
    model: "magistral-medium",
    created: 1,
    choices: [{
      message: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: [{ type: "text", text: "hmm" }] },
          { type: "text", text: "Answer." },
        ],
      },
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_cache_hit_tokens: 64 },
  });
  assert.deepEqual(res.content, [{ type: "thinking", text: "hmm" }, { type: "text", text: "Answer." }]);
  assert.deepEqual(res.usage, { inputTokens: 100, outputTokens: 5, cachedInputTokens: 64 });
});

Deno.test("encodeResponse() shows thinking as reasoning_content, hides signatures and redacted thinking", () => {
  const body = encodeResponse({
    id: "msg_1",
    model: "claude-sonnet-4-5",
    created: 1700000000,
    content: [
      { type: "thinking", text: "Let me think.", signature: "EqQB", signatureFormat: "anthropic" },
      { type: "redacted_thinking", data: "opaque" },
      { type: "text", text: "I'll read it." },
      { type: "tool_call", id: "toolu_1", name: "Read", arguments: '{"file_path":"a"}' },
    ],
    stopReason: "tool_use",
    usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, cacheWriteTokens: 20, reasoningTokens: 10 },
  });
  assert.deepEqual(body, {
    id: "msg_1",
    object: "chat.completion",
    created: 1700000000,
    model: "claude-sonnet-4-5",
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: "I'll read it.",
        reasoning_content: "Let me think.",
        tool_calls: [{ id: "toolu_1", type: "function", function: { name: "Read", arguments: '{"file_path":"a"}' } }],
        refusal: null,
      },
      logprobs: null,
      finish_reason: "tool_calls",
    }],
    usage: {
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
      completion_tokens_details: { reasoning_tokens: 10 },
    },
  });
});

Deno.test("encodeResponse() maps every stop reason to a finish_reason", () => {
  const finish = (stopReason: Parameters<typeof encodeResponse>[0]["stopReason"]): unknown =>
    (encodeResponse({
      id: "i",
      model: "m",
      created: 0,
      content: [],
      stopReason,
      usage: { inputTokens: 0, outputTokens: 0 },
    })
      .choices as Array<{ finish_reason: string }>)[0].finish_reason;
  assert.equal(finish("end_turn"), "stop");
  assert.equal(finish("stop_sequence"), "stop");
  assert.equal(finish("max_tokens"), "length");
  assert.equal(finish("tool_use"), "tool_calls");
  assert.equal(finish("content_filter"), "content_filter");
  assert.equal(finish("refusal"), "content_filter");
});

Deno.test("decodeError() reads list-wrapped, numeric-code and text bodies", () => {
  assert.deepEqual(
    decodeError(429, [{ error: { code: 429, message: "Resource exhausted", status: "RESOURCE_EXHAUSTED" } }]),
    { status: 429, type: "RESOURCE_EXHAUSTED", message: "Resource exhausted" },
  );
  assert.deepEqual(
    decodeError(402, { error: { message: "Insufficient credits", code: 402 } }),
    { status: 402, type: "invalid_request_error", message: "Insufficient credits" },
  );
  assert.deepEqual(decodeError(503, "<html>upstream down</html>"), {
    status: 503,
    type: "api_error",
    message: "<html>upstream down</html>",
  });
  assert.deepEqual(decodeError(500, ""), { status: 500, type: "api_error", message: "Internal Server Error" });
});

Deno.test("encodeError() uses OpenAI's type for the status and the gateway's stable code", () => {
  assert.deepEqual(encodeError({ status: 529, type: "overloaded_error", message: "Overloaded" }), {
    error: { message: "Overloaded", type: "api_error", param: null, code: "upstream_error" },
  });
  assert.deepEqual(encodeError({ status: 504, type: "DEADLINE_EXCEEDED", message: "slow" }), {
    error: { message: "slow", type: "timeout_error", param: null, code: "upstream_timeout" },
  });
});
