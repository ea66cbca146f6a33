/**
 * @module Round-trip properties for the Anthropic Messages codec: random canonical requests, responses and stream
 * event sequences survive encode → decode, up to `projectRequest` / `projectResponse` (what Anthropic can express).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { ChatRequest, ChatResponse, ContentPart, Message } from "../../src/core/canonical.ts";
import { effortForBudget } from "../../src/core/reasoning.ts";
import { codec } from "../../src/translate/anthropic/mod.ts";
import { chatRequestArb, chatResponseArb, scriptEvents, streamScriptArb } from "./arbitraries.ts";
import { clean, NUM_RUNS, parsedArguments, streamRoundTrip, summarize, transcript, usageView } from "./harness.ts";

const DEFAULT_MAX_TOKENS = 4096;

/** Whether Anthropic keeps a thinking part: only with a non-empty Anthropic (or unattributed) signature. */
function keepsThinking(p: Extract<ContentPart, { type: "thinking" }>): boolean {
  return p.signature !== undefined && p.signature !== "" &&
    (p.signatureFormat === undefined || p.signatureFormat === "anthropic");
}

/**
 * Parts as Anthropic carries them:
 * - empty text without cache_control is dropped (Anthropic rejects empty text blocks); cache_control is kept;
 * - image `detail` is dropped (no Anthropic field);
 * - tool arguments are an `input` object: compared as parsed JSON ("" is `{}`);
 * - tool results lose `name` (not on the wire); their content is a string when it is one plain text, else blocks
 *   (empty texts dropped as above); `is_error` is kept;
 * - thinking survives only with an Anthropic signature (the vendor verifies it), tagged `anthropic` on decode;
 *   redacted thinking is kept.
 */
function projectParts(m: Message): unknown[] {
  const out: unknown[] = [];
  for (const p of m.content) {
    switch (p.type) {
      case "text":
        if (p.text !== "" || p.cacheControl !== undefined) out.push(p);
        break;
      case "image":
        out.push({ type: "image", source: projectImageSource(p.source) });
        break;
      case "tool_call":
        out.push({ type: "tool_call", id: p.id, name: p.name, arguments: parsedArguments(p.arguments) });
        break;
      case "tool_result": {
        const only = p.content[0];
        const single = p.content.length === 1 && only.type === "text" && only.cacheControl === undefined;
        const content = single
          ? p.content
          : p.content.filter((c) => c.type !== "text" || c.text !== "" || c.cacheControl !== undefined)
            .map((c) => c.type === "image" ? { type: "image", source: projectImageSource(c.source) } : c);
        const r: Record<string, unknown> = { type: "tool_result", callId: p.callId, content };
        if (p.isError !== undefined) r.isError = p.isError;
        out.push(r);
        break;
      }
      case "thinking":
        if (keepsThinking(p)) {
          out.push({ type: "thinking", text: p.text, signature: p.signature, signatureFormat: "anthropic" });
        }
        break;
      default:
        out.push(p);
    }
  }
  return out;
}

function projectImageSource(s: Extract<ContentPart, { type: "image" }>["source"]): unknown {
  return s.kind === "url" ? { kind: "url", url: s.url } : { kind: "base64", mediaType: s.mediaType, data: s.data };
}

/** Anthropic wants a user turn answering tool calls to start with its tool_result blocks (the encoder moves them). */
function resultsFirst(entries: ReturnType<typeof transcript>): ReturnType<typeof transcript> {
  return entries.map((e) => {
    if (!("turn" in e) || e.turn !== "user") return e;
    const isResult = (p: unknown) => (p as { type: string }).type === "tool_result";
    return { turn: e.turn, content: [...e.content.filter(isResult), ...e.content.filter((p) => !isResult(p))] };
  });
}

