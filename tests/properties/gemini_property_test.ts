/**
 * @module Round-trip properties for the Gemini codec: random canonical requests, responses and stream event
 * sequences survive encode → decode, up to what generateContent can express.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ChatRequest, ChatResponse, ContentPart, ImagePart, Message } from "../../src/core/canonical.ts";
import { budgetForEffort } from "../../src/core/reasoning.ts";
import { codec, SKIP_SIGNATURE } from "../../src/translate/gemini/mod.ts";
import { imageMimeFromUrl } from "../../src/translate/gemini/parts.ts";
import { chatRequestArb, chatResponseArb, scriptEvents, type StreamBlock, streamScriptArb } from "./arbitraries.ts";
import { clean, NUM_RUNS, parsedArguments, streamRoundTrip, summarize, transcript, usageView } from "./harness.ts";

/** Gemini's fileData needs a MIME type: a URL whose extension names no image type comes back as a file. */
function imageView(p: ImagePart): unknown {
  const s = p.source;
  if (s.kind === "base64") return { type: "image", source: { kind: "base64", mediaType: s.mediaType, data: s.data } };
  if (imageMimeFromUrl(s.url) === undefined) return { type: "file", mediaType: "application/octet-stream", url: s.url };
  return { type: "image", source: { kind: "url", url: s.url } };
}

/**
 * A tool result's `functionResponse.response` (the documented rule): an error is `{error}`, JSON-object text
 * stays an object, other text is `{output}`; images alone send `{}`. Decoding unwraps a lone
 * `output`/`result`/`content`/`error` string, otherwise shows the object as JSON text.
 */
function resultText(text: string, isError: boolean, imagesOnly: boolean): { text: string; isError: boolean } {
  if (imagesOnly) return { text: "", isError: false };
  if (isError) return { text, isError: true };
  let response: Record<string, unknown> = { output: text };
  if (text.trim().startsWith("{")) {
    try {
      const value: unknown = JSON.parse(text.trim());
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        response = value as Record<string, unknown>;
      }
    } catch {
      // plain text
    }
  }
  const keys = Object.keys(response);
  if (keys.length === 0) return { text: "", isError: false };
  const only = response[keys[0]];
  if (keys.length === 1 && typeof only === "string" && ["output", "result", "content", "error"].includes(keys[0])) {
    return { text: only, isError: keys[0] === "error" };
  }
  return { text: JSON.stringify(response), isError: false };
}

/**
 * Parts as a Gemini request carries them (`mode` "request"):
 * - thinking keeps only Gemini's own signatures (another vendor's mean nothing to Gemini); unsigned empty thinking
 *   says nothing and is dropped; a signature on empty thinking before another part rides on that part and comes
 *   back as the same empty signed thinking part (a "carrier");
 * - redacted thinking and cache_control have no Gemini form; image `detail` neither;
 * - tool calls keep their ids; arguments are an object (compared parsed);
 * - tool results always carry the tool name (from the call); texts are joined by "\n" into `response` (see
 *   `resultText`); images go to `functionResponse.parts`.
 */
function projectParts(m: Message): unknown[] {
  const out: unknown[] = [];
  for (const p of m.content) {
    switch (p.type) {
      case "thinking": {
        const own = p.signature !== undefined && (p.signatureFormat === undefined || p.signatureFormat === "gemini");
        if (own) out.push({ type: "thinking", text: p.text, signature: p.signature, signatureFormat: "gemini" });
        else if (p.text !== "") out.push({ type: "thinking", text: p.text });
        break;
      }
      case "redacted_thinking":
        break;
      case "text":
        out.push({ type: "text", text: p.text });
        break;
      case "image":
        out.push(imageView(p));
        break;
      case "tool_call":
        out.push({ type: "tool_call", id: p.id, name: p.name, arguments: parsedArguments(p.arguments) });
        break;
      case "tool_result": {
        const texts = p.content.filter((c) => c.type === "text").map((c) => c.text);
        const images = p.content.filter((c): c is ImagePart => c.type === "image");
        const r = resultText(
          texts.join("\n"),
          p.isError === true,
          images.length > 0 && texts.length === 0 && !p.isError,
        );
        const content: unknown[] = r.text !== "" || images.length === 0 ? [{ type: "text", text: r.text }] : [];
        // Inside functionResponse.parts an untyped URL is still an image (a result holds only text and images).
        content.push(
          ...images.map((i) =>
            i.source.kind === "url" ? { type: "image", source: { kind: "url", url: i.source.url } } : imageView(i)
          ),
        );
        const name = p.name ?? findCallName(p.callId);
        out.push(
          clean({ type: "tool_result", callId: p.callId, name, content, isError: r.isError ? true : undefined }),
        );
        break;
      }
      default:
        out.push(p);
    }
  }
  return out;
}

