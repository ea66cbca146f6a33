/** @module Canonical ChatRequest → OpenAI Chat Completions request (for OpenAI-compatible upstreams). */
import type {
  ChatRequest,
  ContentPart,
  Encoded,
  FilePart,
  ImagePart,
  Message,
  SystemBlock,
  TextPart,
  Tool,
  ToolResultPart,
} from "../../core/canonical.ts";
import type { EncodeRequestOptions } from "../../core/codec.ts";
import { effortForBudget } from "../../core/reasoning.ts";
import { refuse } from "./schema.ts";

type WireMessage = Record<string, unknown>;
type Path = PropertyKey[];

/** Collects dropped wire names once each, in the order they were met. */
interface DropList {
  add(name: string): void;
  list: string[];
}

function dropList(): DropList {
  const list: string[] = [];
  return { list, add: (name) => void (list.includes(name) ? undefined : list.push(name)) };
}

const AUDIO_FORMATS: Readonly<Record<string, string>> = {
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
};

function imageUrl(part: ImagePart): Record<string, unknown> {
  const src = part.source;
  const url = src.kind === "url" ? src.url : `data:${src.mediaType};base64,${src.data}`;
  const image: Record<string, unknown> = { url };
  if (src.detail !== undefined) image.detail = src.detail;
  return { type: "image_url", image_url: image };
}

function filePart(part: FilePart, path: Path): Record<string, unknown> {
  if (part.mediaType.startsWith("audio/")) {
    const format = AUDIO_FORMATS[part.mediaType];
    if (format === undefined || part.data === undefined) {
      refuse(path, `audio input must be inline wav or mp3 for an OpenAI-format upstream (got ${part.mediaType})`);
    }
    return { type: "input_audio", input_audio: { data: part.data, format } };
  }
  if (part.data === undefined) {
    // Chat Completions file parts take inline data or an OpenAI file id, never a URL.
    refuse(path, `file inputs by URL (${part.mediaType}) cannot be sent to an OpenAI-format upstream`);
  }
  const file: Record<string, unknown> = { file_data: `data:${part.mediaType};base64,${part.data}` };
  if (part.filename !== undefined) file.filename = part.filename;
  return { type: "file", file };
}

function textPart(part: TextPart, drops: DropList): Record<string, unknown> {
  if (part.cacheControl !== undefined) drops.add("cache_control");
  return { type: "text", text: part.text };
}

/** Text-only part lists collapse to a string, which every OpenAI-compatible provider accepts. */
function compact(parts: Array<Record<string, unknown>>): string | Array<Record<string, unknown>> {
  if (parts.length === 1 && parts[0].type === "text") return parts[0].text as string;
  return parts;
}

/**
 * A canonical user turn → wire messages. Tool results come first, one `tool` message each in order (OpenAI
 * requires them right after the assistant's tool_calls). A `tool` message takes only text, so images a tool
 * returned follow in one `user` message, each labelled with its call id; the turn's own user content is
 * appended to that same user message.
 */
function encodeUserTurn(message: Message, i: number, drops: DropList): WireMessage[] {
  const out: WireMessage[] = [];
  const userParts: Array<Record<string, unknown>> = [];
  const toolImages: Array<Record<string, unknown>> = [];
  message.content.forEach((part, j) => {
    const path: Path = ["messages", i, "content", j];
    switch (part.type) {
      case "text":
        userParts.push(textPart(part, drops));
        break;
      case "image":
        userParts.push(imageUrl(part));
        break;
      case "file":
        userParts.push(filePart(part, path));
        break;
      case "tool_result":
        out.push(encodeToolResult(part, toolImages, drops));
        break;
      default:
        refuse(path, `a user turn cannot hold a ${part.type} part`);
    }
  });
  const parts = [...toolImages, ...userParts];
  if (parts.length > 0) out.push({ role: "user", content: compact(parts) });
  return out;
}

function encodeToolResult(
  part: ToolResultPart,
  toolImages: Array<Record<string, unknown>>,
  drops: DropList,
): WireMessage {
  const texts = part.content.filter((p): p is TextPart => p.type === "text");
  const images = part.content.filter((p): p is ImagePart => p.type === "image");
  if (images.length > 0) {
    toolImages.push({ type: "text", text: `Image output of tool call ${part.callId}:` });
    for (const image of images) toolImages.push(imageUrl(image));
  }
  let content: string | Array<Record<string, unknown>>;
  if (texts.length === 0) content = images.length > 0 ? "(image output follows in the next message)" : "";
  else content = compact(texts.map((t) => textPart(t, drops)));
  // Chat has no error flag on tool results: say it in the text so the model still knows the call failed.
  if (part.isError === true) {
    content = typeof content === "string" ? `Error: ${content}` : [{ type: "text", text: "Error:" }, ...content];
  }
  return { role: "tool", tool_call_id: part.callId, content };
}

/**
 * A canonical assistant turn → one wire message. Thinking without another vendor's signature goes back as
 * `reasoning_content` (DeepSeek's thinking-with-tools needs it); a foreign signature or redacted thinking is
 * meaningless to this upstream and is dropped (named `thinking` / `redacted_thinking`).
 */
