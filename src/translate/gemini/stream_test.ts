/** @module Unit tests for the Gemini stream steps, responses and error bodies beyond what fixtures show. */
import assert from "node:assert/strict";
import type { SseEvent, StreamEvent } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  decodeError,
  decodeResponse,
  decodeStream,
  encodeError,
  encodeResponse,
  encodeStream,
  initDecodeStream,
  initEncodeStream,
} from "./mod.ts";

function decodeAll(chunks: unknown[]): StreamEvent[] {
  let state = initDecodeStream();
  const out: StreamEvent[] = [];
  for (const chunk of chunks) {
    const step = decodeStream(state, { data: typeof chunk === "string" ? chunk : JSON.stringify(chunk) });
    state = step.state;
    out.push(...step.out);
  }
  return out;
}

function encodeAll(events: StreamEvent[]): Array<Record<string, unknown>> {
  let state = initEncodeStream({});
  const out: SseEvent[] = [];
  for (const event of events) {
    const step = encodeStream(state, event);
    state = step.state;
    out.push(...step.out);
  }
  return out.map((e) => JSON.parse(e.data));
}

const start: StreamEvent = { type: "message_start", id: "m1", model: "gpt-4.1", created: 1 };

Deno.test("decodeStream() turns a non-JSON chunk into an error event and stops", () => {
  const out = decodeAll([{ candidates: [{ content: { parts: [{ text: "a" }] } }] }, "not json", {
    candidates: [{ content: { parts: [{ text: "b" }] } }],
  }]);
  assert.equal(out.at(-1)?.type, "error");
  assert.equal(out.filter((e) => e.type === "text_delta").length, 1);
});

Deno.test("decodeStream() ends a blocked prompt with content_filter", () => {
  const out = decodeAll([{ promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 5 } }]);
  assert.deepEqual(out.map((e) => e.type), ["message_start", "usage", "message_stop"]);
  assert.deepEqual(out.at(-1), { type: "message_stop", stopReason: "content_filter" });
});

Deno.test("decodeStream() derives the same call ids as decodeResponse()", () => {
  const body = {
    responseId: "rid",
    candidates: [{
      content: { role: "model", parts: [{ functionCall: { name: "f", args: {} } }, { functionCall: { name: "g" } }] },
      finishReason: "STOP",
    }],
  };
  const streamed = decodeAll([body]).flatMap((e) => e.type === "tool_call_start" ? [e.id] : []);
  const whole = decodeResponse(body).content.flatMap((p) => p.type === "tool_call" ? [p.id] : []);
  assert.deepEqual(streamed, ["call_rid_0", "call_rid_1"]);
  assert.deepEqual(whole, streamed);
});

Deno.test("decodeStream() falls back to a deterministic id without responseId", () => {
  const chunk = { candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: "STOP" }] };
  const a = decodeAll([chunk])[0];
  const b = decodeAll([chunk])[0];
  assert.equal(a.type, "message_start");
  assert.deepEqual(a, b);
});

Deno.test("encodeStream() buffers one call's argument fragments and sends the call whole at block_stop", () => {
  const chunks = encodeAll([
    start,
    { type: "tool_call_start", index: 0, id: "call_1", name: "f" },
    { type: "tool_call_delta", index: 0, arguments: '{"a"' },
    { type: "tool_call_delta", index: 0, arguments: ":1}" },
    { type: "tool_call_start", index: 1, id: "call_2", name: "g" },
    { type: "block_stop", index: 0 },
    { type: "block_stop", index: 1 },
    { type: "usage", usage: { inputTokens: 3, outputTokens: 4 } },
    { type: "message_stop", stopReason: "tool_use" },
  ]);
  const parts = chunks.map((c) => JSON.stringify((c.candidates as unknown[] | undefined)?.[0]));
  assert.equal(chunks.length, 3);
  assert.ok(parts[0].includes('"functionCall":{"id":"call_1","name":"f","args":{"a":1}}'));
  assert.ok(parts[1].includes('"functionCall":{"id":"call_2","name":"g","args":{}}'));
  assert.deepEqual(chunks[2].candidates, [{ finishReason: "STOP", index: 0 }]);
  assert.deepEqual(chunks[2].usageMetadata, { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 });
});