let callNames = new Map<string, string>();
function findCallName(id: string): string | undefined {
  return callNames.get(id);
}

/**
 * What a Gemini request keeps:
 * - one `systemInstruction`: every block first, in order, as plain system text (no developer role, no cache);
 * - one Content per turn (Gemini does not need alternation), turns left empty dropped;
 * - the step's first functionCall without a signature gets Gemini's documented dummy signature
 *   (`SKIP_SIGNATURE`), which is the encoder's, not the conversation's: left out of the decoded view;
 * - tools: name, description, JSON-schema parameters (strict and cache_control have no Gemini field); tool choice
 *   as functionCallingConfig; parallel_tool_calls and user have no field; model and stream are in the URL;
 * - generationConfig: max tokens, temperature, top_p, top_k, stop, seed, penalties;
 * - reasoning as thinkingConfig: disabled is budget 0, a budget stays, an effort becomes its budget, neither
 *   sends only includeThoughts (nothing at all without it);
 * - response format as MIME type + responseJsonSchema (json_schema comes back named `response`, no strict or
 *   description).
 */
function projectRequest(req: ChatRequest): unknown {
  callNames = new Map();
  for (const m of req.messages) for (const p of m.content) if (p.type === "tool_call") callNames.set(p.id, p.name);
  const r = req.reasoning;
  let reasoning: unknown;
  if (r !== undefined) {
    const tc: Record<string, unknown> = {};
    if (!r.enabled) tc.enabled = false;
    else if (r.budgetTokens !== undefined) tc.budgetTokens = r.budgetTokens;
    else if (r.effort !== undefined) tc.budgetTokens = budgetForEffort(r.effort);
    if (r.includeThoughts !== undefined) tc.includeThoughts = r.includeThoughts;
    if (Object.keys(tc).length > 0) reasoning = { enabled: r.enabled, ...tc };
  }
  const f = req.responseFormat;
  return clean({
    conversation: transcript(req, { hoistSystem: true, keepSystemRole: false, mergeTurns: false, parts: projectParts }),
    tools: req.tools?.map((t) => t.type === "function" ? { ...t, strict: undefined, cacheControl: undefined } : t),
    toolChoice: req.toolChoice,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    topK: req.topK,
    stop: req.stop,
    seed: req.seed,
    frequencyPenalty: req.frequencyPenalty,
    presencePenalty: req.presencePenalty,
    reasoning,
    responseFormat: f?.type === "json_schema" ? { type: "json_schema", name: "response", schema: f.schema } : f,
  });
}

function withoutDummySignature(content: ContentPart[]): ContentPart[] {
  return content.filter((p) => !(p.type === "thinking" && p.text === "" && p.signature === SKIP_SIGNATURE));
}

function viewDecoded(req: ChatRequest): unknown {
  return clean({
    conversation: transcript(req, {
      hoistSystem: true,
      keepSystemRole: false,
      mergeTurns: false,
      parts: (m) =>
        withoutDummySignature(m.content).map((p) =>
          p.type === "tool_call" ? { ...p, arguments: parsedArguments(p.arguments) } : p
        ),
    }),
    tools: req.tools,
    toolChoice: req.toolChoice,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    topK: req.topK,
    stop: req.stop,
    seed: req.seed,
    frequencyPenalty: req.frequencyPenalty,
    presencePenalty: req.presencePenalty,
    reasoning: req.reasoning,
    responseFormat: req.responseFormat,
  });
}

Deno.test("encodeRequest()→decodeRequest() keeps what generateContent can express for gemini", () => {
  fc.assert(
    fc.property(chatRequestArb, (req) => {
      const encoded = codec.encodeRequest(req, { model: req.model });
      const decoded = codec.decodeRequest(clean(encoded.body));
      assert.deepEqual(viewDecoded(decoded), projectRequest(req));
    }),
    { numRuns: NUM_RUNS, seed: 0x6e1 },
  );
});