/**
 * What an Anthropic request keeps:
 * - one `system` slot: every block goes first, in order; empty blocks are dropped; `developer` becomes `system`;
 * - adjacent same-role turns are merged (Anthropic alternates roles);
 * - `max_tokens` is required: 4096 when absent; with thinking on, the budget is fitted under it by the encoder's
 *   documented rule (budget ≥ 1024, < max_tokens) and decodes back with the effort of that budget;
 * - thinking is left out when the tool choice forces a call; temperature ≠ 1 and top_k are left out while thinking;
 *   a disabled config decodes as `{enabled: false}` (effort has no place then); includeThoughts comes back true
 *   (Anthropic shows thinking unless `display: omitted`);
 * - seed and penalties have no Anthropic field; response_format `text` is the default (nothing sent) and
 *   json_schema comes back named `response`, strict, without description; json_object is refused (not generated);
 * - parallel tool calls live in tool_choice.disable_parallel_tool_use (not on `none`; `true` without a choice is
 *   the default, so not sent);
 * - tools keep name, description, schema, strict and cache_control.
 */
function projectRequest(req: ChatRequest): unknown {
  const forced = req.toolChoice?.type === "required" || req.toolChoice?.type === "tool";
  let maxTokens = req.maxTokens ?? DEFAULT_MAX_TOKENS;
  let reasoning: unknown;
  let thinkingOn = false;
  const r = req.reasoning;
  if (r !== undefined && !r.enabled) reasoning = { enabled: false };
  else if (r !== undefined && !forced) {
    thinkingOn = true;
    let budget = Math.max(
      1024,
      r.budgetTokens ?? ({ minimal: 1024, low: 4096, medium: 12288, high: 32768 })[r.effort ?? "medium"],
    );
    if (req.maxTokens !== undefined) {
      if (budget >= maxTokens) {
        budget = Math.floor(maxTokens / 2);
        if (budget < 1024) {
          budget = 1024;
          maxTokens += 1024;
        }
      }
    } else {
      maxTokens = Math.min(budget + DEFAULT_MAX_TOKENS, 32000);
      budget = Math.min(budget, maxTokens - DEFAULT_MAX_TOKENS);
    }
    reasoning = { enabled: true, budgetTokens: budget, effort: effortForBudget(budget), includeThoughts: true };
  }
  let toolChoice: unknown = req.toolChoice;
  let parallel = req.parallelToolCalls;
  if (req.toolChoice?.type === "none") parallel = undefined;
  else if (req.toolChoice === undefined && parallel === false) toolChoice = { type: "auto" };
  else if (req.toolChoice === undefined) parallel = undefined;
  const format = req.responseFormat;
  return clean({
    model: req.model,
    conversation: resultsFirst(transcript(req, {
      hoistSystem: true,
      keepSystemRole: false,
      dropEmptySystem: true,
      mergeTurns: true,
      parts: projectParts,
    })),
    systemCache: req.system.filter((b) => b.text !== "").map((b) => b.cacheControl ?? null),
    tools: req.tools?.length ? req.tools : undefined,
    toolChoice,
    parallel,
    maxTokens,
    temperature: thinkingOn && req.temperature !== 1 ? undefined : req.temperature,
    topP: req.topP,
    topK: thinkingOn ? undefined : req.topK,
    stop: req.stop,
    stream: req.stream,
    reasoning,
    responseFormat: format?.type === "json_schema"
      ? { type: "json_schema", name: "response", schema: format.schema, strict: true }
      : undefined,
    user: req.user,
  });
}

/** The same view of a decoded request (system cache hints read back from the blocks). */
function viewDecoded(req: ChatRequest): unknown {
  return clean({
    model: req.model,
    conversation: transcript(req, {
      hoistSystem: true,
      keepSystemRole: false,
      mergeTurns: true,
      parts: (m) =>
        m.content.map((p) => p.type === "tool_call" ? { ...p, arguments: parsedArguments(p.arguments) } : p).map((p) =>
          p.type === "image" ? { type: "image", source: projectImageSource(p.source) } : p
        ),
    }),
    systemCache: req.system.map((b) => b.cacheControl ?? null),
    tools: req.tools,
    toolChoice: req.toolChoice,
    parallel: req.parallelToolCalls,
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    topP: req.topP,
    topK: req.topK,
    stop: req.stop,
    stream: req.stream,
    reasoning: req.reasoning,
    responseFormat: req.responseFormat,
    user: req.user,
  });
}

