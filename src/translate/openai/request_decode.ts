/** @module OpenAI Chat Completions request → canonical ChatRequest. */
import type {
  ChatRequest,
  ContentPart,
  FilePart,
  ImagePart,
  ImageSource,
  Message,
  ReasoningConfig,
  ResponseFormat,
  SystemBlock,
  TextPart,
  Tool,
  ToolChoice,
  ToolResultPart,
} from "../../core/canonical.ts";
import {
  AnyPartSchema,
  AssistantMessageSchema,
  FilePartSchema,
  FunctionMessageSchema,
  ImageUrlPartSchema,
  InputAudioPartSchema,
  parseOrThrow,
  RefusalPartSchema,
  refuse,
  RequestSchema,
  SystemMessageSchema,
  TextPartSchema,
  ToolMessageSchema,
  UserMessageSchema,
  type WireRequest,
} from "./schema.ts";
import type { z } from "zod";

type Path = PropertyKey[];
type AnyPart = z.infer<typeof AnyPartSchema>;

/** Request fields the canonical model has no slot for: kept by wire name in `hints`. */
const HINT_FIELDS = [
  "stream_options",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "modalities",
  "audio",
  "prediction",
  "web_search_options",
  "store",
  "metadata",
  "service_tier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "safety_identifier",
  "verbosity",
] as const;

/** Audio formats of `input_audio` ⇄ media types. */
export const AUDIO_MEDIA_TYPES: Readonly<Record<string, string>> = { wav: "audio/wav", mp3: "audio/mpeg" };

/** Splits a `data:<type>;base64,<bytes>` URL; undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*);base64,(.*)$/s.exec(url);
  if (match === null) return undefined;
  return { mediaType: match[1] === "" ? "application/octet-stream" : match[1], data: match[3] };
}

function imageFromUrl(url: string, detail: string | null | undefined, path: Path): ImagePart {
  let source: ImageSource;
  if (url.startsWith("data:")) {
    const parsed = parseDataUrl(url);
    if (parsed === undefined) refuse(path, "a data: image URL must be base64 (data:<type>;base64,<data>)");
    source = { kind: "base64", mediaType: parsed.mediaType, data: parsed.data };
  } else {
    source = { kind: "url", url };
  }
  if (detail !== null && detail !== undefined) source.detail = detail;
  return { type: "image", source };
}

function mediaTypeForFilename(filename: string | undefined): string {
  if (filename?.toLowerCase().endsWith(".pdf")) return "application/pdf";
  return "application/octet-stream";
}

/** One user-side content part (user messages, and images some clients put in tool messages). */
function decodeUserPart(part: AnyPart, path: Path): TextPart | ImagePart | FilePart {
  switch (part.type) {
    case "text":
      return { type: "text", text: parseOrThrow(TextPartSchema, part, path).text };
    case "image_url": {
      const p = parseOrThrow(ImageUrlPartSchema, part, path);
      return imageFromUrl(p.image_url.url, p.image_url.detail, [...path, "image_url", "url"]);
    }
    case "input_audio": {
      const p = parseOrThrow(InputAudioPartSchema, part, path);
      const format = p.input_audio.format;
      return { type: "file", mediaType: AUDIO_MEDIA_TYPES[format] ?? `audio/${format}`, data: p.input_audio.data };
    }
    case "file": {
      const f = parseOrThrow(FilePartSchema, part, path).file;
      if (typeof f.file_data !== "string") {
        // An uploaded-file id only means something to OpenAI's own file store.
        refuse([...path, "file", "file_id"], "uploaded file ids cannot be sent to another provider; send file_data");
      }
      const filename = f.filename ?? undefined;
      const parsed = parseDataUrl(f.file_data);
      const file: FilePart = parsed === undefined
        ? { type: "file", mediaType: mediaTypeForFilename(filename), data: f.file_data }
        : { type: "file", mediaType: parsed.mediaType, data: parsed.data };
      if (filename !== undefined) file.filename = filename;
      return file;
    }
    default:
      return refuse([...path, "type"], `unsupported content part type "${part.type}"`);
  }
}

function decodeUserContent(content: string | AnyPart[], path: Path): Array<TextPart | ImagePart | FilePart> {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part, j) => decodeUserPart(part, [...path, j]));
}

/** System/developer content: a string is one block, an array gives one block per text part. */
function systemTexts(content: string | AnyPart[], path: Path): string[] {
  if (typeof content === "string") return [content];
  return content.map((part, j) => {
    if (part.type !== "text") refuse([...path, j, "type"], "system and developer messages take only text parts");
    return parseOrThrow(TextPartSchema, part, [...path, j]).text;
  });
}

