/**
 * @module Round-trip properties for the OpenAI Chat Completions codec: random canonical requests, responses and
 * stream event sequences survive encode → decode, up to what Chat Completions can express.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ChatRequest, ChatResponse, ContentPart, ImagePart, Message } from "../../src/core/canonical.ts";
import { effortForBudget } from "../../src/core/reasoning.ts";
import { codec } from "../../src/translate/openai/mod.ts";
import { chatRequestArb, chatResponseArb, scriptEvents, type StreamBlock, streamScriptArb } from "./arbitraries.ts";
import { clean, NUM_RUNS, streamRoundTrip, summarize, transcript, usageView } from "./harness.ts";

const noCache = (p: Extract<ContentPart, { type: "text" }>): ContentPart => ({ type: "text", text: p.text });

/**
 * Parts as Chat Completions carries them:
 * - user turn: tool results become `tool` messages that come first (Chat wants them right after the assistant's
 *   tool_calls); a tool message takes only text, so a result's images follow in the user message, introduced by
 *   "Image output of tool call <id>:", before the turn's own content; a result without text says its image
 *   follows; `isError` becomes an "Error:" prefix; result names are not on the wire; cache_control is dropped;
 * - assistant turn: one message: thinking (unless another vendor signed it) joined as `reasoning_content`, texts
 *   joined as `content`, then tool_calls with ids, names and argument text exactly as given; empty reasoning and
 *   empty content decode as nothing; redacted thinking is dropped;
 * - images keep url/base64 (as a data URL) and detail.
 */
function projectParts(m: Message): unknown[] {
  if (m.role === "assistant") {
    const reasoning: string[] = [];
    const texts: string[] = [];
    const calls: ContentPart[] = [];
    for (const p of m.content) {
      if (p.type === "text") texts.push(p.text);
      else if (p.type === "thinking") {
        if (!(p.signature !== undefined && p.signatureFormat !== undefined && p.signatureFormat !== "openai")) {
          reasoning.push(p.text);
        }
      } else if (p.type === "tool_call") calls.push(p);
    }
    const out: ContentPart[] = [];
    if (reasoning.join("") !== "") out.push({ type: "thinking", text: reasoning.join("") });
    if (texts.join("") !== "") out.push({ type: "text", text: texts.join("") });
    return [...out, ...calls];
  }
  const results: unknown[] = [];
  const toolImages: unknown[] = [];
  const own: unknown[] = [];
  for (const p of m.content) {
    if (p.type === "tool_result") {
      const texts = p.content.filter((c) => c.type === "text").map(noCache);
      const images = p.content.filter((c): c is ImagePart => c.type === "image");
      if (images.length > 0) {
        toolImages.push({ type: "text", text: `Image output of tool call ${p.callId}:` }, ...images);
      }
      let content: ContentPart[] = texts.length > 0
        ? texts
        : [{ type: "text", text: images.length > 0 ? "(image output follows in the next message)" : "" }];
      if (p.isError === true) {
        content = content.length === 1 && content[0].type === "text"
          ? [{ type: "text", text: `Error: ${content[0].text}` }]
          : [{ type: "text", text: "Error:" }, ...content];
      }
      results.push({ type: "tool_result", callId: p.callId, content });
    } else own.push(p.type === "text" ? noCache(p) : p);
  }
  return [...results, ...toolImages, ...own];
}

/**
 * What a Chat Completions request keeps:
 * - system/developer blocks in place, roles kept, cache_control dropped;
 * - adjacent same-role turns compared merged (tool messages and the user message after them are separate turns);
 * - tools (name, description, parameters, strict; cache_control dropped), tool_choice and parallel_tool_calls;
 * - max tokens (as max_tokens or max_completion_tokens), temperature, top_p, stop, seed, penalties, user, stream;
 *   top_k is not a Chat parameter;
 * - reasoning as `reasoning_effort`: disabled is `none`; an effort, or the effort of a budget; neither sends
 *   nothing; budgets and includeThoughts have no Chat field;
 * - every response_format field.
 */