Deno.test("encodeStream() attaches a carrier signature to the part that follows it", () => {
  const chunks = encodeAll([
    start,
    { type: "thinking_start", index: 0 },
    { type: "thinking_signature", index: 0, signature: "sig" },
    { type: "block_stop", index: 0 },
    { type: "text_start", index: 1 },
    { type: "text_delta", index: 1, text: "hi" },
    { type: "block_stop", index: 1 },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  assert.deepEqual(chunks[0].candidates, [{
    content: { role: "model", parts: [{ text: "hi", thoughtSignature: "sig" }] },
    index: 0,
  }]);
  assert.equal(chunks.length, 2);
});

Deno.test("encodeStream() sends usage that arrives after the finish in its own chunk, once", () => {
  const chunks = encodeAll([
    start,
    { type: "message_stop", stopReason: "max_tokens" },
    { type: "usage", usage: { inputTokens: 1, outputTokens: 2, reasoningTokens: 1 } },
    { type: "usage", usage: { inputTokens: 1, outputTokens: 2 } },
  ]);
  assert.equal(chunks.length, 2);
  assert.deepEqual(chunks[0].candidates, [{ finishReason: "MAX_TOKENS", index: 0 }]);
  assert.deepEqual(chunks[1].usageMetadata, {
    promptTokenCount: 1,
    candidatesTokenCount: 1,
    totalTokenCount: 3,
    thoughtsTokenCount: 1,
  });
});

Deno.test("encodeStream() turns broken streamed arguments and errors into error chunks, then stays silent", () => {
  const broken = encodeAll([
    start,
    { type: "tool_call_start", index: 0, id: "call_x", name: "f" },
    { type: "tool_call_delta", index: 0, arguments: '{"a":' },
    { type: "block_stop", index: 0 },
    { type: "message_stop", stopReason: "tool_use" },
  ]);
  assert.equal(broken.length, 1);
  assert.equal((broken[0].error as Record<string, unknown>).code, 502);

  const failed = encodeAll([
    start,
    { type: "text_start", index: 0 },
    { type: "error", status: 429, errorType: "rate_limit_error", message: "slow down" },
    { type: "message_stop", stopReason: "end_turn" },
  ]);
  assert.deepEqual(failed, [{ error: { code: 429, message: "slow down", status: "RESOURCE_EXHAUSTED" } }]);
});

Deno.test("decodeResponse() renders code execution as text and refuses malformed bodies with 502", () => {
  const res = decodeResponse({
    candidates: [{
      content: {
        parts: [
          { executableCode: { language: "PYTHON", code: "print(1)" } },
          { codeExecutionResult: { outcome: "OUTCOME_OK", output: "1\n" } },
        ],
      },
      finishReason: "STOP",
    }],
  });
  assert.deepEqual(res.content.map((p) => p.type === "text" ? p.text : ""), [
    "\n```python\nprint(1)\n```\n",
    "\n```output\n1\n\n```\n",
  ]);
  assert.throws(
    () => decodeResponse({ candidates: "nope" }),
    (err: unknown) => err instanceof GatewayError && err.status === 502 && err.code === "upstream_error",
  );
});

Deno.test("encodeResponse() refuses a tool call whose arguments are not a JSON object with 502", () => {
  assert.throws(
    () =>
      encodeResponse({
        id: "r",
        model: "m",
        created: 0,
        content: [{ type: "tool_call", id: "call_z", name: "f", arguments: "oops" }],
        stopReason: "tool_use",
        usage: { inputTokens: 0, outputTokens: 0 },
      }),
    (err: unknown) => err instanceof GatewayError && err.status === 502 && err.message.includes("call_z"),
  );
});

Deno.test("decodeError() reads array-wrapped and text bodies and fractional retry delays", () => {
  assert.deepEqual(
    decodeError(429, [{
      error: {
        code: 429,
        message: "quota",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" }],
      },
    }]),
    { status: 429, type: "RESOURCE_EXHAUSTED", message: "quota", retryAfter: 2 },
  );
  assert.deepEqual(decodeError(502, "Bad Gateway"), { status: 502, type: "INTERNAL", message: "Bad Gateway" });
  assert.deepEqual(decodeError(503, null), { status: 503, type: "UNAVAILABLE", message: "Upstream returned HTTP 503" });
});

Deno.test("encodeError() replaces another format's type with Google's status name", () => {
  assert.deepEqual(encodeError({ status: 401, type: "authentication_error", message: "bad key" }), {
    error: { code: 401, message: "bad key", status: "UNAUTHENTICATED" },
  });
});
