/** @module Anthropic Messages request → canonical ChatRequest. */
import type {
  ChatRequest,
  ContentPart,
  ImagePart,
  Message,
  ReasoningConfig,
  ResponseFormat,
  SystemBlock,
  TextPart,
  Tool,
  ToolChoice,
} from "../../core/canonical.ts";
import { effortForBudget } from "../../core/reasoning.ts";
import {
  type BlockCacheControl,
  HINT_BLOCK_CACHE_CONTROL,
  HINT_RAW_BLOCKS,
  HINT_THINKING_DISPLAY,
  HINT_THINKING_TYPE,
  type RawBlock,
  TOOL_EXTRA_FIELDS,
} from "./hints.ts";
import {
  CustomTool,
  DocumentBlock,
  ImageBlock,
  invalid,
  isObject,
  type JsonObject,
  MessagesRequest,
  parseRequestPart,
  RedactedThinkingBlock,
  TextBlock,
  ThinkingBlock,
  ToolResultBlock,
  ToolUseBlock,
} from "./schema.ts";
import { effortFromWire, signatureFromClient } from "./thinking.ts";

/** Top-level fields with a canonical home; every other field is kept in `hints` under its own name. */
const CANONICAL_FIELDS: ReadonlySet<string> = new Set([
  "model",
  "messages",
  "system",
  "max_tokens",
  "metadata",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "output_format",
]);

/** Collects per-block details that have no canonical slot while messages are decoded. */
interface BlockSideTable {
  cacheControls: BlockCacheControl[];
  rawBlocks: RawBlock[];
}

/** Decodes a `/v1/messages` body; throws `invalid_request` naming the bad field. */
export function decodeRequest(body: unknown): ChatRequest {
  const wire = parseRequestPart(MessagesRequest, body, []);
  const hints: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire)) {
    if (!CANONICAL_FIELDS.has(key) && value !== undefined) hints[key] = value;
  }

  const system: SystemBlock[] = decodeTopSystem(wire.system);
  const messages: Message[] = [];
  const side: BlockSideTable = { cacheControls: [], rawBlocks: [] };
  wire.messages.forEach((msg, i) => {
    const path = `messages[${i}]`;
    if (msg.role === "system") {
      // Claude Code sends a `system` entry inside `messages` for unknown models: keep it as system text, in place.
      for (const block of systemTexts(msg.content, `${path}.content`)) {
        system.push({ ...block, beforeMessage: messages.length });
      }
      return;
    }
    messages.push({ role: msg.role, content: decodeContent(msg.content, path, messages.length, side) });
  });
  if (side.cacheControls.length > 0) hints[HINT_BLOCK_CACHE_CONTROL] = side.cacheControls;
  if (side.rawBlocks.length > 0) hints[HINT_RAW_BLOCKS] = side.rawBlocks;

  const req: ChatRequest = { model: wire.model, system, messages, stream: wire.stream === true, hints };
  if (wire.max_tokens != null) req.maxTokens = wire.max_tokens;
  if (wire.temperature != null) req.temperature = wire.temperature;
  if (wire.top_p != null) req.topP = wire.top_p;
  if (wire.top_k != null) req.topK = wire.top_k;
  if (wire.stop_sequences != null) req.stop = wire.stop_sequences;
  if (wire.metadata != null) {
    const { user_id, ...rest } = wire.metadata;
    if (typeof user_id === "string") req.user = user_id;
    if (Object.keys(rest).length > 0) hints.metadata = rest;
  }
  if (wire.tools != null) req.tools = decodeTools(wire.tools, hints);
  if (wire.tool_choice != null) {
    const choice = wire.tool_choice;
    req.toolChoice = decodeToolChoice(choice.type, choice.name);
    if (typeof choice.disable_parallel_tool_use === "boolean") {
      req.parallelToolCalls = !choice.disable_parallel_tool_use;
    }
  }
  const reasoning = decodeReasoning(wire, hints);
  if (reasoning !== undefined) req.reasoning = reasoning;
  const format = wire.output_config?.format ?? wire.output_format;
  if (format != null) req.responseFormat = decodeResponseFormat(format.type, format.schema);
  return req;
}

