/** @module Unit tests for the OpenAI request codec: what the golden fixtures cannot show well. */
import assert from "node:assert/strict";
import type { ChatRequest } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { decodeRequest, encodeRequest } from "./mod.ts";

function canonical(partial: Partial<ChatRequest>): ChatRequest {
  return { model: "m", system: [], messages: [], stream: false, hints: {}, ...partial };
}

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 400);
    assert.equal(err.code, "invalid_request");
    return err;
  }
  throw new Error("expected a refusal");
}

Deno.test("decodeRequest() then encodeRequest() gives back an equivalent Cline-style request", () => {
  const wire = {
    model: "openrouter/qwen3-coder",
    messages: [
      { role: "system", content: "You are Cline." },
      { role: "user", content: "Read a.txt" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "read_files", arguments: '{"files":[]}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"a.txt":"hello"}' },
      { role: "system", content: "Reminder: be brief." },
      { role: "user", content: [{ type: "text", text: "Now summarize." }, { type: "text", text: "Thanks." }] },
    ],
    tools: [{ type: "function", function: { name: "read_files", parameters: { type: "object", properties: {} } } }],
    tool_choice: "auto",
    temperature: 0,
    max_tokens: 100,
    stream: true,
  };
  const req = decodeRequest(wire);
  assert.deepEqual(req.system.map((b) => b.beforeMessage), [undefined, 3]);
  const { body, dropped } = encodeRequest(req, { model: "qwen3-coder" });
  assert.deepEqual(dropped, []);
  assert.deepEqual(body, {
    ...wire,
    model: "qwen3-coder",
    stream_options: { include_usage: true },
  });
});

