/** @module Canonical ChatRequest → Anthropic Messages request body. */
import type { ChatRequest, ContentPart, Encoded, Message, Tool } from "../../core/canonical.ts";
import type { EncodeRequestOptions } from "../../core/codec.ts";
import { GatewayError } from "../../core/errors.ts";
import { budgetForEffort } from "../../core/reasoning.ts";
import {
  type BlockCacheControl,
  HINT_BLOCK_CACHE_CONTROL,
  HINT_RAW_BLOCKS,
  HINT_THINKING_DISPLAY,
  HINT_THINKING_TYPE,
  PASSTHROUGH_FIELDS,
  type RawBlock,
  readBlockCacheControls,
  readRawBlocks,
  TOOL_EXTRA_FIELDS,
} from "./hints.ts";
import { isObject, type JsonObject } from "./schema.ts";

/** Anthropic requires `max_tokens`; used when the client gave none and no thinking budget needs more. */
export const DEFAULT_MAX_TOKENS = 4096;
/** Anthropic: `budget_tokens` must be ≥ 1024 and < `max_tokens`. */
export const MIN_THINKING_BUDGET = 1024;
/** Ceiling for a max_tokens we invent around a thinking budget: every thinking-capable Claude allows 32000. */
export const DEFAULT_MAX_TOKENS_WITH_THINKING = 32000;

const SERVICE_TIERS: ReadonlySet<unknown> = new Set(["auto", "standard_only"]);
const THINKING_DISPLAYS: ReadonlySet<unknown> = new Set(["summarized", "omitted"]);
const THINKING_KINDS: ReadonlySet<unknown> = new Set(["adaptive", "between_tools"]);
/** Hint keys this encoder consumes itself (never reported as dropped). */
const OWN_HINTS: ReadonlySet<string> = new Set([
  HINT_THINKING_DISPLAY,
  HINT_THINKING_TYPE,
  HINT_BLOCK_CACHE_CONTROL,
  HINT_RAW_BLOCKS,
  "output_config",
  ...TOOL_EXTRA_FIELDS,
]);

function refuse(feature: string, param?: string): never {
  throw new GatewayError("invalid_request", `Anthropic cannot express ${feature}`, { param: param ?? null });
}

/** Encodes a canonical request for an Anthropic upstream; refuses what Anthropic cannot take. */
export function encodeRequest(req: ChatRequest, options: EncodeRequestOptions): Encoded<Record<string, unknown>> {
  const dropped: string[] = [];
  const drop = (name: string): void => {
    if (!dropped.includes(name)) dropped.push(name);
  };
  const body: Record<string, unknown> = { model: options.model };

  // Empty text blocks are rejected by Anthropic and say nothing.
  const system = req.system.filter((b) => b.text !== "");
  if (system.length === 1 && system[0].cacheControl === undefined) body.system = system[0].text;
  else if (system.length > 0) {
    body.system = system.map((b) => withCache({ type: "text", text: b.text }, b.cacheControl));
  }
  body.messages = encodeMessages(req, drop);

  const thinking = encodeThinking(req, drop);
  body.max_tokens = thinking.maxTokens;
  if (thinking.config !== undefined) body.thinking = thinking.config;
  const thinkingOn = thinking.config !== undefined && thinking.config.type !== "disabled";

  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop;
  // Anthropic rejects temperature/top_k changes while thinking (extended thinking docs); they are only hints.
  if (req.temperature !== undefined) {
    if (thinkingOn && req.temperature !== 1) drop("temperature");
    else body.temperature = req.temperature;
  }
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) {
    if (thinkingOn) drop("top_k");
    else body.top_k = req.topK;
  }
  if (req.seed !== undefined) drop("seed");
  if (req.frequencyPenalty !== undefined) drop("frequency_penalty");
  if (req.presencePenalty !== undefined) drop("presence_penalty");
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;

  if (req.tools !== undefined && req.tools.length > 0) {
    const tools = encodeTools(req.tools, req.hints, drop);
    if (tools.length > 0) body.tools = tools;
  }
  const toolChoice = encodeToolChoice(req);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;

  const outputConfig = encodeOutputConfig(req, drop);
  if (outputConfig !== undefined) body.output_config = outputConfig;

  for (const [key, value] of Object.entries(req.hints)) {
    if (value === undefined || OWN_HINTS.has(key)) continue;
    if (passthroughAllowed(key, value)) body[key] = value;
    else drop(key);
  }
  return { body, dropped };
}