/** json_object has no faithful Anthropic form and is refused by the encoder (tested by its unit tests). */
const anthropicRequestArb = chatRequestArb.map((req) => {
  if (req.responseFormat?.type !== "json_object") return req;
  const { responseFormat: _, ...rest } = req;
  return rest as ChatRequest;
});

Deno.test("encodeRequest()→decodeRequest() keeps what Anthropic can express for anthropic", () => {
  fc.assert(
    fc.property(anthropicRequestArb, (req) => {
      const encoded = codec.encodeRequest(req, { model: req.model });
      const decoded = codec.decodeRequest(clean(encoded.body));
      assert.deepEqual(viewDecoded(decoded), projectRequest(req));
    }),
    { numRuns: NUM_RUNS, seed: 0x5a17 },
  );
});

/**
 * What an Anthropic response keeps: text (empty too), thinking with its signature (another vendor's is tagged and
 * untagged again), redacted thinking, tool calls (arguments as an object); `created` is 0 (Anthropic carries no
 * timestamp); content_filter becomes `refusal`; the stop sequence; usage (cache writes included).
 */
function projectResponse(res: ChatResponse): unknown {
  return clean({
    id: res.id,
    model: res.model,
    created: 0,
    content: res.content.map((p) => {
      if (p.type === "tool_call") return { ...p, arguments: parsedArguments(p.arguments) };
      if (p.type === "thinking") {
        return p.signature === undefined ? { type: "thinking", text: p.text } : {
          type: "thinking",
          text: p.text,
          signature: p.signature,
          signatureFormat: p.signatureFormat ?? "anthropic",
        };
      }
      return p;
    }),
    stopReason: res.stopReason === "content_filter" ? "refusal" : res.stopReason,
    stopSequence: res.stopSequence,
    usage: usageView(res.usage),
  });
}

Deno.test("encodeResponse()→decodeResponse() keeps content, stop reason and usage for anthropic", () => {
  fc.assert(
    fc.property(chatResponseArb, (res) => {
      const decoded = codec.decodeResponse(clean(codec.encodeResponse(res)));
      const view = {
        ...decoded,
        content: decoded.content.map((p) =>
          p.type === "tool_call" ? { ...p, arguments: parsedArguments(p.arguments) } : p
        ),
      };
      assert.deepEqual(clean({ ...view, usage: usageView(view.usage) }), projectResponse(res));
    }),
    { numRuns: NUM_RUNS, seed: 0x5a18 },
  );
});

Deno.test("encodeStream()→SSE→decodeStream() keeps blocks, stop reason and usage for anthropic", () => {
  fc.assert(
    fc.property(streamScriptArb, fc.constantFrom(undefined, "anthropic", "gemini"), (script, upstream) => {
      const { decoded } = streamRoundTrip(
        codec,
        scriptEvents(script),
        upstream === undefined ? {} : { upstreamFormat: upstream },
      );
      const got = summarize(decoded);
      const want = summarize(scriptEvents(script));
      assert.ok(got.wellFormed, "decoded stream is well formed");
      assert.equal(got.errors, 0);
      assert.equal(got.id, script.id);
      assert.equal(got.model, script.model);
      // A signature another vendor made reaches the Anthropic client tagged with that vendor's name.
      const tag = upstream === "gemini" ? "switchyard:gemini:" : "";
      assert.deepEqual(
        got.blocks,
        want.blocks.map((b) =>
          b.kind === "thinking" && b.signature !== undefined ? { ...b, signature: tag + b.signature } : b
        ),
      );
      assert.equal(got.stopReason, script.stopReason === "content_filter" ? "refusal" : script.stopReason);
      assert.equal(got.stopSequence, script.stopSequence);
      assert.deepEqual(usageView(got.usage), usageView(script.usage));
    }),
    { numRuns: NUM_RUNS, seed: 0x5a19 },
  );
});