function decodeTopSystem(system: MessagesRequest["system"]): SystemBlock[] {
  if (system == null) return [];
  return systemTexts(system, "system");
}

function systemTexts(content: string | JsonObject[], path: string): SystemBlock[] {
  if (typeof content === "string") return [{ text: content, role: "system" }];
  return content.map((raw, j) => {
    const block = parseRequestPart(TextBlock, raw, [`${path}[${j}]`]);
    const out: SystemBlock = { text: block.text, role: "system" };
    if (block.cache_control != null) out.cacheControl = block.cache_control;
    return out;
  });
}

function decodeContent(
  content: string | JsonObject[],
  path: string,
  messageIndex: number,
  side: BlockSideTable,
): ContentPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  const parts: ContentPart[] = [];
  content.forEach((raw, j) => {
    const blockPath = `${path}.content[${j}]`;
    const part = decodeBlock(raw, blockPath, { messageIndex, partIndex: parts.length, side });
    if (part === undefined) {
      side.rawBlocks.push({ message: messageIndex, before: parts.length, block: raw });
      return;
    }
    const cacheControl = raw.cache_control;
    if (isObject(cacheControl) && part.type !== "text") {
      side.cacheControls.push({
        message: messageIndex,
        part: parts.length,
        type: part.type,
        cache_control: cacheControl,
      });
    }
    parts.push(part);
  });
  return parts;
}

interface BlockContext {
  messageIndex: number;
  partIndex: number;
  side: BlockSideTable;
}

/** One content block → canonical part, or undefined when only Anthropic can hold it (kept raw in hints). */
function decodeBlock(raw: JsonObject, path: string, ctx: BlockContext): ContentPart | undefined {
  switch (raw.type) {
    case "text": {
      const block = parseRequestPart(TextBlock, raw, [path]);
      const part: TextPart = { type: "text", text: block.text };
      if (block.cache_control != null) part.cacheControl = block.cache_control;
      return part;
    }
    case "image":
      return decodeImage(raw, path);
    case "document":
      return decodeDocument(raw, path);
    case "tool_use": {
      const block = parseRequestPart(ToolUseBlock, raw, [path]);
      return { type: "tool_call", id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) };
    }
    case "tool_result":
      return decodeToolResult(raw, path, ctx);
    case "thinking": {
      const block = parseRequestPart(ThinkingBlock, raw, [path]);
      return { type: "thinking", text: block.thinking, ...signatureFromClient(block.signature) };
    }
    case "redacted_thinking":
      return { type: "redacted_thinking", data: parseRequestPart(RedactedThinkingBlock, raw, [path]).data };
    default:
      return undefined;
  }
}

function decodeImage(raw: JsonObject, path: string): ImagePart | undefined {
  const { source } = parseRequestPart(ImageBlock, raw, [path]);
  if (source.type === "base64") {
    if (source.media_type === undefined || source.data === undefined) {
      invalid(`${path}.source`, "base64 image needs media_type and data");
    }
    return { type: "image", source: { kind: "base64", mediaType: source.media_type, data: source.data } };
  }
  if (source.type === "url" && typeof source.url === "string") {
    return { type: "image", source: { kind: "url", url: source.url } };
  }
  return undefined;
}

function decodeDocument(raw: JsonObject, path: string): ContentPart | undefined {
  const block = parseRequestPart(DocumentBlock, raw, [path]);
  const { source } = block;
  const filename = block.title ?? undefined;
  if (source.type === "base64" && typeof source.data === "string" && typeof source.media_type === "string") {
    return { type: "file", mediaType: source.media_type, data: source.data, filename };
  }
  if (source.type === "url" && typeof source.url === "string") {
    return { type: "file", mediaType: "application/pdf", url: source.url, filename };
  }
  if (source.type === "text" && typeof source.data === "string") {
    return { type: "file", mediaType: "text/plain", data: utf8ToBase64(source.data), filename };
  }
  return undefined;
}