/** Whether a hint is an Anthropic field Anthropic will accept in this shape (names shared with other formats are checked). */
function passthroughAllowed(key: string, value: unknown): boolean {
  if (key === "service_tier") return SERVICE_TIERS.has(value);
  // OpenAI Responses also has a `context_management`, but as an array.
  if (key === "context_management") return isObject(value);
  return PASSTHROUGH_FIELDS.has(key);
}

function withCache(block: JsonObject, cacheControl: Record<string, unknown> | undefined): JsonObject {
  return cacheControl === undefined ? block : { ...block, cache_control: cacheControl };
}

interface WireMessage {
  role: "user" | "assistant";
  content: JsonObject[];
}

function encodeMessages(req: ChatRequest, drop: (name: string) => void): Array<Record<string, unknown>> {
  const cacheControls = readBlockCacheControls(req.hints);
  const rawBlocks = readRawBlocks(req.hints);
  const out: WireMessage[] = [];
  req.messages.forEach((msg, i) => {
    const blocks = encodeParts(msg, i, {
      drop,
      cacheControls: cacheControls.filter((c) => c.message === i),
      rawBlocks: rawBlocks.filter((r) => r.message === i),
    });
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    // Anthropic requires alternating roles: consecutive same-role turns are merged.
    if (last !== undefined && last.role === msg.role) last.content.push(...blocks);
    else out.push({ role: msg.role, content: blocks });
  });
  return out.map((m) => {
    // A user turn answering tool calls must start with its tool_result blocks (Anthropic tool-use docs).
    const content = m.role === "user"
      ? [...m.content.filter((b) => b.type === "tool_result"), ...m.content.filter((b) => b.type !== "tool_result")]
      : m.content;
    const only = content[0];
    if (content.length === 1 && only.type === "text" && only.cache_control === undefined) {
      return { role: m.role, content: only.text };
    }
    return { role: m.role, content };
  });
}

interface PartContext {
  drop: (name: string) => void;
  cacheControls: BlockCacheControl[];
  rawBlocks: RawBlock[];
}

function encodeParts(msg: Message, messageIndex: number, ctx: PartContext): JsonObject[] {
  const blocks: JsonObject[] = [];
  const rawBefore = (before: number): void => {
    for (const r of ctx.rawBlocks) if (r.part === undefined && r.before === before) blocks.push(r.block);
  };
  msg.content.forEach((part, j) => {
    rawBefore(j);
    const path = `messages[${messageIndex}].content[${j}]`;
    let block = encodePart(part, msg.role, path, ctx);
    if (block === undefined) return;
    if (part.type === "tool_result") block = withRawInner(block, j, ctx.rawBlocks);
    const cache = ctx.cacheControls.find((c) => c.part === j && c.type === part.type);
    blocks.push(cache === undefined ? block : { ...block, cache_control: cache.cache_control });
  });
  rawBefore(msg.content.length);
  return blocks;
}