/**
 * What a Gemini response keeps: text, thinking with any vendor's signature (another vendor's is tagged on the
 * wire and untagged on decode; unsigned empty thinking is dropped), tool calls with ids (arguments as objects);
 * no redacted thinking; finishReason STOP/MAX_TOKENS/SAFETY (stop sequences are STOP; a call makes it tool_use;
 * refusal is SAFETY → content_filter); `created` is 0 (no createTime sent); usage without cache writes.
 */
function projectResponse(res: ChatResponse): unknown {
  const calls = res.content.some((p) => p.type === "tool_call");
  const content: unknown[] = [];
  for (const p of res.content) {
    if (p.type === "redacted_thinking") continue;
    if (p.type === "thinking") {
      if (p.signature !== undefined) {
        content.push({
          type: "thinking",
          text: p.text,
          signature: p.signature,
          signatureFormat: p.signatureFormat ?? "gemini",
        });
      } else if (p.text !== "") content.push({ type: "thinking", text: p.text });
    } else if (p.type === "tool_call") content.push({ ...p, arguments: parsedArguments(p.arguments) });
    else content.push(p);
  }
  const stop = res.stopReason === "max_tokens"
    ? "max_tokens"
    : res.stopReason === "content_filter" || res.stopReason === "refusal"
    ? "content_filter"
    : calls
    ? "tool_use"
    : "end_turn";
  return clean({
    id: res.id,
    model: res.model,
    created: 0,
    content,
    stopReason: stop,
    usage: usageView({ ...res.usage, cacheWriteTokens: undefined }),
  });
}

Deno.test("encodeResponse()→decodeResponse() keeps content, stop reason and usage for gemini", () => {
  fc.assert(
    fc.property(chatResponseArb, (res) => {
      const decoded = codec.decodeResponse(clean(codec.encodeResponse(res)));
      const view = {
        ...decoded,
        content: decoded.content.map((p) =>
          p.type === "tool_call" ? { ...p, arguments: parsedArguments(p.arguments) } : p
        ),
        usage: usageView(decoded.usage),
      };
      assert.deepEqual(clean(view), projectResponse(res));
    }),
    { numRuns: NUM_RUNS, seed: 0x6e2 },
  );
});

/**
 * A Gemini stream has no block framing: adjacent text (or thought) parts form one run, so adjacent thinking blocks
 * merge until one carries a signature (a signature seals its thought: a later thought starts a new block); function
 * calls arrive whole with ids and args (an object: compared parsed).
 */
function streamBlocks(blocks: StreamBlock[]): unknown[] {
  const out: Array<Record<string, unknown>> = [];
  for (const b of blocks) {
    const last = out.at(-1);
    if (b.kind === "tool_call") {
      out.push({ kind: "tool_call", id: b.id, name: b.name, arguments: parsedArguments(b.chunks.join("")) });
    } else if (last !== undefined && last.kind === b.kind && !(b.kind === "thinking" && last.signature !== undefined)) {
      last.text += b.chunks.join("");
      if (b.kind === "thinking" && b.signature !== undefined) last.signature = b.signature;
    } else {
      out.push(
        clean({ kind: b.kind, text: b.chunks.join(""), signature: b.kind === "thinking" ? b.signature : undefined }),
      );
    }
  }
  return out;
}

Deno.test("encodeStream()→SSE→decodeStream() keeps blocks, stop reason and usage for gemini", () => {
  fc.assert(
    fc.property(streamScriptArb, (script) => {
      const { decoded } = streamRoundTrip(codec, scriptEvents(script), { upstreamFormat: "gemini" });
      const got = summarize(decoded);
      assert.ok(got.wellFormed, "decoded stream is well formed");
      assert.equal(got.errors, 0);
      assert.equal(got.id, script.id);
      assert.deepEqual(
        got.blocks.map((b) => b.kind === "tool_call" ? { ...b, arguments: parsedArguments(b.arguments) } : b),
        streamBlocks(script.blocks),
      );
      const calls = script.blocks.some((b) => b.kind === "tool_call");
      const stop = script.stopReason === "max_tokens"
        ? "max_tokens"
        : script.stopReason === "content_filter" || script.stopReason === "refusal"
        ? "content_filter"
        : calls
        ? "tool_use"
        : "end_turn";
      assert.equal(got.stopReason, stop);
      assert.deepEqual(usageView(got.usage), usageView({ ...script.usage, cacheWriteTokens: undefined }));
    }),
    { numRuns: NUM_RUNS, seed: 0x6e3 },
  );
});