function decodeToolResult(raw: JsonObject, path: string, ctx: BlockContext): ContentPart {
  const block = parseRequestPart(ToolResultBlock, raw, [path]);
  const content: Array<TextPart | ImagePart> = [];
  if (typeof block.content === "string") content.push({ type: "text", text: block.content });
  else if (Array.isArray(block.content)) {
    block.content.forEach((inner, k) => {
      const innerPath = `${path}.content[${k}]`;
      const part = inner.type === "text" || inner.type === "image" ? decodeBlock(inner, innerPath, ctx) : undefined;
      if (part?.type === "text" || part?.type === "image") content.push(part);
      else {
        // search_result, document, tool_reference… inside a result: only Anthropic can carry them.
        ctx.side.rawBlocks.push({
          message: ctx.messageIndex,
          part: ctx.partIndex,
          before: content.length,
          block: inner,
        });
      }
    });
  }
  const part: ContentPart = { type: "tool_result", callId: block.tool_use_id, content };
  if (typeof block.is_error === "boolean") part.isError = block.is_error;
  return part;
}

function decodeTools(tools: JsonObject[], hints: Record<string, unknown>): Tool[] {
  return tools.map((raw, i): Tool => {
    if (typeof raw.type === "string" && raw.type !== "custom") return { type: "hosted", format: "anthropic", raw };
    const tool = parseRequestPart(CustomTool, raw, [`tools[${i}]`]);
    const out: Tool = { type: "function", name: tool.name, parameters: tool.input_schema };
    if (tool.description != null) out.description = tool.description;
    if (tool.strict != null) out.strict = tool.strict;
    if (tool.cache_control != null) out.cacheControl = tool.cache_control;
    for (const field of TOOL_EXTRA_FIELDS) {
      if (raw[field] === undefined) continue;
      const perTool = isObject(hints[field]) ? hints[field] : {};
      hints[field] = { ...perTool, [tool.name]: raw[field] };
    }
    return out;
  });
}

function decodeToolChoice(type: "auto" | "any" | "tool" | "none", name: string | undefined): ToolChoice {
  if (type === "tool") {
    if (name === undefined) invalid("tool_choice.name", "required when tool_choice.type is tool");
    return { type: "tool", name };
  }
  return { type: type === "any" ? "required" : type };
}

function decodeReasoning(wire: MessagesRequest, hints: Record<string, unknown>): ReasoningConfig | undefined {
  const rawEffort = wire.output_config?.effort;
  const effort = effortFromWire(rawEffort);
  if (wire.output_config != null) {
    const { format: _format, ...rest } = wire.output_config;
    if (Object.keys(rest).length > 0) hints.output_config = rest;
  }
  const thinking = wire.thinking;
  if (thinking == null) return effort === undefined ? undefined : { enabled: false, effort };
  if (thinking.display != null) hints[HINT_THINKING_DISPLAY] = thinking.display;
  // Anthropic returns thinking text unless `display: "omitted"`; other upstreams (Gemini includeThoughts) must be
  // asked for it explicitly, or the client's thinking blocks arrive empty.
  const shown = thinking.display === "omitted" ? {} : { includeThoughts: true };
  switch (thinking.type) {
    case "enabled": {
      const budget = thinking.budget_tokens;
      if (budget == null) invalid("thinking.budget_tokens", "required when thinking.type is enabled");
      return { enabled: true, budgetTokens: budget, effort: effort ?? effortForBudget(budget), ...shown };
    }
    case "adaptive":
    case "between_tools":
      hints[HINT_THINKING_TYPE] = thinking.type;
      return effort === undefined ? { enabled: true, ...shown } : { enabled: true, effort, ...shown };
    case "disabled":
      return effort === undefined ? { enabled: false } : { enabled: false, effort };
  }
}

function decodeResponseFormat(type: string, schema: JsonObject | undefined): ResponseFormat {
  if (type !== "json_schema" || schema === undefined) {
    invalid("output_config.format", "only {type: json_schema, schema} is supported");
  }
  // Anthropic's format has no name; structured outputs are always enforced, hence strict.
  return { type: "json_schema", name: "response", schema, strict: true };
}

function utf8ToBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