function decodeAssistant(raw: unknown, i: number, path: Path): Message {
  const m = parseOrThrow(AssistantMessageSchema, raw, path);
  if (m.audio !== undefined && m.audio !== null) {
    refuse([...path, "audio"], "a reference to an earlier audio answer cannot be sent to another provider");
  }
  const content: ContentPart[] = [];
  const reasoning = m.reasoning_content ?? m.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") content.push({ type: "thinking", text: reasoning });
  if (typeof m.content === "string") {
    if (m.content !== "") content.push({ type: "text", text: m.content });
  } else if (Array.isArray(m.content)) {
    m.content.forEach((part, j) => {
      const partPath = [...path, "content", j];
      if (part.type === "text") content.push({ type: "text", text: parseOrThrow(TextPartSchema, part, partPath).text });
      else if (part.type === "refusal") {
        content.push({ type: "text", text: parseOrThrow(RefusalPartSchema, part, partPath).refusal });
      } else refuse([...partPath, "type"], `assistant messages take text or refusal parts, not "${part.type}"`);
    });
  }
  // An earlier refusal stays in the history as plain text: no other format has a refusal slot.
  if (typeof m.refusal === "string" && m.refusal !== "") content.push({ type: "text", text: m.refusal });
  (m.tool_calls ?? []).forEach((call, j) => {
    if (call.type !== undefined && call.type !== "function" || call.function === undefined) {
      refuse([...path, "tool_calls", j, "type"], "only function tool calls can be sent to another provider");
    }
    content.push({
      type: "tool_call",
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments ?? "",
    });
  });
  if (m.function_call !== null && m.function_call !== undefined) {
    // Legacy function calls carry no id; the matching `function` message is linked through this derived one.
    content.push({
      type: "tool_call",
      id: legacyCallId(i),
      name: m.function_call.name,
      arguments: m.function_call.arguments ?? "",
    });
  }
  return { role: "assistant", content };
}

function legacyCallId(messageIndex: number): string {
  return `call_fn_${messageIndex}`;
}

function decodeToolResultContent(
  content: string | AnyPart[] | null | undefined,
  path: Path,
): Array<TextPart | ImagePart> {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part, j) => {
    // Tool messages officially take text only; some clients put images there, which canonical can carry.
    if (part.type !== "text" && part.type !== "image_url") {
      refuse([...path, j, "type"], `tool messages take text or image parts, not "${part.type}"`);
    }
    return decodeUserPart(part, [...path, j]) as TextPart | ImagePart;
  });
}

/** Walks `messages`, hoisting system/developer text and folding tool results into user turns. */
function decodeMessages(wire: Array<Record<string, unknown> & { role: string }>): {
  system: SystemBlock[];
  messages: Message[];
} {
  const system: SystemBlock[] = [];
  const messages: Message[] = [];
  /** The open user turn collecting consecutive tool results, if the previous wire message was one. */
  let toolTurn: Message | undefined;
  /** Legacy `function_call` ids by function name, for the `function` role answer. */
  const legacyIds = new Map<string, string>();

  wire.forEach((raw, i) => {
    const path: Path = ["messages", i];
    const role = raw.role;
    if (role !== "tool" && role !== "function") toolTurn = undefined;
    if (role === "system" || role === "developer") {
      const m = parseOrThrow(SystemMessageSchema, raw, path);
      for (const text of systemTexts(m.content, [...path, "content"])) {
        const block: SystemBlock = { text, role: m.role };
        if (messages.length > 0) block.beforeMessage = messages.length;
        system.push(block);
      }
    } else if (role === "user") {
      const m = parseOrThrow(UserMessageSchema, raw, path);
      messages.push({ role: "user", content: decodeUserContent(m.content, [...path, "content"]) });
    } else if (role === "assistant") {
      const message = decodeAssistant(raw, i, path);
      for (const part of message.content) if (part.type === "tool_call") legacyIds.set(part.name, part.id);
      messages.push(message);
    } else if (role === "tool" || role === "function") {
      let result: ToolResultPart;
      if (role === "tool") {
        const m = parseOrThrow(ToolMessageSchema, raw, path);
        result = {
          type: "tool_result",
          callId: m.tool_call_id,
          content: decodeToolResultContent(m.content, [...path, "content"]),
        };
      } else {
        const m = parseOrThrow(FunctionMessageSchema, raw, path);
        result = {
          type: "tool_result",
          callId: legacyIds.get(m.name) ?? legacyCallId(i),
          name: m.name,
          content: typeof m.content === "string" ? [{ type: "text", text: m.content }] : [],
        };
      }
      if (toolTurn === undefined) {
        toolTurn = { role: "user", content: [] };
        messages.push(toolTurn);
      }
      toolTurn.content.push(result);
    } else {
      refuse([...path, "role"], `unknown role "${role}"`);
    }
  });
  return { system, messages };
}

