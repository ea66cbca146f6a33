/** @module Unit tests for request encoding rules a decode→encode fixture cannot show (canonicals from other formats). */
import assert from "node:assert/strict";
import type { ChatRequest } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { decodeRequest, encodeRequest, encodeResponse } from "./mod.ts";

function req(over: Partial<ChatRequest>): ChatRequest {
  return {
    model: "m",
    system: [],
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: false,
    hints: {},
    ...over,
  };
}

function refused(fn: () => unknown, includes: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 400);
    assert.ok(err.message.includes(includes), err.message);
    return true;
  });
}

Deno.test("encodeRequest() defaults max_tokens to 4096 and omits absent optional fields", () => {
  const { body, dropped } = encodeRequest(req({}), { model: "claude-sonnet-4-5" });
  assert.deepEqual(body, { model: "claude-sonnet-4-5", max_tokens: 4096, messages: [{ role: "user", content: "hi" }] });
  assert.deepEqual(dropped, []);
});

Deno.test("encodeRequest() turns an effort into a budget and sizes max_tokens around it", () => {
  const low = encodeRequest(req({ reasoning: { enabled: true, effort: "low" } }), { model: "m" }).body;
  assert.deepEqual(low.thinking, { type: "enabled", budget_tokens: 4096 });
  assert.equal(low.max_tokens, 8192);
  const high = encodeRequest(req({ reasoning: { enabled: true, effort: "high" } }), { model: "m" }).body;
  assert.deepEqual(high.thinking, { type: "enabled", budget_tokens: 27904 });
  assert.equal(high.max_tokens, 32000);
  const unspecified = encodeRequest(req({ reasoning: { enabled: true } }), { model: "m" }).body;
  assert.deepEqual(unspecified.thinking, { type: "enabled", budget_tokens: 12288 });
});

Deno.test("encodeRequest() keeps budget_tokens >= 1024 and below the client's max_tokens", () => {
  const fits = encodeRequest(req({ maxTokens: 32000, reasoning: { enabled: true, budgetTokens: 31999 } }), {
    model: "m",
  }).body;
  assert.deepEqual([fits.max_tokens, fits.thinking], [32000, { type: "enabled", budget_tokens: 31999 }]);
  const halved = encodeRequest(req({ maxTokens: 4096, reasoning: { enabled: true, effort: "high" } }), {
    model: "m",
  }).body;
  assert.deepEqual([halved.max_tokens, halved.thinking], [4096, { type: "enabled", budget_tokens: 2048 }]);
  const raised = encodeRequest(req({ maxTokens: 500, reasoning: { enabled: true, budgetTokens: 100 } }), {
    model: "m",
  }).body;
  assert.deepEqual([raised.max_tokens, raised.thinking], [1524, { type: "enabled", budget_tokens: 1024 }]);
});

Deno.test("encodeRequest() drops temperature/top_k under thinking and thinking under a forced tool", () => {
  const thinking = encodeRequest(
    req({ temperature: 0.2, topK: 40, topP: 0.95, reasoning: { enabled: true, effort: "minimal" } }),
    { model: "m" },
  );
  assert.equal(thinking.body.temperature, undefined);
  assert.equal(thinking.body.top_p, 0.95);
  assert.deepEqual(thinking.dropped, ["temperature", "top_k"]);
  const forced = encodeRequest(req({ toolChoice: { type: "required" }, reasoning: { enabled: true, effort: "low" } }), {
    model: "m",
  });
  assert.equal(forced.body.thinking, undefined);
  assert.deepEqual(forced.body.tool_choice, { type: "any" });
  assert.deepEqual(forced.dropped, ["thinking"]);
});

Deno.test("encodeRequest() sends back only Anthropic-signed thinking and names the rest", () => {
  const { body, dropped } = encodeRequest(
    req({
      messages: [
        { role: "user", content: [{ type: "text", text: "q" }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", text: "gemini thought", signature: "CiQB", signatureFormat: "gemini" },
            { type: "thinking", text: "unsigned summary" },
            { type: "thinking", text: "mine", signature: "EqQB", signatureFormat: "anthropic" },
            { type: "thinking", text: "legacy", signature: "EqQC" },
            { type: "text", text: "a" },
          ],
        },
      ],
    }),
    { model: "m" },
  );
  assert.deepEqual((body.messages as Array<{ content: unknown }>)[1].content, [
    { type: "thinking", thinking: "mine", signature: "EqQB" },
    { type: "thinking", thinking: "legacy", signature: "EqQC" },
    { type: "text", text: "a" },
  ]);
  assert.deepEqual(dropped, ["thinking"]);
});

