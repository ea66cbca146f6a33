/**
 * @module Round-trip properties for the OpenAI Responses codec: random canonical requests, responses and stream
 * event sequences survive encode → decode, up to what the Responses API can express.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ChatRequest, ChatResponse, ContentPart, Message } from "../../src/core/canonical.ts";
import { effortForBudget } from "../../src/core/reasoning.ts";
import { codec } from "../../src/translate/responses/mod.ts";
import { chatRequestArb, chatResponseArb, scriptEvents, type StreamBlock, streamScriptArb } from "./arbitraries.ts";
import { clean, NUM_RUNS, streamRoundTrip, summarize, transcript, usageView } from "./harness.ts";

/**
 * Parts as Responses input items carry them:
 * - user content → input_text / input_image (url or data URL, detail kept) messages, split around tool results;
 * - a tool result → function_call_output: all-text content joined into one string (so [] and [""] are one empty
 *   text), mixed content as input_text / input_image parts; no error flag and no name on the wire;
 * - assistant text → one output_text message item each (empty text too); tool calls → function_call with id,
 *   name and argument text exactly;
 * - thinking only as OpenAI's own encrypted reasoning (signatureFormat "responses"), its text as the summary;
 *   any other thinking and redacted thinking are another vendor's and left out;
 * - cache_control has no Responses field.
 */
function projectParts(m: Message): unknown[] {
  const out: unknown[] = [];
  for (const p of m.content) {
    switch (p.type) {
      case "text":
        out.push({ type: "text", text: p.text });
        break;
      case "tool_result": {
        const allText = p.content.every((c) => c.type === "text");
        const content = allText
          ? [{ type: "text", text: p.content.map((c) => c.type === "text" ? c.text : "").join("") }]
          : p.content.map((c) => c.type === "text" ? { type: "text", text: c.text } : c);
        out.push({ type: "tool_result", callId: p.callId, content });
        break;
      }
      case "thinking":
        if (p.signatureFormat === "responses" && p.signature) {
          out.push({ type: "thinking", text: p.text, signature: p.signature, signatureFormat: "responses" });
        }
        break;
      case "redacted_thinking":
        break;
      default:
        out.push(p);
    }
  }
  return out;
}

/**
 * What a Responses request keeps:
 * - the first system block (role system, leading) as `instructions`, decoded only when non-empty; every other
 *   block as a system/developer message item in place (roles kept); cache_control dropped;
 * - adjacent same-role turns compared merged (items regroup into turns by kind);
 * - tools (name, description, parameters, strict), tool choice, parallel_tool_calls, max_output_tokens,
 *   temperature, top_p, user, stream; top_k, stop sequences, seed and penalties have no Responses field;
 * - reasoning: an effort (or the effort of a budget) and `summary: auto` for includeThoughts; disabled reasoning
 *   sends nothing (only a Responses client's own `none` is restored), and nothing to send loses the config;
 * - every text.format field.
 */
function projectRequest(req: ChatRequest): unknown {
  const r = req.reasoning;
  let reasoning: unknown;
  if (r !== undefined && r.enabled) {
    const effort = r.effort ?? (r.budgetTokens !== undefined ? effortForBudget(r.budgetTokens) : undefined);
    if (effort !== undefined || r.includeThoughts === true) {
      reasoning = { enabled: true, effort, includeThoughts: r.includeThoughts === true ? true : undefined };
    }
  }
  const first = req.system[0];
  const instructions = first !== undefined && first.role === "system" && first.beforeMessage === undefined;
  const system = instructions && first.text === "" ? req.system.slice(1) : req.system;
  return clean({
    model: req.model,
    conversation: transcript({ ...req, system }, {
      hoistSystem: false,
      keepSystemRole: true,
      mergeTurns: true,
      parts: projectParts,
    }),
    tools: req.tools?.map((t) => t.type === "function" ? { ...t, cacheControl: undefined } : t) ?? undefined,
    toolChoice: req.toolChoice,
    parallel: req.parallelToolCalls,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    stream: req.stream,
    reasoning,
    responseFormat: req.responseFormat,
    user: req.user,
  });
}