Deno.test("encodeRequest() puts tool messages before the user text of the same canonical turn", () => {
  const req = canonical({
    messages: [
      { role: "user", content: [{ type: "text", text: "go" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_call", id: "a", name: "f", arguments: "{}" },
          { type: "tool_call", id: "b", name: "f", arguments: "{}" },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", callId: "a", content: [{ type: "text", text: "A" }] },
          {
            type: "tool_result",
            callId: "b",
            content: [{ type: "text", text: "B", cacheControl: { type: "ephemeral" } }],
          },
          { type: "text", text: "continue" },
        ],
      },
    ],
  });
  const { body, dropped } = encodeRequest(req, { model: "x" });
  const messages = body.messages as Array<Record<string, unknown>>;
  assert.deepEqual(messages.slice(2), [
    { role: "tool", tool_call_id: "a", content: "A" },
    { role: "tool", tool_call_id: "b", content: "B" },
    { role: "user", content: "continue" },
  ]);
  assert.deepEqual(dropped, ["cache_control"]);
});

Deno.test("encodeRequest() marks an error tool result and moves its images to a user message", () => {
  const req = canonical({
    messages: [{
      role: "user",
      content: [{
        type: "tool_result",
        callId: "t1",
        isError: true,
        content: [{ type: "image", source: { kind: "url", url: "https://example.com/x.png" } }],
      }],
    }],
  });
  const messages = encodeRequest(req, { model: "x" }).body.messages;
  assert.deepEqual(messages, [
    { role: "tool", tool_call_id: "t1", content: "Error: (image output follows in the next message)" },
    {
      role: "user",
      content: [
        { type: "text", text: "Image output of tool call t1:" },
        { type: "image_url", image_url: { url: "https://example.com/x.png" } },
      ],
    },
  ]);
});

Deno.test("encodeRequest() keeps unsigned thinking as reasoning_content and drops another vendor's", () => {
  const req = canonical({
    messages: [
      { role: "user", content: [{ type: "text", text: "q" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", text: "mine" },
          { type: "thinking", text: "claude's", signature: "sig", signatureFormat: "anthropic" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "text", text: "Part one, " },
          { type: "text", text: "part two." },
        ],
      },
    ],
  });
  const { body, dropped } = encodeRequest(req, { model: "deepseek-reasoner" });
  assert.deepEqual((body.messages as unknown[])[1], {
    role: "assistant",
    content: "Part one, part two.",
    reasoning_content: "mine",
  });
  assert.deepEqual(dropped, ["thinking", "redacted_thinking"]);
});

Deno.test("encodeRequest() uses max_completion_tokens and an effort from the budget when reasoning is on", () => {
  const req = canonical({
    messages: [{ role: "user", content: [{ type: "text", text: "q" }] }],
    maxTokens: 32000,
    reasoning: { enabled: true, budgetTokens: 31999 },
    topK: 64,
  });
  const { body, dropped } = encodeRequest(req, { model: "o4-mini" });
  assert.equal(body.max_completion_tokens, 32000);
  assert.equal(body.max_tokens, undefined);
  assert.equal(body.reasoning_effort, "high");
  assert.deepEqual(dropped, ["top_k"]);
  const adaptive = encodeRequest(canonical({ ...req, reasoning: { enabled: true }, topK: undefined }), { model: "o" });
  assert.equal(adaptive.body.reasoning_effort, undefined);
  assert.equal(adaptive.body.max_completion_tokens, 32000);
});

Deno.test("encodeRequest() drops another vendor's hosted tools and hints, naming them", () => {
  const req = canonical({
    messages: [{ role: "user", content: [{ type: "text", text: "search" }] }],
    system: [{ text: "sys", role: "system", cacheControl: { type: "ephemeral" } }],
    tools: [
      { type: "hosted", format: "responses", raw: { type: "web_search", external_web_access: false } },
      { type: "function", name: "f", parameters: { type: "object" }, cacheControl: { type: "ephemeral" } },
    ],
    toolChoice: { type: "auto" },
    hints: { context_management: { edits: [] }, include: ["reasoning.encrypted_content"] },
  });
  const { body, dropped } = encodeRequest(req, { model: "x" });
  assert.deepEqual(body.tools, [{ type: "function", function: { name: "f", parameters: { type: "object" } } }]);
  assert.deepEqual(dropped, ["cache_control", "tools[web_search]", "context_management", "include"]);
});

Deno.test("encodeRequest() omits tool_choice and parallel_tool_calls when no tool is left", () => {
  const req = canonical({
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    tools: [{ type: "hosted", format: "anthropic", raw: { type: "web_search_20250305", name: "web_search" } }],
    toolChoice: { type: "auto" },
    parallelToolCalls: true,
  });
  const { body } = encodeRequest(req, { model: "x" });
  assert.equal(body.tools, undefined);
  assert.equal(body.tool_choice, undefined);
  assert.equal(body.parallel_tool_calls, undefined);
  const named = canonical({ ...req, toolChoice: { type: "tool", name: "web_search" } });
  assert.equal(refusal(() => encodeRequest(named, { model: "x" })).param, "tool_choice");
});

Deno.test("encodeRequest() refuses content a Chat upstream cannot take", () => {
  const user = (part: ChatRequest["messages"][number]["content"][number]): ChatRequest =>
    canonical({ messages: [{ role: "user", content: [part] }] });
  const byUrl = refusal(() =>
    encodeRequest(user({ type: "file", mediaType: "application/pdf", url: "https://x/a.pdf" }), { model: "x" })
  );
  assert.equal(byUrl.param, "messages[0].content[0]");
  assert.match(byUrl.message, /URL/);
  const ogg = refusal(() => encodeRequest(user({ type: "file", mediaType: "audio/ogg", data: "AA" }), { model: "x" }));
  assert.match(ogg.message, /audio\/ogg/);
  const image = canonical({
    messages: [{ role: "assistant", content: [{ type: "image", source: { kind: "url", url: "https://x" } }] }],
  });
  assert.match(refusal(() => encodeRequest(image, { model: "x" })).message, /image/);
});

Deno.test("encodeRequest() encodes audio and PDF files as input_audio and file parts", () => {
  const req = canonical({
    messages: [{
      role: "user",
      content: [
        { type: "file", mediaType: "audio/mpeg", data: "SUQz" },
        { type: "file", mediaType: "application/pdf", data: "JVBER", filename: "a.pdf" },
      ],
    }],
  });
  assert.deepEqual(encodeRequest(req, { model: "x" }).body.messages, [{
    role: "user",
    content: [
      { type: "input_audio", input_audio: { data: "SUQz", format: "mp3" } },
      { type: "file", file: { file_data: "data:application/pdf;base64,JVBER", filename: "a.pdf" } },
    ],
  }]);
});

Deno.test("encodeRequest() restores leading, mid-conversation and trailing system blocks in place", () => {
  const req = canonical({
    system: [
      { text: "lead", role: "developer" },
      { text: "mid", role: "system", beforeMessage: 1 },
      { text: "tail", role: "system", beforeMessage: 2 },
    ],
    messages: [
      { role: "user", content: [{ type: "text", text: "u" }] },
      { role: "assistant", content: [{ type: "text", text: "a" }] },
    ],
  });
  assert.deepEqual(encodeRequest(req, { model: "x" }).body.messages, [
    { role: "developer", content: "lead" },
    { role: "user", content: "u" },
    { role: "system", content: "mid" },
    { role: "assistant", content: "a" },
    { role: "system", content: "tail" },
  ]);
});

Deno.test("decodeRequest() keeps tool results separated by a system message in separate turns", () => {
  const req = decodeRequest({
    model: "m",
    messages: [
      { role: "user", content: "u" },
      { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "a", content: "A" },
      { role: "system", content: "note" },
      { role: "tool", tool_call_id: "b", content: "B" },
    ],
  });
  assert.equal(req.messages.length, 4);
  assert.deepEqual(req.system[0], { text: "note", role: "system", beforeMessage: 3 });
  const wire = encodeRequest(req, { model: "m" }).body.messages as Array<{ role: string }>;
  assert.deepEqual(wire.map((m) => m.role), ["user", "assistant", "tool", "system", "tool"]);
});

Deno.test("decodeRequest() reads vendor variants: reasoning, refusal, xhigh, allowed_tools, hosted tools", () => {
  const req = decodeRequest({
    model: "m",
    messages: [
      { role: "user", content: "u" },
      { role: "assistant", reasoning: "thought", content: [{ type: "refusal", refusal: "No." }] },
      { role: "user", content: "please" },
    ],
    tools: [
      { type: "function", function: { name: "f", parameters: { type: "object" }, strict: null } },
      { type: "web_search_preview" },
    ],
    tool_choice: { type: "allowed_tools", allowed_tools: { mode: "required", tools: [{ type: "function" }] } },
    reasoning_effort: "xhigh",
    stream: null,
  });
  assert.deepEqual(req.messages[1].content, [{ type: "thinking", text: "thought" }, { type: "text", text: "No." }]);
  assert.deepEqual(req.tools, [
    { type: "function", name: "f", parameters: { type: "object" } },
    { type: "hosted", format: "openai", raw: { type: "web_search_preview" } },
  ]);
  assert.deepEqual(req.toolChoice, { type: "required" });
  assert.ok("tool_choice" in req.hints);
  assert.deepEqual(req.reasoning, { enabled: true, effort: "high" });
  assert.equal(req.stream, false);
});

Deno.test("decodeRequest() refuses custom tools, assistant audio and malformed data URLs, naming the field", () => {
  const base = { model: "m", messages: [{ role: "user", content: "u" }] };
  assert.equal(
    refusal(() => decodeRequest({ ...base, tools: [{ type: "custom", custom: { name: "g" } }] })).param,
    "tools[0].type",
  );
  const audio = { ...base, messages: [{ role: "assistant", content: null, audio: { id: "audio_1" } }] };
  assert.equal(refusal(() => decodeRequest(audio)).param, "messages[0].audio");
  const badImage = {
    ...base,
    messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png,abc" } }] }],
  };
  assert.equal(refusal(() => decodeRequest(badImage)).param, "messages[0].content[0].image_url.url");
  assert.match(refusal(() => decodeRequest({ ...base, messages: [] })).message, /at least one/);
  assert.equal(
    refusal(() => decodeRequest({ ...base, messages: [{ role: "user", content: 5 }] })).param,
    "messages[0].content",
  );
});

Deno.test("decodeRequest() accepts a non-PDF file without a data: prefix and guesses its type from the name", () => {
  const req = decodeRequest({
    model: "m",
    messages: [{ role: "user", content: [{ type: "file", file: { file_data: "JVBER", filename: "r.PDF" } }] }],
  });
  assert.deepEqual(req.messages[0].content, [{
    type: "file",
    mediaType: "application/pdf",
    data: "JVBER",
    filename: "r.PDF",
  }]);
});