function encodeAssistantTurn(message: Message, i: number, drops: DropList): WireMessage {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  message.content.forEach((part: ContentPart, j) => {
    switch (part.type) {
      case "text":
        if (part.cacheControl !== undefined) drops.add("cache_control");
        texts.push(part.text);
        break;
      case "thinking":
        if (part.signature !== undefined && part.signatureFormat !== undefined && part.signatureFormat !== "openai") {
          drops.add("thinking");
        } else reasoning.push(part.text);
        break;
      case "redacted_thinking":
        drops.add("redacted_thinking");
        break;
      case "tool_call":
        toolCalls.push({ id: part.id, type: "function", function: { name: part.name, arguments: part.arguments } });
        break;
      default:
        refuse(["messages", i, "content", j], `an assistant turn cannot hold a ${part.type} part for OpenAI`);
    }
  });
  // Separate text blocks (e.g. around citations) are one continuous answer: joined without a separator.
  const wire: WireMessage = {
    role: "assistant",
    content: texts.length > 0 ? texts.join("") : toolCalls.length > 0 ? null : "",
  };
  if (reasoning.length > 0) wire.reasoning_content = reasoning.join("");
  if (toolCalls.length > 0) wire.tool_calls = toolCalls;
  return wire;
}

function systemMessage(block: SystemBlock, drops: DropList): WireMessage {
  if (block.cacheControl !== undefined) drops.add("cache_control");
  return { role: block.role, content: block.text };
}

/** Interleaves system blocks at their recorded positions (leading ones first) with the encoded turns. */
function encodeMessages(req: ChatRequest, drops: DropList): WireMessage[] {
  const out: WireMessage[] = [];
  const n = req.messages.length;
  for (const block of req.system) if (block.beforeMessage === undefined) out.push(systemMessage(block, drops));
  req.messages.forEach((message, i) => {
    for (const block of req.system) if (block.beforeMessage === i) out.push(systemMessage(block, drops));
    if (message.role === "user") out.push(...encodeUserTurn(message, i, drops));
    else out.push(encodeAssistantTurn(message, i, drops));
  });
  for (const block of req.system) {
    if (block.beforeMessage !== undefined && block.beforeMessage >= n) out.push(systemMessage(block, drops));
  }
  return out;
}

function encodeTools(tools: Tool[], drops: DropList): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const tool of tools) {
    if (tool.type === "hosted") {
      if (tool.format === "openai") out.push(tool.raw);
      else drops.add(`tools[${String(tool.raw.type ?? tool.raw.name ?? "hosted")}]`);
      continue;
    }
    if (tool.cacheControl !== undefined) drops.add("cache_control");
    const fn: Record<string, unknown> = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    fn.parameters = tool.parameters;
    if (tool.strict !== undefined) fn.strict = tool.strict;
    out.push({ type: "function", function: fn });
  }
  return out;
}

/**
 * Encodes a canonical request for an OpenAI-compatible upstream.
 * - `max_tokens` unless reasoning is on, then `max_completion_tokens`: many compatible providers (DeepSeek,
 *   Groq, Mistral, …) only know `max_tokens`, while OpenAI's reasoning models refuse it.
 * - A stream always asks for `stream_options.include_usage`, so usage is never reported as 0.
 * - `top_k` is not a Chat Completions parameter (api.openai.com refuses it): dropped and named.
 * - Every hint is dropped and named: same-format traffic is passed through raw, so hints here come from
 *   other formats and may not mean the same thing to a Chat upstream.
 */
export function encodeRequest(req: ChatRequest, options: EncodeRequestOptions): Encoded<Record<string, unknown>> {
  const drops = dropList();
  const body: Record<string, unknown> = { model: options.model, messages: encodeMessages(req, drops) };

  const tools = encodeTools(req.tools ?? [], drops);
  if (tools.length > 0) {
    body.tools = tools;
    const choice = req.toolChoice;
    if (choice !== undefined) {
      body.tool_choice = choice.type === "tool" ? { type: "function", function: { name: choice.name } } : choice.type;
    }
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  } else if (req.toolChoice !== undefined && req.toolChoice.type !== "auto" && req.toolChoice.type !== "none") {
    refuse(["tool_choice"], "a tool choice needs at least one tool the upstream can run");
  }

  const reasoningOn = req.reasoning?.enabled === true;
  if (req.maxTokens !== undefined) body[reasoningOn ? "max_completion_tokens" : "max_tokens"] = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) drops.add("top_k");
  if (req.stop !== undefined && req.stop.length > 0) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.reasoning !== undefined) {
    const r = req.reasoning;
    if (!r.enabled) body.reasoning_effort = "none";
    else if (r.effort !== undefined) body.reasoning_effort = r.effort;
    else if (r.budgetTokens !== undefined) body.reasoning_effort = effortForBudget(r.budgetTokens);
  }
  const format = req.responseFormat;
  if (format !== undefined) {
    if (format.type === "json_schema") {
      const js: Record<string, unknown> = { name: format.name };
      if (format.description !== undefined) js.description = format.description;
      js.schema = format.schema;
      if (format.strict !== undefined) js.strict = format.strict;
      body.response_format = { type: "json_schema", json_schema: js };
    } else body.response_format = { type: format.type };
  }
  if (req.user !== undefined) body.user = req.user;
  if (req.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  for (const key of Object.keys(req.hints)) if (key !== "stream_options") drops.add(key);
  return { body, dropped: drops.list };
}
