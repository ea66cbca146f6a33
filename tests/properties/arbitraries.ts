/**
 * @module fast-check arbitraries for canonical requests, responses and stream event sequences, shared by the
 * per-format round-trip properties. They keep canonical invariants (tool results answer calls of the assistant turn
 * before them, call ids are unique, system blocks are ordered by position, a named tool choice names a declared
 * tool) but leave format rules (alternating roles, where tool results sit in a turn) to the encoders.
 */
import fc from "fast-check";
import type {
  ChatRequest,
  ChatResponse,
  ContentPart,
  FunctionTool,
  ImagePart,
  Message,
  ReasoningConfig,
  ResponseFormat,
  StopReason,
  StreamEvent,
  SystemBlock,
  TextPart,
  ToolChoice,
  Usage,
  WireFormat,
} from "../../src/core/canonical.ts";

/** Printable text, sometimes with non-ASCII graphemes, newlines and quotes (everything goes through JSON and SSE). */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("line one\nline two", 'say "hi"\\', "emoji 👋🏽 ünïcödé", "") },
);

export const nonEmptyTextArb: fc.Arbitrary<string> = textArb.filter((t) => t !== "");

const identArb = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/);
const base64Arb = fc.stringMatching(/^[A-Za-z0-9+/]{4,40}={0,2}$/).filter((s) => s.length % 4 === 0);
const signatureArb = fc.stringMatching(/^[A-Za-z0-9+/_-]{8,48}$/);
const formatArb: fc.Arbitrary<WireFormat> = fc.constantFrom("openai", "anthropic", "gemini", "responses");

/** A JSON object as tool arguments: compact or pretty-printed text (formats that keep text must keep it exactly). */
export const argumentsArb: fc.Arbitrary<string> = fc.tuple(
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(0, 0, 2),
).map(([obj, indent]) => JSON.stringify(obj, null, indent));

export const imageArb: fc.Arbitrary<ImagePart> = fc.oneof(
  fc.record({
    mediaType: fc.constantFrom("image/png", "image/jpeg", "image/webp", "image/gif"),
    data: base64Arb,
    detail: fc.option(fc.constantFrom("low", "high", "auto"), { nil: undefined }),
  }).map(({ mediaType, data, detail }): ImagePart => ({
    type: "image",
    source: detail === undefined ? { kind: "base64", mediaType, data } : { kind: "base64", mediaType, data, detail },
  })),
  fc.record({
    path: identArb,
    ext: fc.constantFrom(".png", ".jpg", ".webp", ".gif", ""),
    detail: fc.option(fc.constantFrom("low", "high", "auto"), { nil: undefined }),
  }).map(({ path, ext, detail }): ImagePart => {
    const url = `https://img.example.com/${path}${ext}`;
    return { type: "image", source: detail === undefined ? { kind: "url", url } : { kind: "url", url, detail } };
  }),
);

export const textPartArb: fc.Arbitrary<TextPart> = fc.record({
  text: textArb,
  cache: fc.boolean(),
}).map(({ text, cache }): TextPart =>
  cache ? { type: "text", text, cacheControl: { type: "ephemeral" } } : { type: "text", text }
);

const thinkingArb: fc.Arbitrary<ContentPart> = fc.record({
  text: textArb,
  signed: fc.option(fc.record({ signature: signatureArb, format: fc.option(formatArb, { nil: undefined }) }), {
    nil: undefined,
  }),
}).map(({ text, signed }): ContentPart => {
  if (signed === undefined) return { type: "thinking", text };
  if (signed.format === undefined) return { type: "thinking", text, signature: signed.signature };
  return { type: "thinking", text, signature: signed.signature, signatureFormat: signed.format };
});

/** A tool result placeholder: the call id and name are filled in by `linkToolResults`. */
interface ResultDraft {
  type: "result_draft";
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  withName: boolean;
}

