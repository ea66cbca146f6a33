/** @module Unit tests for the Gemini request codec: cross-format encoding, refusals and round trips. */
import assert from "node:assert/strict";
import type { ChatRequest } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { decodeRequest, encodeRequest, SKIP_SIGNATURE } from "./mod.ts";

type Obj = Record<string, unknown>;

function canonical(over: Partial<ChatRequest>): ChatRequest {
  return { model: "gemini-2.5-flash", system: [], messages: [], stream: true, hints: {}, ...over };
}

function encode(req: ChatRequest): { body: Obj; dropped: string[] } {
  return encodeRequest(req, { model: req.model });
}

function contents(body: Obj): Array<{ role: string; parts: Obj[] }> {
  return body.contents as Array<{ role: string; parts: Obj[] }>;
}

function isInvalid(messageIncludes: string): (err: unknown) => boolean {
  return (err: unknown): boolean => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 400);
    assert.ok(err.message.includes(messageIncludes), err.message);
    return true;
  };
}

Deno.test("encodeRequest() merges every system block, mid-conversation ones included, into systemInstruction in order", () => {
  const { body, dropped } = encode(canonical({
    system: [
      { text: "You are Claude Code.", role: "system", cacheControl: { type: "ephemeral" } },
      { text: "Environment: linux", role: "system", beforeMessage: 1 },
    ],
    messages: [
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
    ],
  }));
  assert.deepEqual(body.systemInstruction, {
    parts: [{ text: "You are Claude Code." }, { text: "Environment: linux" }],
  });
  assert.deepEqual(contents(body).map((c) => c.role), ["user", "model"]);
  assert.deepEqual(dropped, ["cache_control"]);
});

