/** @module Unit tests for the Responses request codec: what the golden fixtures cannot show well. */
import assert from "node:assert/strict";
import type { ChatRequest } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { decodeRequest, encodeRequest } from "./mod.ts";

const fixtures = new URL("../../../tests/fixtures/responses/", import.meta.url);

function base(over: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: "m",
    system: [],
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: false,
    hints: {},
    ...over,
  };
}

Deno.test("decodeRequest() of a re-encoded request gives the same canonical request (every fixture)", () => {
  let checked = 0;
  for (const entry of Deno.readDirSync(fixtures)) {
    const url = new URL(`${entry.name}/request.json`, fixtures);
    let wire: unknown;
    try {
      wire = JSON.parse(Deno.readTextFileSync(url));
    } catch {
      continue;
    }
    const canonical = decodeRequest(wire);
    const again = decodeRequest(encodeRequest(canonical, { model: canonical.model }).body);
    // Reasoning from another vendor is left out on purpose when the target is a Responses upstream.
    const strip = (r: ChatRequest): ChatRequest => ({
      ...r,
      messages: r.messages.map((m) => ({
        ...m,
        content: m.content.filter((p) =>
          !(p.type === "redacted_thinking" || (p.type === "thinking" && p.signatureFormat !== "responses"))
        ),
      })),
    });
    assert.deepEqual(again, strip(canonical), entry.name);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} request fixtures`);
});

Deno.test("decodeRequest() keeps Codex's developer messages as system blocks, never as user turns", () => {
  const req = decodeRequest({
    model: "m",
    input: [
      { type: "message", role: "developer", content: [{ type: "input_text", text: "A" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "q" }] },
      { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "r1" },
      { type: "message", role: "developer", content: "B" },
      { type: "function_call_output", call_id: "c2", output: "r2" },
    ],
  });
  assert.deepEqual(req.system, [{ text: "A", role: "developer" }, { text: "B", role: "developer", beforeMessage: 3 }]);
  assert.deepEqual(req.messages.map((m) => m.role), ["user", "assistant", "user", "user"]);
  // The developer message between the two outputs keeps its place when encoded back.
  const input = encodeRequest(req, { model: "m" }).body.input as Array<Record<string, unknown>>;
  assert.deepEqual(input.map((i) => i.role ?? i.type), [
    "developer",
    "user",
    "function_call",
    "function_call_output",
    "developer",
    "function_call_output",
  ]);
});

Deno.test("decodeRequest() maps tool_choice and reasoning variants", () => {
  const d = (over: Record<string, unknown>): ChatRequest => decodeRequest({ model: "m", input: "x", ...over });
  assert.deepEqual(d({ tool_choice: "required" }).toolChoice, { type: "required" });
  assert.deepEqual(d({ tool_choice: "none" }).toolChoice, { type: "none" });
  const xhigh = d({ reasoning: { effort: "xhigh" } });
  assert.deepEqual(xhigh.reasoning, { enabled: true, effort: "high" });
  assert.equal(xhigh.hints["reasoning.effort"], "xhigh");
  assert.deepEqual(d({ reasoning: { effort: "none" } }).reasoning, { enabled: false });
  assert.deepEqual(d({ reasoning: { effort: "minimal" } }).reasoning, { enabled: true, effort: "minimal" });
  const allowed = { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "f" }] };
  const req = d({ tool_choice: allowed });
  assert.equal(req.toolChoice, undefined);
  assert.deepEqual(encodeRequest(req, { model: "m" }).body.tool_choice, allowed);
});

Deno.test("decodeRequest() refuses a prompt template and a file-id input_file", () => {
  assert.throws(() => decodeRequest({ model: "m", prompt: { id: "pmpt_1" } }), (e: unknown) => {
    return e instanceof GatewayError && e.status === 400 && e.param === "prompt";
  });
  const fileById = { model: "m", input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] };
  assert.throws(() => decodeRequest(fileById), /file_id/);
});

Deno.test("encodeRequest() lists what Responses cannot carry and drops other vendors' hosted tools", () => {
  const req = base({
    system: [{ text: "s", role: "system", cacheControl: { type: "ephemeral" } }],
    tools: [
      { type: "function", name: "f", parameters: { type: "object" } },
      { type: "hosted", format: "anthropic", raw: { type: "web_search_20250305", name: "web_search" } },
      { type: "hosted", format: "gemini", raw: { googleSearch: {} } },
    ],
    topK: 40,
    stop: ["END"],
    seed: 7,
    hints: { context_management: { edits: [] }, prompt_cache_key: "k", "anthropic-beta": "x" },
  });
  const { body, dropped } = encodeRequest(req, { model: "gpt-4.1" });
  assert.deepEqual(body.tools, [{ type: "function", name: "f", parameters: { type: "object" } }]);
  assert.equal(body.instructions, "s");
  assert.equal(body.prompt_cache_key, "k");
  assert.equal(body.context_management, undefined);
  assert.deepEqual(dropped.sort(), [
    "anthropic-beta",
    "cache_control",
    "context_management",
    "seed",
    "stop",
    "tools[googleSearch]",
    "tools[web_search_20250305]",
    "top_k",
  ]);
});

Deno.test("encodeRequest() turns a thinking budget into an effort and asks for summaries", () => {
  const req = base({ reasoning: { enabled: true, budgetTokens: 10000, includeThoughts: true } });
  assert.deepEqual(encodeRequest(req, { model: "m" }).body.reasoning, { effort: "medium", summary: "auto" });
  assert.equal(encodeRequest(base({ reasoning: { enabled: false } }), { model: "m" }).body.reasoning, undefined);
});

Deno.test("encodeRequest() puts system blocks from another format in their place", () => {
  const req = base({
    system: [
      { text: "dev first", role: "developer" },
      { text: "late", role: "system", beforeMessage: 1 },
      { text: "after all", role: "system", beforeMessage: 5 },
    ],
    messages: [
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "text", text: "a" }] },
    ],
  });
  const body = encodeRequest(req, { model: "m" }).body;
  assert.equal(body.instructions, undefined);
  const input = body.input as Array<Record<string, unknown>>;
  assert.deepEqual(input.map((i) => i.role), ["developer", "user", "system", "assistant", "system"]);
});

Deno.test("encodeRequest() refuses content Responses cannot express", () => {
  const req = base({
    messages: [{ role: "assistant", content: [{ type: "image", source: { kind: "url", url: "https://x/y.png" } }] }],
  });
  assert.throws(
    () => encodeRequest(req, { model: "m" }),
    (e: unknown) => e instanceof GatewayError && e.status === 400,
  );
});

Deno.test("encodeRequest() splits a namespaced call only when the namespace tool is in the request", () => {
  const call = { type: "tool_call" as const, id: "c", name: "multi_agent_v1__spawn_agent", arguments: "{}" };
  const messages = [{ role: "assistant" as const, content: [call] }];
  const ns = {
    type: "namespace",
    name: "multi_agent_v1",
    description: "",
    tools: [{ type: "function", name: "spawn_agent" }],
  };
  const withNs = encodeRequest(base({ messages, tools: [{ type: "hosted", format: "responses", raw: ns }] }), {
    model: "m",
  });
  assert.deepEqual((withNs.body.input as unknown[])[0], {
    type: "function_call",
    call_id: "c",
    name: "spawn_agent",
    arguments: "{}",
    namespace: "multi_agent_v1",
  });
  const plain = encodeRequest(base({ messages }), { model: "m" });
  assert.equal((plain.body.input as Array<Record<string, unknown>>)[0].name, "multi_agent_v1__spawn_agent");
});