const resultDraftArb: fc.Arbitrary<ResultDraft> = fc.record({
  content: fc.array(fc.oneof({ weight: 3, arbitrary: textPartArb }, { weight: 1, arbitrary: imageArb }), {
    maxLength: 3,
  }),
  isError: fc.option(fc.boolean(), { nil: undefined }),
  withName: fc.boolean(),
}).map(({ content, isError, withName }): ResultDraft =>
  isError === undefined ? { type: "result_draft", content, withName } : {
    type: "result_draft",
    content,
    isError,
    withName,
  }
);

type DraftPart = ContentPart | ResultDraft;

const userPartArb: fc.Arbitrary<DraftPart> = fc.oneof(
  { weight: 4, arbitrary: textPartArb },
  { weight: 1, arbitrary: imageArb },
  { weight: 3, arbitrary: resultDraftArb },
);

const assistantPartArb = (toolNames: string[]): fc.Arbitrary<DraftPart> =>
  fc.oneof(
    { weight: 4, arbitrary: textPartArb },
    { weight: 2, arbitrary: thinkingArb },
    { weight: 1, arbitrary: base64Arb.map((data): ContentPart => ({ type: "redacted_thinking", data })) },
    {
      weight: 3,
      arbitrary: fc.record({
        id: fc.stringMatching(/^(call|toolu|fc)_[A-Za-z0-9]{1,12}$/),
        name: toolNames.length > 0 ? fc.oneof(fc.constantFrom(...toolNames), identArb) : identArb,
        arguments: fc.oneof({ weight: 9, arbitrary: argumentsArb }, { weight: 1, arbitrary: fc.constant("") }),
      }).map(({ id, name, arguments: args }): ContentPart => ({ type: "tool_call", id, name, arguments: args })),
    },
  );

/**
 * Makes call ids unique (suffixing the turn and part index) and links each drafted result to a not yet answered call
 * of the closest assistant turn before it; a draft with no call to answer becomes a text part.
 */
function linkToolResults(drafts: Array<{ role: Message["role"]; content: DraftPart[] }>): Message[] {
  let open: Array<{ id: string; name: string }> = [];
  return drafts.map((turn, t): Message => {
    if (turn.role === "assistant") {
      const content = turn.content.map((p, j): ContentPart => {
        if (p.type === "result_draft") throw new Error("unreachable: a result in an assistant draft");
        return p.type === "tool_call" ? { ...p, id: `${p.id}_${t}_${j}` } : p;
      });
      const calls = content.filter((p) => p.type === "tool_call");
      open = calls.map((c) => ({ id: c.id, name: c.name }));
      return { role: "assistant", content };
    }
    const content = turn.content.map((p): ContentPart => {
      if (p.type !== "result_draft") return p;
      const call = open.shift();
      if (call === undefined) return { type: "text", text: "no call to answer" };
      const result: ContentPart = { type: "tool_result", callId: call.id, content: p.content };
      if (p.withName) result.name = call.name;
      if (p.isError !== undefined) result.isError = p.isError;
      return result;
    });
    open = [];
    return { role: "user", content };
  });
}

export const messagesArb = (toolNames: string[]): fc.Arbitrary<Message[]> =>
  fc.tuple(
    fc.constantFrom<Message["role"]>("user", "assistant"),
    // Mostly alternating (so results often have calls to answer), sometimes the same role twice in a row.
    fc.array(fc.constantFrom(true, true, true, false), { maxLength: 5 }),
  ).chain(([first, switches]) => {
    const roles: Message["role"][] = [first];
    for (const sw of switches) {
      const last = roles[roles.length - 1];
      roles.push(sw ? (last === "user" ? "assistant" : "user") : last);
    }
    return fc.tuple(
      ...roles.map((role) =>
        fc.array(role === "user" ? userPartArb : assistantPartArb(toolNames), { minLength: 1, maxLength: 4 })
          .map((content) => ({ role, content }))
      ),
    );
  }).map(linkToolResults);