Deno.test("encodeRequest() merges same-role turns, puts tool results first and hoists every system block", () => {
  const { body } = encodeRequest(
    req({
      system: [
        { text: "You are Cline.", role: "system" },
        { text: "Mid-conversation note", role: "developer", beforeMessage: 2 },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "read a.txt" }] },
        {
          role: "assistant",
          content: [{ type: "text", text: "" }, {
            type: "tool_call",
            id: "c1",
            name: "read",
            arguments: '{"path":"a.txt"}',
          }],
        },
        { role: "user", content: [{ type: "text", text: "also this" }] },
        { role: "user", content: [{ type: "tool_result", callId: "c1", content: [{ type: "text", text: "A" }] }] },
      ],
    }),
    { model: "m" },
  );
  assert.deepEqual(body.system, [{ type: "text", text: "You are Cline." }, {
    type: "text",
    text: "Mid-conversation note",
  }]);
  assert.deepEqual(body.messages, [
    { role: "user", content: "read a.txt" },
    { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "read", input: { path: "a.txt" } }] },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "c1", content: "A" }, { type: "text", text: "also this" }],
    },
  ]);
});

Deno.test("encodeRequest() refuses what Anthropic cannot express", () => {
  refused(() => encodeRequest(req({ responseFormat: { type: "json_object" } }), { model: "m" }), "json_object");
  refused(
    () =>
      encodeRequest(
        req({ messages: [{ role: "user", content: [{ type: "file", mediaType: "audio/wav", data: "UklG" }] }] }),
        { model: "m" },
      ),
    "audio/wav",
  );
  refused(
    () =>
      encodeRequest(
        req({
          messages: [
            { role: "user", content: [{ type: "text", text: "q" }] },
            { role: "assistant", content: [{ type: "tool_call", id: "c", name: "f", arguments: '{"a":' }] },
          ],
        }),
        { model: "m" },
      ),
    "not valid JSON",
  );
});

Deno.test("encodeRequest() drops other vendors' hints and hosted tools by wire name, keeps Anthropic's", () => {
  const { body, dropped } = encodeRequest(
    req({
      tools: [
        { type: "hosted", format: "responses", raw: { type: "web_search", external_web_access: false } },
        { type: "hosted", format: "anthropic", raw: { type: "web_search_20250305", name: "web_search" } },
        { type: "function", name: "f", parameters: {} },
      ],
      parallelToolCalls: false,
      seed: 7,
      hints: {
        prompt_cache_key: "k",
        store: false,
        service_tier: "flex",
        context_management: [{ type: "compaction" }],
        metadata: { trace: "x" },
        container: "container_1",
      },
    }),
    { model: "m" },
  );
  assert.deepEqual(body.tools, [
    { type: "web_search_20250305", name: "web_search" },
    { name: "f", input_schema: { type: "object" } },
  ]);
  assert.deepEqual(body.tool_choice, { type: "auto", disable_parallel_tool_use: true });
  assert.equal(body.container, "container_1");
  assert.deepEqual(dropped, [
    "seed",
    "tools[web_search]",
    "prompt_cache_key",
    "store",
    "service_tier",
    "context_management",
    "metadata",
  ]);
});

Deno.test("encodeRequest() sends data-URL images as base64 sources", () => {
  const { body } = encodeRequest(
    req({
      messages: [{
        role: "user",
        content: [{ type: "image", source: { kind: "url", url: "data:image/png;base64,iVBORw0K", detail: "high" } }],
      }],
    }),
    { model: "m" },
  );
  assert.deepEqual((body.messages as Array<{ content: unknown }>)[0].content, [
    { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0K" } },
  ]);
});

Deno.test("decodeRequest() then encodeRequest() keeps a Claude Code turn with server-tool history intact", () => {
  const wire = {
    model: "claude-sonnet-4-5",
    max_tokens: 32000,
    messages: [
      { role: "user", content: "Search, then read the file." },
      {
        role: "assistant",
        content: [
          { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "deno" } },
          { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
          { type: "text", text: "Found it." },
          {
            type: "tool_use",
            id: "toolu_1",
            name: "Read",
            input: { file_path: "/a" },
            cache_control: { type: "ephemeral" },
          },
        ],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: [{ type: "text", text: "1\tx" }, { type: "tool_reference", tool_name: "Grep" }],
          cache_control: { type: "ephemeral" },
        }],
      },
    ],
    tools: [{ type: "web_search_20250305", name: "web_search" }],
  };
  const canonical = decodeRequest(wire);
  assert.deepEqual(canonical.messages[1].content.map((p) => p.type), ["text", "tool_call"]);
  const { body, dropped } = encodeRequest(canonical, { model: "claude-sonnet-4-5" });
  assert.deepEqual(body, wire);
  assert.deepEqual(dropped, []);
});

Deno.test("encodeResponse() tags foreign signatures so decodeRequest() knows their vendor", () => {
  const wire = encodeResponse({
    id: "r1",
    model: "gemini-2.5-pro",
    created: 0,
    content: [{ type: "thinking", text: "t", signature: "CiQB", signatureFormat: "gemini" }],
    stopReason: "end_turn",
    usage: { inputTokens: 1, outputTokens: 1 },
  });
  const block = (wire.content as Array<Record<string, unknown>>)[0];
  assert.equal(block.signature, "switchyard:gemini:CiQB");
  const back = decodeRequest({ model: "m", messages: [{ role: "assistant", content: [block] }] });
  assert.deepEqual(back.messages[0].content[0], {
    type: "thinking",
    text: "t",
    signature: "CiQB",
    signatureFormat: "gemini",
  });
});