function encodePart(part: ContentPart, role: Message["role"], path: string, ctx: PartContext): JsonObject | undefined {
  switch (part.type) {
    case "text":
      // Anthropic rejects empty text blocks; an empty part carries nothing.
      if (part.text === "" && part.cacheControl === undefined) return undefined;
      return withCache({ type: "text", text: part.text }, part.cacheControl);
    case "image":
      return encodeImage(part.source, path, ctx);
    case "file":
      return encodeFile(part, path);
    case "tool_call": {
      if (role !== "assistant") refuse("a tool call in a user turn", path);
      return { type: "tool_use", id: part.id, name: part.name, input: parseArguments(part.arguments, path) };
    }
    case "tool_result": {
      if (role !== "user") refuse("a tool result in an assistant turn", path);
      const block: JsonObject = { type: "tool_result", tool_use_id: part.callId };
      const content = part.content.map((c) =>
        c.type === "text" ? encodePart(c, role, path, ctx) : encodeImage(c.source, path, ctx)
      )
        .filter((b): b is JsonObject => b !== undefined);
      const only = part.content[0];
      if (part.content.length === 1 && only.type === "text" && only.cacheControl === undefined) {
        block.content = only.text;
      } else if (content.length > 0) block.content = content;
      if (part.isError !== undefined) block.is_error = part.isError;
      return block;
    }
    case "thinking": {
      // Anthropic verifies signatures: thinking without an Anthropic one would be rejected, so it is dropped.
      const signed = part.signature !== undefined && part.signature !== "" &&
        (part.signatureFormat === undefined || part.signatureFormat === "anthropic");
      if (role !== "assistant" || !signed) {
        ctx.drop("thinking");
        return undefined;
      }
      return { type: "thinking", thinking: part.text, signature: part.signature };
    }
    case "redacted_thinking":
      return { type: "redacted_thinking", data: part.data };
  }
}

function withRawInner(block: JsonObject, partIndex: number, rawBlocks: RawBlock[]): JsonObject {
  const inner = rawBlocks.filter((r) => r.part === partIndex);
  if (inner.length === 0) return block;
  const content: JsonObject[] = typeof block.content === "string"
    ? [{ type: "text", text: block.content }]
    : Array.isArray(block.content)
    ? [...block.content]
    : [];
  // Insert from the back so earlier positions stay valid.
  for (const r of [...inner].sort((a, b) => b.before - a.before)) content.splice(r.before, 0, r.block);
  return { ...block, content };
}

function parseArguments(args: string, path: string): JsonObject {
  if (args.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    refuse("tool call arguments that are not valid JSON", path);
  }
  if (!isObject(value)) refuse("tool call arguments that are not a JSON object", path);
  return value;
}

function encodeImage(
  source: Extract<ContentPart, { type: "image" }>["source"],
  path: string,
  ctx: PartContext,
): JsonObject {
  if (source.detail !== undefined) ctx.drop("detail");
  if (source.kind === "base64") {
    return { type: "image", source: { type: "base64", media_type: source.mediaType, data: source.data } };
  }
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl !== null) {
    return { type: "image", source: { type: "base64", media_type: dataUrl[1], data: dataUrl[2] } };
  }
  if (source.url.startsWith("data:")) refuse("a non-base64 data URL image", path);
  return { type: "image", source: { type: "url", url: source.url } };
}

function encodeFile(part: Extract<ContentPart, { type: "file" }>, path: string): JsonObject {
  const title = part.filename === undefined ? {} : { title: part.filename };
  if (part.mediaType.startsWith("image/") && part.data !== undefined) {
    return { type: "image", source: { type: "base64", media_type: part.mediaType, data: part.data } };
  }
  if (part.mediaType === "application/pdf") {
    if (part.url !== undefined) return { type: "document", source: { type: "url", url: part.url }, ...title };
    if (part.data !== undefined) {
      return { type: "document", source: { type: "base64", media_type: part.mediaType, data: part.data }, ...title };
    }
  }
  if (part.mediaType === "text/plain" && part.data !== undefined) {
    return {
      type: "document",
      source: { type: "text", media_type: "text/plain", data: base64ToUtf8(part.data, path) },
      ...title,
    };
  }
  refuse(`a ${part.mediaType} file (documents must be PDF or plain text)`, path);
}

function base64ToUtf8(data: string, path: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  } catch {
    refuse("a text file whose data is not base64", path);
  }
}

function encodeTools(tools: Tool[], hints: Record<string, unknown>, drop: (name: string) => void): JsonObject[] {
  const out: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.type === "hosted") {
      if (tool.format === "anthropic") out.push(tool.raw);
      else drop(`tools[${String(tool.raw.name ?? tool.raw.type ?? "hosted")}]`);
      continue;
    }
    // Anthropic requires input_schema.type "object"; other formats allow an empty schema.
    const schema = typeof tool.parameters.type === "string" ? tool.parameters : { type: "object", ...tool.parameters };
    const wire: JsonObject = { name: tool.name };
    if (tool.description !== undefined) wire.description = tool.description;
    wire.input_schema = schema;
    if (tool.strict !== undefined) wire.strict = tool.strict;
    if (tool.cacheControl !== undefined) wire.cache_control = tool.cacheControl;
    for (const field of TOOL_EXTRA_FIELDS) {
      const perTool = hints[field];
      if (isObject(perTool) && perTool[tool.name] !== undefined) wire[field] = perTool[tool.name];
    }
    out.push(wire);
  }
  return out;
}