/** System blocks in canonical order: leading ones (no position) first, then by the message they precede. */
export const systemArb = (messageCount: number): fc.Arbitrary<SystemBlock[]> =>
  fc.array(
    fc.record({
      text: nonEmptyTextArb,
      role: fc.constantFrom<SystemBlock["role"]>("system", "system", "developer"),
      cache: fc.boolean(),
      before: fc.option(fc.integer({ min: 1, max: messageCount }), { nil: undefined, freq: 2 }),
    }),
    { maxLength: 3 },
  ).map((blocks) =>
    blocks
      .map(({ text, role, cache, before }): SystemBlock => {
        const block: SystemBlock = { text, role };
        if (cache) block.cacheControl = { type: "ephemeral" };
        if (before !== undefined) block.beforeMessage = before;
        return block;
      })
      .sort((a, b) => (a.beforeMessage ?? -1) - (b.beforeMessage ?? -1))
  );

const schemaPropertyArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ type: "string" }),
  fc.record({ type: fc.constant("string"), enum: fc.uniqueArray(identArb, { minLength: 1, maxLength: 3 }) }),
  fc.constant({ type: "integer", minimum: 0 }),
  fc.constant({ type: "number" }),
  fc.constant({ type: "boolean" }),
  fc.constant({ type: "array", items: { type: "string" } }),
  fc.constant({ type: ["string", "null"] }),
);

/** A JSON Schema for an arguments object. */
export const parametersArb: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(identArb, schemaPropertyArb, {
  maxKeys: 3,
}).chain((properties) =>
  fc.record({
    required: fc.subarray(Object.keys(properties)),
    additional: fc.option(fc.boolean(), { nil: undefined }),
  }).map(({ required, additional }) => {
    const schema: Record<string, unknown> = { type: "object", properties };
    if (required.length > 0) schema.required = required;
    if (additional !== undefined) schema.additionalProperties = additional;
    return schema;
  })
);

export const toolsArb: fc.Arbitrary<FunctionTool[]> = fc.uniqueArray(identArb, { minLength: 1, maxLength: 3 }).chain((
  names,
) =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        description: fc.option(nonEmptyTextArb, { nil: undefined }),
        parameters: parametersArb,
        strict: fc.option(fc.boolean(), { nil: undefined }),
        cache: fc.boolean(),
      }).map(({ description, parameters, strict, cache }): FunctionTool => {
        const tool: FunctionTool = { type: "function", name, parameters };
        if (description !== undefined) tool.description = description;
        if (strict !== undefined) tool.strict = strict;
        if (cache) tool.cacheControl = { type: "ephemeral" };
        return tool;
      })
    ),
  )
);

const toolChoiceArb = (names: string[]): fc.Arbitrary<ToolChoice> =>
  fc.oneof(
    fc.constantFrom<ToolChoice>({ type: "auto" }, { type: "none" }, { type: "required" }),
    fc.constantFrom(...names).map((name): ToolChoice => ({ type: "tool", name })),
  );

export const reasoningArb: fc.Arbitrary<ReasoningConfig> = fc.record({
  enabled: fc.boolean(),
  effort: fc.option(fc.constantFrom("minimal", "low", "medium", "high") as fc.Arbitrary<ReasoningConfig["effort"]>, {
    nil: undefined,
  }),
  budgetTokens: fc.option(fc.integer({ min: 1024, max: 40000 }), { nil: undefined }),
  includeThoughts: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ["enabled"] }).map((r) => JSON.parse(JSON.stringify(r)) as ReasoningConfig);

export const responseFormatArb: fc.Arbitrary<ResponseFormat> = fc.oneof(
  fc.constantFrom<ResponseFormat>({ type: "text" }, { type: "json_object" }),
  fc.record({
    name: identArb,
    schema: parametersArb,
    strict: fc.option(fc.boolean(), { nil: undefined }),
    description: fc.option(nonEmptyTextArb, { nil: undefined }),
  }).map(({ name, schema, strict, description }): ResponseFormat => {
    const f: ResponseFormat = { type: "json_schema", name, schema };
    if (strict !== undefined) f.strict = strict;
    if (description !== undefined) f.description = description;
    return f;
  }),
);