function projectRequest(req: ChatRequest): unknown {
  const r = req.reasoning;
  let reasoning: unknown;
  if (r !== undefined && !r.enabled) reasoning = { enabled: false };
  else if (r !== undefined) {
    const effort = r.effort ?? (r.budgetTokens !== undefined ? effortForBudget(r.budgetTokens) : undefined);
    if (effort !== undefined) reasoning = { enabled: true, effort };
  }
  return clean({
    model: req.model,
    conversation: transcript(req, { hoistSystem: false, keepSystemRole: true, mergeTurns: true, parts: projectParts }),
    tools: req.tools?.map((t) => t.type === "function" ? { ...t, cacheControl: undefined } : t),
    toolChoice: req.toolChoice,
    parallel: req.parallelToolCalls,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    stop: req.stop,
    seed: req.seed,
    frequencyPenalty: req.frequencyPenalty,
    presencePenalty: req.presencePenalty,
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
    stop: req.stop,
    seed: req.seed,
    frequencyPenalty: req.frequencyPenalty,
    presencePenalty: req.presencePenalty,
    stream: req.stream,
    reasoning: req.reasoning,
    responseFormat: req.responseFormat,
    user: req.user,
  });
}

Deno.test("encodeRequest()→decodeRequest() keeps what Chat Completions can express for openai", () => {
  fc.assert(
    fc.property(chatRequestArb, (req) => {
      const encoded = codec.encodeRequest(req, { model: req.model });
      const decoded = codec.decodeRequest(clean(encoded.body));
      assert.deepEqual(viewDecoded(decoded), projectRequest(req));
    }),
    { numRuns: NUM_RUNS, seed: 0x0a1 },
  );
});

/** Chat's finish_reason: stop sequences are plain `stop`, refusal is `content_filter`, tool calls win over `stop`. */
function stopView(reason: ChatResponse["stopReason"], calls: boolean): ChatResponse["stopReason"] {
  if (reason === "max_tokens" || reason === "tool_use") return reason;
  if (reason === "content_filter" || reason === "refusal") return "content_filter";
  return calls ? "tool_use" : "end_turn";
}

/**
 * What a Chat Completions response keeps: reasoning joined first (signatures and redacted thinking have no
 * place), texts joined, then tool calls exactly; the stop reason as above (no stop sequence); usage.
 */
function projectResponse(res: ChatResponse): unknown {
  const calls = res.content.some((p) => p.type === "tool_call");
  return clean({
    id: res.id,
    model: res.model,
    created: res.created,
    content: projectParts({ role: "assistant", content: res.content }),
    stopReason: stopView(res.stopReason, calls),
    usage: usageView(res.usage),
  });
}

Deno.test("encodeResponse()→decodeResponse() keeps content, stop reason and usage for openai", () => {
  fc.assert(
    fc.property(chatResponseArb, (res) => {
      // A response's thinking is shown whoever signed it (only requests drop other vendors' thinking).
      const unsigned: ChatResponse = {
        ...res,
        content: res.content.map((p) => p.type === "thinking" ? { type: "thinking", text: p.text } : p),
      };
      const decoded = codec.decodeResponse(clean(codec.encodeResponse(res)));
      assert.deepEqual(clean({ ...decoded, usage: usageView(decoded.usage) }), projectResponse(unsigned));
    }),
    { numRuns: NUM_RUNS, seed: 0x0a2 },
  );
});

/**
 * A Chat stream has no block framing: adjacent text (or reasoning) blocks arrive as one run; signatures have no
 * place; tool calls keep id, name and argument text.
 */
function streamBlocks(blocks: StreamBlock[]): unknown[] {
  const out: Array<Record<string, unknown>> = [];
  for (const b of blocks) {
    const last = out.at(-1);
    if (b.kind === "tool_call") {
      out.push({ kind: "tool_call", id: b.id, name: b.name, arguments: b.chunks.join("") });
    } else if (last !== undefined && last.kind === b.kind) last.text += b.chunks.join("");
    else out.push({ kind: b.kind, text: b.chunks.join("") });
  }
  return out;
}

Deno.test("encodeStream()→SSE→decodeStream() keeps blocks, stop reason and usage for openai", () => {
  fc.assert(
    fc.property(streamScriptArb, fc.boolean(), (script, includeUsage) => {
      const { decoded } = streamRoundTrip(codec, scriptEvents(script), { includeUsage });
      const got = summarize(decoded);
      assert.ok(got.wellFormed, "decoded stream is well formed");
      assert.equal(got.errors, 0);
      assert.equal(got.id, script.id);
      assert.deepEqual(got.blocks, streamBlocks(script.blocks));
      const calls = script.blocks.some((b) => b.kind === "tool_call");
      assert.equal(got.stopReason, stopView(script.stopReason, calls));
      assert.equal(got.stopSequence, undefined, "no stop sequence on the wire");
      // Without stream_options.include_usage the client gets no usage chunk.
      assert.deepEqual(usageView(got.usage), includeUsage ? usageView(script.usage) : usageView(got.usage));
    }),
    { numRuns: NUM_RUNS, seed: 0x0a3 },
  );
});