Deno.test("encodeRequest() links a nameless tool result to its call and wraps text as {output}", () => {
  const { body } = encode(canonical({
    messages: [
      { role: "user", content: [{ type: "text", text: "read it" }] },
      {
        role: "assistant",
        content: [{ type: "tool_call", id: "call_abc", name: "read_file", arguments: '{"path":"a"}' }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", callId: "call_abc", content: [{ type: "text", text: "hello" }] }],
      },
    ],
  }));
  const [, model, user] = contents(body);
  assert.deepEqual(model.parts[0], {
    functionCall: { id: "call_abc", name: "read_file", args: { path: "a" } },
    thoughtSignature: SKIP_SIGNATURE,
  });
  assert.deepEqual(user.parts[0], {
    functionResponse: { id: "call_abc", name: "read_file", response: { output: "hello" } },
  });
});

Deno.test("encodeRequest() sends JSON-object results as the response object and errors under error", () => {
  const { body } = encode(canonical({
    messages: [
      { role: "assistant", content: [{ type: "tool_call", id: "a", name: "f", arguments: "" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", callId: "a", name: "f", content: [{ type: "text", text: '{"temp": 20}' }] },
          { type: "tool_result", callId: "b", name: "g", content: [{ type: "text", text: "boom" }], isError: true },
        ],
      },
    ],
  }));
  const [model, user] = contents(body);
  assert.deepEqual((model.parts[0].functionCall as Obj).args, {});
  assert.deepEqual((user.parts[0].functionResponse as Obj).response, { temp: 20 });
  assert.deepEqual((user.parts[1].functionResponse as Obj).response, { error: "boom" });
});

Deno.test("encodeRequest() puts tool-result images in functionResponse.parts", () => {
  const { body } = encode(canonical({
    messages: [{
      role: "user",
      content: [{
        type: "tool_result",
        callId: "s1",
        name: "screenshot",
        content: [{ type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBO" } }],
      }],
    }],
  }));
  assert.deepEqual(contents(body)[0].parts[0], {
    functionResponse: {
      id: "s1",
      name: "screenshot",
      response: {},
      parts: [{ inlineData: { mimeType: "image/png", data: "iVBO" } }],
    },
  });
});

Deno.test("encodeRequest() refuses invalid tool-call arguments naming the call", () => {
  assert.throws(
    () =>
      encode(canonical({
        messages: [{ role: "assistant", content: [{ type: "tool_call", id: "call_9", name: "f", arguments: "{bad" }] }],
      })),
    isInvalid("call_9"),
  );
  assert.throws(
    () =>
      encode(canonical({
        messages: [{ role: "assistant", content: [{ type: "tool_call", id: "call_8", name: "f", arguments: "[1]" }] }],
      })),
    isInvalid("call_8"),
  );
});

Deno.test("encodeRequest() refuses a tool result whose name cannot be found", () => {
  assert.throws(
    () =>
      encode(canonical({
        messages: [{ role: "user", content: [{ type: "tool_result", callId: "ghost", content: [] }] }],
      })),
    isInvalid("ghost"),
  );
});

Deno.test("encodeRequest() maps images: URL → fileData with a guessed type, data URL → inlineData", () => {
  const { body, dropped } = encode(canonical({
    messages: [{
      role: "user",
      content: [
        { type: "image", source: { kind: "url", url: "https://example.com/a.JPG?x=1", detail: "high" } },
        { type: "image", source: { kind: "url", url: "https://example.com/noext" } },
        { type: "image", source: { kind: "url", url: "data:image/webp;base64,UklGR" } },
      ],
    }],
  }));
  assert.deepEqual(contents(body)[0].parts, [
    { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/a.JPG?x=1" } },
    { fileData: { fileUri: "https://example.com/noext" } },
    { inlineData: { mimeType: "image/webp", data: "UklGR" } },
  ]);
  assert.deepEqual(dropped, ["detail"]);
});

Deno.test("encodeRequest() drops foreign hints, hosted tools and other vendors' thinking data, naming them", () => {
  const { body, dropped } = encode(canonical({
    messages: [
      { role: "user", content: [{ type: "text", text: "q" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", text: "hmm", signature: "anthropic-sig", signatureFormat: "anthropic" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "text", text: "a" },
        ],
      },
    ],
    tools: [
      { type: "hosted", format: "responses", raw: { type: "web_search" } },
      { type: "function", name: "f", parameters: { type: "object" }, strict: true },
    ],
    parallelToolCalls: false,
    user: "u-1",
    hints: { metadata: { a: 1 }, prompt_cache_key: "k", safetySettings: [] },
  }));
  assert.deepEqual(contents(body)[1].parts, [{ text: "hmm", thought: true }, { text: "a" }]);
  assert.deepEqual(body.tools, [{ functionDeclarations: [{ name: "f", parametersJsonSchema: { type: "object" } }] }]);
  assert.deepEqual(body.safetySettings, []);
  assert.deepEqual(dropped.sort(), [
    "metadata",
    "parallel_tool_calls",
    "prompt_cache_key",
    "redacted_thinking",
    "strict",
    "tools[web_search]",
    "user",
  ]);
});

Deno.test("encodeRequest() maps toolChoice to functionCallingConfig", () => {
  const tools = [{ type: "function" as const, name: "f", parameters: { type: "object" } }];
  const mode = (toolChoice: ChatRequest["toolChoice"]): unknown =>
    encode(canonical({ tools, toolChoice })).body.toolConfig;
  assert.deepEqual(mode({ type: "auto" }), { functionCallingConfig: { mode: "AUTO" } });
  assert.deepEqual(mode({ type: "none" }), { functionCallingConfig: { mode: "NONE" } });
  assert.deepEqual(mode({ type: "required" }), { functionCallingConfig: { mode: "ANY" } });
  assert.deepEqual(mode({ type: "tool", name: "f" }), {
    functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] },
  });
});

Deno.test("encodeRequest() turns efforts from other formats into thinking budgets", () => {
  const gc = (reasoning: ChatRequest["reasoning"], hints: Obj = {}): unknown =>
    (encode(canonical({ reasoning, hints })).body.generationConfig as Obj | undefined)?.thinkingConfig;
  assert.deepEqual(gc({ enabled: true, effort: "low" }), { thinkingBudget: 4096 });
  assert.deepEqual(gc({ enabled: true, budgetTokens: 31999 }), { thinkingBudget: 31999 });
  assert.deepEqual(gc({ enabled: true, effort: "high" }, { thinkingLevel: "high" }), { thinkingLevel: "high" });
  assert.deepEqual(gc({ enabled: false }), { thinkingBudget: 0 });
  assert.equal(gc({ enabled: true }), undefined);
  assert.deepEqual(gc({ enabled: true, includeThoughts: true }), { includeThoughts: true });
});

Deno.test("encodeRequest() adds the skip signature only to the current turn's first call of each step", () => {
  const call = (id: string) => ({ type: "tool_call" as const, id, name: "f", arguments: "{}" });
  const result = (id: string) => ({ type: "tool_result" as const, callId: id, name: "f", content: [] });
  const { body } = encode(canonical({
    messages: [
      { role: "user", content: [{ type: "text", text: "old turn" }] },
      { role: "assistant", content: [call("a")] },
      { role: "user", content: [result("a")] },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
      { role: "user", content: [{ type: "text", text: "new turn" }] },
      { role: "assistant", content: [call("b"), call("c")] },
      { role: "user", content: [result("b"), result("c")] },
      {
        role: "assistant",
        content: [{ type: "thinking", text: "", signature: "real", signatureFormat: "gemini" }, call("d")],
      },
      { role: "user", content: [result("d")] },
    ],
  }));
  const sig = (ci: number, pi: number): unknown => contents(body)[ci].parts[pi].thoughtSignature;
  assert.equal(sig(1, 0), undefined);
  assert.equal(sig(5, 0), SKIP_SIGNATURE);
  assert.equal(sig(5, 1), undefined);
  assert.equal(sig(7, 0), "real");
});

Deno.test("decodeRequest() links id-less function responses to calls by name and order", () => {
  const req = decodeRequest({
    contents: [
      { role: "user", parts: [{ text: "go" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "a", args: {} } },
          { functionCall: { name: "b", args: {} } },
          { functionCall: { name: "a", args: { n: 2 } } },
        ],
      },
      {
        role: "function",
        parts: [
          { functionResponse: { name: "b", response: { result: "B" } } },
          { functionResponse: { name: "a", response: { content: "A1" } } },
          { functionResponse: { name: "a", response: { output: { nested: true } } } },
        ],
      },
    ],
  });
  const results = req.messages[2].content;
  assert.equal(req.messages[2].role, "user");
  assert.deepEqual(results.map((p) => p.type === "tool_result" ? p.callId : ""), ["call_1_1", "call_1_0", "call_1_2"]);
  assert.deepEqual(
    results.map((p) => p.type === "tool_result" && p.content[0].type === "text" ? p.content[0].text : ""),
    [
      "B",
      "A1",
      '{"output":{"nested":true}}',
    ],
  );
});

Deno.test("decodeRequest() accepts a string systemInstruction and refuses non-text system parts", () => {
  assert.deepEqual(decodeRequest({ contents: [], systemInstruction: "Be brief." }).system, [
    { text: "Be brief.", role: "system" },
  ]);
  assert.throws(
    () =>
      decodeRequest({
        contents: [],
        systemInstruction: { parts: [{ inlineData: { mimeType: "image/png", data: "x" } }] },
      }),
    isInvalid("systemInstruction"),
  );
});

Deno.test("decodeRequest() refuses non-image media inside a function response", () => {
  assert.throws(
    () =>
      decodeRequest({
        contents: [{
          role: "user",
          parts: [{
            functionResponse: {
              name: "f",
              response: {},
              parts: [{ inlineData: { mimeType: "application/pdf", data: "JVBE" } }],
            },
          }],
        }],
      }),
    (err: unknown) => err instanceof GatewayError && err.param === "contents[0].parts[0].functionResponse.parts[0]",
  );
});

Deno.test("decodeRequest() keeps the body's model and leaves stream to the URL", () => {
  const req = decodeRequest({ model: "gemini-2.5-pro", contents: [{ parts: [{ text: "hi" }] }] });
  assert.equal(req.model, "gemini-2.5-pro");
  assert.equal(req.stream, false);
  assert.equal(req.messages[0].role, "user");
});

Deno.test("decodeRequest() output re-encodes to an equivalent request for every fixture", () => {
  const root = new URL("../../../tests/fixtures/gemini/", import.meta.url);
  let seen = 0;
  for (const entry of Deno.readDirSync(root)) {
    const url = new URL(`${entry.name}/request.json`, root);
    let text: string;
    try {
      text = Deno.readTextFileSync(url);
    } catch {
      continue;
    }
    const first = decodeRequest(JSON.parse(text));
    const again = decodeRequest(encodeRequest(first, { model: "m" }).body);
    // A re-encode adds skip signatures to the current turn's unsigned calls; otherwise nothing may change.
    const strip = (r: ChatRequest): unknown =>
      JSON.parse(
        JSON.stringify(r),
        (_k, v) =>
          Array.isArray(v)
            ? v.filter((p) =>
              !(typeof p === "object" && p !== null && p.type === "thinking" && p.signature === SKIP_SIGNATURE)
            )
            : v,
      );
    assert.deepEqual(strip(again), strip(first), entry.name);
    seen++;
  }
  assert.ok(seen >= 15, `only ${seen} request fixtures`);
});