function encodeToolChoice(req: ChatRequest): JsonObject | undefined {
  const choice = req.toolChoice;
  let wire: JsonObject | undefined;
  if (choice?.type === "required") wire = { type: "any" };
  else if (choice?.type === "tool") wire = { type: "tool", name: choice.name };
  else if (choice !== undefined) wire = { type: choice.type };
  // `disable_parallel_tool_use` lives inside tool_choice (not on `none`).
  if (req.parallelToolCalls !== undefined && wire?.type !== "none") {
    if (wire === undefined && req.parallelToolCalls) return undefined;
    wire = { ...(wire ?? { type: "auto" }), disable_parallel_tool_use: !req.parallelToolCalls };
  }
  return wire;
}

interface ThinkingPlan {
  maxTokens: number;
  config?: JsonObject;
}

/**
 * `thinking` plus the `max_tokens` it needs (Anthropic: 1024 ≤ budget_tokens < max_tokens). Budgets are raised to
 * 1024. A budget that does not fit under the client's max_tokens gets half of it (the client's cap is a cost limit,
 * and the other half leaves room for the answer); when half is under 1024, max_tokens grows by 1024 instead.
 * Without a client max_tokens: budget + 4096, capped at 32000 (what every thinking-capable Claude accepts).
 */
function encodeThinking(req: ChatRequest, drop: (name: string) => void): ThinkingPlan {
  const r = req.reasoning;
  const forced = req.toolChoice?.type === "required" || req.toolChoice?.type === "tool";
  if (r === undefined) return { maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS };
  if (!r.enabled) return { maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, config: { type: "disabled" } };
  if (forced) {
    // Anthropic: "Thinking may not be enabled when tool_choice forces tool use." The forced call wins.
    drop("thinking");
    return { maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS };
  }
  const display = req.hints[HINT_THINKING_DISPLAY];
  const extra = THINKING_DISPLAYS.has(display) ? { display } : {};
  const kind = req.hints[HINT_THINKING_TYPE];
  if (r.budgetTokens === undefined && THINKING_KINDS.has(kind)) {
    return { maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, config: { type: kind, ...extra } };
  }
  let budget = Math.max(MIN_THINKING_BUDGET, r.budgetTokens ?? budgetForEffort(r.effort ?? "medium"));
  let maxTokens: number;
  if (req.maxTokens !== undefined) {
    maxTokens = req.maxTokens;
    if (budget >= maxTokens) {
      budget = Math.floor(maxTokens / 2);
      if (budget < MIN_THINKING_BUDGET) {
        budget = MIN_THINKING_BUDGET;
        maxTokens += MIN_THINKING_BUDGET;
      }
    }
  } else {
    maxTokens = Math.min(budget + DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS_WITH_THINKING);
    budget = Math.min(budget, maxTokens - DEFAULT_MAX_TOKENS);
  }
  return { maxTokens, config: { type: "enabled", budget_tokens: budget, ...extra } };
}

/** `output_config`: the client's own Anthropic settings (effort…) plus a JSON-schema format. */
function encodeOutputConfig(req: ChatRequest, drop: (name: string) => void): JsonObject | undefined {
  const base = isObject(req.hints.output_config) ? { ...req.hints.output_config } : {};
  const format = req.responseFormat;
  if (format?.type === "json_object") {
    // Structured outputs need a schema; "any JSON object" has no faithful Anthropic form.
    refuse("response_format json_object (send a json_schema instead)", "response_format");
  }
  if (format?.type === "json_schema") {
    base.format = { type: "json_schema", schema: format.schema };
    if (format.description !== undefined) drop("response_format.description");
  }
  return Object.keys(base).length > 0 ? base : undefined;
}