function decodeTools(req: WireRequest): Tool[] | undefined {
  const tools: Tool[] = [];
  (req.tools ?? []).forEach((tool, i) => {
    if (tool.type === "function") {
      if (tool.function === undefined) refuse(["tools", i, "function"], "a function tool needs `function`");
      const f = tool.function;
      const out: Tool = {
        type: "function",
        name: f.name,
        parameters: f.parameters ?? { type: "object", properties: {} },
      };
      if (typeof f.description === "string") out.description = f.description;
      if (typeof f.strict === "boolean") out.strict = f.strict;
      tools.push(out);
    } else if (tool.type === "custom") {
      refuse(["tools", i, "type"], "custom (free-form grammar) tools cannot be sent to another provider");
    } else {
      // A vendor-side tool of an OpenAI-compatible provider: only an OpenAI-format upstream can run it.
      tools.push({ type: "hosted", format: "openai", raw: tool });
    }
  });
  (req.functions ?? []).forEach((f) => {
    const out: Tool = {
      type: "function",
      name: f.name,
      parameters: f.parameters ?? { type: "object", properties: {} },
    };
    if (typeof f.description === "string") out.description = f.description;
    tools.push(out);
  });
  return tools.length > 0 ? tools : undefined;
}

function decodeToolChoice(req: WireRequest, hints: Record<string, unknown>): ToolChoice | undefined {
  const choice = req.tool_choice;
  if (choice !== null && choice !== undefined) {
    if (typeof choice === "string") return { type: choice };
    if (choice.type === "function" && "function" in choice) return { type: "tool", name: choice.function.name };
    if (choice.type === "allowed_tools" && "allowed_tools" in choice) {
      // The allowed subset has no canonical slot: keep the mode, and the full choice as a hint.
      hints.tool_choice = choice;
      return { type: choice.allowed_tools.mode };
    }
    return refuse(["tool_choice"], "custom tool choices cannot be sent to another provider");
  }
  const legacy = req.function_call;
  if (legacy === null || legacy === undefined) return undefined;
  if (typeof legacy === "string") return { type: legacy };
  return { type: "tool", name: legacy.name };
}

/**
 * `reasoning_effort` → ReasoningConfig. `none` disables reasoning; `xhigh`/`max` have no canonical effort
 * and become `high` (the canonical scale tops out there).
 */
function decodeReasoning(effort: WireRequest["reasoning_effort"]): ReasoningConfig | undefined {
  if (effort === null || effort === undefined) return undefined;
  if (effort === "none") return { enabled: false };
  if (effort === "xhigh" || effort === "max") return { enabled: true, effort: "high" };
  return { enabled: true, effort };
}

function decodeResponseFormat(format: WireRequest["response_format"]): ResponseFormat | undefined {
  if (format === null || format === undefined) return undefined;
  if (format.type === "json_schema" && "json_schema" in format) {
    const js = format.json_schema;
    const out: ResponseFormat = { type: "json_schema", name: js.name, schema: js.schema ?? {} };
    if (typeof js.strict === "boolean") out.strict = js.strict;
    if (typeof js.description === "string") out.description = js.description;
    return out;
  }
  return { type: format.type === "json_object" ? "json_object" : "text" };
}

/** Decodes an OpenAI Chat Completions request body; throws `invalid_request` naming the bad field. */
export function decodeRequest(body: unknown): ChatRequest {
  const req = parseOrThrow(RequestSchema, body);
  if (typeof req.n === "number" && req.n > 1) {
    refuse(["n"], "n > 1 (several choices) is not supported when translating to another provider");
  }
  const { system, messages } = decodeMessages(req.messages);
  const hints: Record<string, unknown> = {};
  const out: ChatRequest = { model: req.model, system, messages, stream: req.stream === true, hints };

  const tools = decodeTools(req);
  if (tools !== undefined) out.tools = tools;
  const toolChoice = decodeToolChoice(req, hints);
  if (toolChoice !== undefined) out.toolChoice = toolChoice;
  if (typeof req.parallel_tool_calls === "boolean") out.parallelToolCalls = req.parallel_tool_calls;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === "number") out.maxTokens = maxTokens;
  if (typeof req.temperature === "number") out.temperature = req.temperature;
  if (typeof req.top_p === "number") out.topP = req.top_p;
  if (typeof req.top_k === "number") out.topK = req.top_k;
  if (typeof req.stop === "string") out.stop = [req.stop];
  else if (Array.isArray(req.stop)) out.stop = req.stop;
  if (typeof req.seed === "number") out.seed = req.seed;
  if (typeof req.frequency_penalty === "number") out.frequencyPenalty = req.frequency_penalty;
  if (typeof req.presence_penalty === "number") out.presencePenalty = req.presence_penalty;
  const reasoning = decodeReasoning(req.reasoning_effort);
  if (reasoning !== undefined) out.reasoning = reasoning;
  const responseFormat = decodeResponseFormat(req.response_format);
  if (responseFormat !== undefined) out.responseFormat = responseFormat;
  if (typeof req.user === "string") out.user = req.user;

  for (const field of HINT_FIELDS) {
    const value = (req as Record<string, unknown>)[field];
    if (value !== null && value !== undefined) hints[field] = value;
  }
  return out;
}