const unit = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((n) => n / 100);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A canonical chat request. Optional scalar fields are absent (never `undefined`-valued) when not drawn. */
export const chatRequestArb: fc.Arbitrary<ChatRequest> = fc.option(toolsArb, { nil: undefined }).chain((tools) => {
  const names = (tools ?? []).map((t) => t.name);
  return messagesArb(names).chain((messages) =>
    fc.record({
      model: identArb,
      system: systemArb(messages.length),
      toolChoice: names.length > 0 ? opt(toolChoiceArb(names)) : fc.constant(undefined),
      parallelToolCalls: names.length > 0 ? opt(fc.boolean()) : fc.constant(undefined),
      maxTokens: opt(fc.integer({ min: 1, max: 64000 })),
      temperature: opt(unit(1)),
      topP: opt(unit(1)),
      topK: opt(fc.integer({ min: 1, max: 100 })),
      stop: opt(fc.array(nonEmptyTextArb, { minLength: 1, maxLength: 4 })),
      seed: opt(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
      frequencyPenalty: opt(unit(2)),
      presencePenalty: opt(unit(2)),
      stream: fc.boolean(),
      reasoning: opt(reasoningArb),
      responseFormat: opt(responseFormatArb),
      user: opt(identArb),
    }).map((fields): ChatRequest => {
      const req = { ...fields, messages, hints: {} } as ChatRequest;
      if (tools !== undefined) req.tools = tools;
      for (const key of Object.keys(req) as Array<keyof ChatRequest>) if (req[key] === undefined) delete req[key];
      return req;
    })
  );
});

const stopReasonArb: fc.Arbitrary<StopReason> = fc.constantFrom(
  "end_turn",
  "max_tokens",
  "tool_use",
  "stop_sequence",
  "content_filter",
  "refusal",
);

export const usageArb: fc.Arbitrary<Usage> = fc.record({
  inputTokens: fc.integer({ min: 0, max: 100000 }),
  outputTokens: fc.integer({ min: 0, max: 100000 }),
  cached: opt(fc.integer({ min: 0, max: 100 })),
  written: opt(fc.integer({ min: 0, max: 100 })),
  reasoning: opt(fc.integer({ min: 0, max: 100 })),
}).map(({ inputTokens, outputTokens, cached, written, reasoning }) => {
  // Cached/written input and reasoning output are included in the totals, so totals are at least their sum.
  const u: Usage = {
    inputTokens: inputTokens + (cached ?? 0) + (written ?? 0),
    outputTokens: outputTokens + (reasoning ?? 0),
  };
  if (cached !== undefined) u.cachedInputTokens = cached;
  if (written !== undefined) u.cacheWriteTokens = written;
  if (reasoning !== undefined) u.reasoningTokens = reasoning;
  return u;
});

/** Parts a model answer can hold: text, thinking (signed by any vendor), redacted thinking and tool calls. */
export const responseContentArb: fc.Arbitrary<ContentPart[]> = fc.array(
  assistantPartArb([]),
  { maxLength: 5 },
).map((parts) =>
  // cache_control is a request-side hint: answers never carry it.
  linkToolResults([{ role: "assistant", content: parts }])[0].content.map((p) =>
    p.type === "text" ? { type: "text", text: p.text } : p
  )
);

export const chatResponseArb: fc.Arbitrary<ChatResponse> = fc.record({
  id: fc.stringMatching(/^(resp|msg|chatcmpl)_[A-Za-z0-9]{1,16}$/),
  model: identArb,
  created: fc.integer({ min: 0, max: 2_000_000_000 }),
  content: responseContentArb,
  stopReason: stopReasonArb,
  stopSequence: opt(nonEmptyTextArb),
  usage: usageArb,
}).map((r) => {
  const res = { ...r } as ChatResponse;
  if (res.stopSequence === undefined || res.stopReason !== "stop_sequence") delete res.stopSequence;
  return res;
});

/** What a stream should convey for one block, used to build the event sequence and to check the decoded one. */
export type StreamBlock =
  | { kind: "text"; chunks: string[] }
  | { kind: "thinking"; chunks: string[]; signature?: string }
  | { kind: "tool_call"; id: string; name: string; chunks: string[] };

export interface StreamScript {
  id: string;
  model: string;
  created: number;
  blocks: StreamBlock[];
  stopReason: StopReason;
  stopSequence?: string;
  usage: Usage;
}

/** Splits text into 1..n chunks at random points (never empty chunks unless the text is empty). */
const chunksOf = (text: string): fc.Arbitrary<string[]> =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) }), { maxLength: 3 }).map((cuts) => {
    const points = [0, ...cuts.filter((c) => c < text.length).sort((a, b) => a - b), text.length];
    const out: string[] = [];
    for (let i = 1; i < points.length; i++) {
      if (points[i] > points[i - 1]) out.push(text.slice(points[i - 1], points[i]));
    }
    return out;
  });