function viewDecoded(req: ChatRequest): unknown {
  return clean({
    model: req.model,
    conversation: transcript(req, {
      hoistSystem: false,
      keepSystemRole: true,
      mergeTurns: true,
      parts: (m) => m.content,
    }),
    tools: req.tools,
    toolChoice: req.toolChoice,
    parallel: req.parallelToolCalls,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    stream: req.stream,
    reasoning: req.reasoning,
    responseFormat: req.responseFormat,
    user: req.user,
  });
}

Deno.test("encodeRequest()→decodeRequest() keeps what the Responses API can express for responses", () => {
  fc.assert(
    fc.property(chatRequestArb, (req) => {
      const encoded = codec.encodeRequest(req, { model: req.model });
      const decoded = codec.decodeRequest(clean(encoded.body));
      assert.deepEqual(viewDecoded(decoded), projectRequest(req));
    }),
    { numRuns: NUM_RUNS, seed: 0x7e1 },
  );
});

/** Responses status: max_output_tokens and content_filter are `incomplete`; everything else completes. */
function stopView(reason: ChatResponse["stopReason"], calls: boolean): ChatResponse["stopReason"] {
  if (reason === "max_tokens" || reason === "content_filter") return reason;
  return calls ? "tool_use" : "end_turn";
}

/**
 * What a Responses response keeps: every part as an output item in order (text messages, reasoning items whose
 * encrypted_content carries any vendor's signature tagged, redacted thinking as a tagged reasoning item, function
 * calls exactly); the stop reason as `status` (stop sequences and refusals complete normally); usage without
 * cache writes.
 */
function projectResponse(res: ChatResponse): unknown {
  const calls = res.content.some((p) => p.type === "tool_call");
  return clean({
    id: res.id,
    model: res.model,
    created: res.created,
    content: res.content.map((p): ContentPart =>
      p.type === "thinking" && p.signature !== undefined
        ? { ...p, signatureFormat: p.signatureFormat ?? "responses" }
        : p
    ),
    stopReason: stopView(res.stopReason, calls),
    usage: usageView({ ...res.usage, cacheWriteTokens: undefined }),
  });
}

Deno.test("encodeResponse()→decodeResponse() keeps content, stop reason and usage for responses", () => {
  fc.assert(
    fc.property(chatResponseArb, (res) => {
      const decoded = codec.decodeResponse(clean(codec.encodeResponse(res)));
      assert.deepEqual(clean({ ...decoded, usage: usageView(decoded.usage) }), projectResponse(res));
    }),
    { numRuns: NUM_RUNS, seed: 0x7e2 },
  );
});

/** Every block is its own output item: text and reasoning text concatenated, signatures, tool calls exact. */
function streamBlocks(blocks: StreamBlock[]): unknown[] {
  return blocks.map((b) =>
    b.kind === "tool_call"
      ? { kind: "tool_call", id: b.id, name: b.name, arguments: b.chunks.join("") }
      : clean({ kind: b.kind, text: b.chunks.join(""), signature: b.kind === "thinking" ? b.signature : undefined })
  );
}

Deno.test("encodeStream()→SSE→decodeStream() keeps blocks, stop reason and usage for responses", () => {
  fc.assert(
    fc.property(streamScriptArb, (script) => {
      const { decoded } = streamRoundTrip(codec, scriptEvents(script), { upstreamFormat: "responses" });
      const got = summarize(decoded);
      assert.ok(got.wellFormed, "decoded stream is well formed");
      assert.equal(got.errors, 0);
      assert.equal(got.id, script.id);
      assert.equal(got.model, script.model);
      assert.deepEqual(got.blocks, streamBlocks(script.blocks));
      const calls = script.blocks.some((b) => b.kind === "tool_call");
      assert.equal(got.stopReason, stopView(script.stopReason, calls));
      assert.equal(got.stopSequence, undefined, "no stop sequence on the wire");
      assert.deepEqual(usageView(got.usage), usageView({ ...script.usage, cacheWriteTokens: undefined }));
    }),
    { numRuns: NUM_RUNS, seed: 0x7e3 },
  );
});