const streamBlockArb: fc.Arbitrary<StreamBlock> = fc.oneof(
  { weight: 3, arbitrary: nonEmptyTextArb.chain(chunksOf).map((chunks): StreamBlock => ({ kind: "text", chunks })) },
  {
    weight: 2,
    arbitrary: fc.tuple(nonEmptyTextArb.chain(chunksOf), opt(signatureArb)).map(([chunks, signature]): StreamBlock =>
      signature === undefined ? { kind: "thinking", chunks } : { kind: "thinking", chunks, signature }
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      id: fc.stringMatching(/^call_[A-Za-z0-9]{1,12}$/),
      name: identArb,
      chunks: argumentsArb.chain(chunksOf),
    }).map(({ id, name, chunks }): StreamBlock => ({ kind: "tool_call", id, name, chunks })),
  },
);

export const streamScriptArb: fc.Arbitrary<StreamScript> = fc.record({
  id: fc.stringMatching(/^(resp|msg|chatcmpl)_[A-Za-z0-9]{1,16}$/),
  model: identArb,
  created: fc.integer({ min: 0, max: 2_000_000_000 }),
  blocks: fc.array(streamBlockArb, { minLength: 1, maxLength: 5 }),
  stopReason: stopReasonArb,
  stopSequence: nonEmptyTextArb,
  usage: usageArb,
}).map(({ stopSequence, ...s }) => ({
  ...(s.stopReason === "stop_sequence" ? { stopSequence } : {}),
  ...s,
  // Call ids unique within the message.
  blocks: s.blocks.map((b, i) => b.kind === "tool_call" ? { ...b, id: `${b.id}_${i}` } : b),
}));

/** The canonical events for a script: blocks one after another, then usage, then the stop. */
export function scriptEvents(script: StreamScript): StreamEvent[] {
  const events: StreamEvent[] = [{
    type: "message_start",
    id: script.id,
    model: script.model,
    created: script.created,
  }];
  script.blocks.forEach((block, index) => {
    if (block.kind === "text") {
      events.push({ type: "text_start", index });
      for (const text of block.chunks) events.push({ type: "text_delta", index, text });
    } else if (block.kind === "thinking") {
      events.push({ type: "thinking_start", index });
      for (const text of block.chunks) events.push({ type: "thinking_delta", index, text });
      if (block.signature !== undefined) events.push({ type: "thinking_signature", index, signature: block.signature });
    } else {
      events.push({ type: "tool_call_start", index, id: block.id, name: block.name });
      for (const args of block.chunks) events.push({ type: "tool_call_delta", index, arguments: args });
    }
    events.push({ type: "block_stop", index });
  });
  events.push({ type: "ping" }, { type: "usage", usage: script.usage });
  const stop: StreamEvent = { type: "message_stop", stopReason: script.stopReason };
  if (script.stopSequence !== undefined) stop.stopSequence = script.stopSequence;
  events.push(stop);
  return events;
}
