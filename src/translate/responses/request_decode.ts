/**
 * @module Responses request → canonical ChatRequest: `instructions` and system/developer input messages become
 * system blocks (Codex sends its whole prompt as two `developer` messages), items become turns, tools and
 * controls their canonical fields, state/caching knobs hints.
 */
import type {
  ChatRequest,
  ContentPart,
  ImagePart,
  Message,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  SystemBlock,
  TextPart,
  Tool,
  ToolChoice,
} from "../../core/canonical.ts";
import {
  CustomToolCallSchema,
  FunctionCallOutputSchema,
  FunctionCallSchema,
  FunctionToolSchema,
  InputFileSchema,
  InputImageSchema,
  InputTextSchema,
  MessageItemSchema,
  parseOrThrow,
  ReasoningItemSchema,
  RefusalSchema,
  RequestSchema,
  type ResponsesRequest,
  unsupported,
} from "./schema.ts";
import { customInputToArguments, flatToolName } from "./tool_names.ts";
import { decodeEncryptedContent } from "./signature.ts";

/** Request fields kept verbatim as hints (the http layer resolves `previous_response_id`). */
const HINT_FIELDS = [
  "previous_response_id",
  "conversation",
  "store",
  "include",
  "prompt_cache_key",
  "prompt_cache_retention",
  "client_metadata",
  "metadata",
  "service_tier",
  "truncation",
  "background",
  "safety_identifier",
  "top_logprobs",
  "max_tool_calls",
  "stream_options",
  "context_management",
] as const;

const EFFORTS: ReadonlyArray<ReasoningEffort> = ["minimal", "low", "medium", "high"];

interface Builder {
  system: SystemBlock[];
  messages: Message[];
  /** The last message may take more items of its kind (tool calls into an assistant turn, results together). */
  open: "assistant" | "results" | null;
}

/** `data:<type>;base64,<data>` → its parts. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1], data: match[2] } : null;
}

function imagePart(value: unknown, param: string): ImagePart {
  const part = parseOrThrow(InputImageSchema, value, param);
  const detail = part.detail ?? undefined;
  if (typeof part.image_url === "string" && part.image_url !== "") {
    const inline = parseDataUrl(part.image_url);
    const source = inline
      ? { kind: "base64" as const, mediaType: inline.mediaType, data: inline.data, detail }
      : { kind: "url" as const, url: part.image_url, detail };
    return { type: "image", source };
  }
  if (part.file_id) throw unsupported(`${param}.file_id`, "input_image by file_id needs OpenAI file storage");
  throw unsupported(`${param}.image_url`, "input_image needs an image_url");
}

function mediaTypeForName(name: string | undefined): string {
  return name?.toLowerCase().endsWith(".pdf") === false ? "application/octet-stream" : "application/pdf";
}

function filePart(value: unknown, param: string): ContentPart {
  const part = parseOrThrow(InputFileSchema, value, param);
  const filename = part.filename ?? undefined;
  if (part.file_data) {
    const inline = parseDataUrl(part.file_data);
    return inline
      ? { type: "file", mediaType: inline.mediaType, data: inline.data, filename }
      : { type: "file", mediaType: mediaTypeForName(filename), data: part.file_data, filename };
  }
  if (part.file_url) return { type: "file", mediaType: mediaTypeForName(filename), url: part.file_url, filename };
  if (part.file_id) throw unsupported(`${param}.file_id`, "input_file by file_id needs OpenAI file storage");
  throw unsupported(param, "input_file needs file_data or file_url");
}

function contentParts(content: string | Array<{ type: string }>, param: string): ContentPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part, i): ContentPart => {
    const p = `${param}[${i}]`;
    switch (part.type) {
      case "input_text":
      case "output_text":
        return { type: "text", text: parseOrThrow(InputTextSchema, part, p).text };
      case "refusal":
        return { type: "text", text: parseOrThrow(RefusalSchema, part, p).refusal };
      case "input_image":
        return imagePart(part, p);
      case "input_file":
        return filePart(part, p);
      default:
        throw unsupported(`${p}.type`, `content part type "${part.type}" is not supported`);
    }
  });
}

function systemText(content: string | Array<{ type: string }>, param: string): string {
  return contentParts(content, param).map((part) => {
    if (part.type !== "text") throw unsupported(param, "system/developer messages take text only");
    return part.text;
  }).join("\n");
}

function toolResultContent(output: string | Array<{ type: string }>, param: string): Array<TextPart | ImagePart> {
  return contentParts(output, param).map((part) => {
    if (part.type === "text" || part.type === "image") return part;
    throw unsupported(param, "files in function_call_output cannot be expressed as a tool result");
  });
}

function pushAssistantPart(b: Builder, part: ContentPart): void {
  const last = b.messages[b.messages.length - 1];
  if (b.open === "assistant" && last?.role === "assistant") last.content.push(part);
  else b.messages.push({ role: "assistant", content: [part] });
  b.open = "assistant";
}

function pushResult(b: Builder, part: ContentPart): void {
  const last = b.messages[b.messages.length - 1];
  if (b.open === "results" && last?.role === "user") last.content.push(part);
  else b.messages.push({ role: "user", content: [part] });
  b.open = "results";
}

function decodeItem(b: Builder, item: { type?: string }, param: string): void {
  const type = item.type ?? "message";
  switch (type) {
    case "message": {
      const msg = parseOrThrow(MessageItemSchema, item, param);
      if (msg.role === "system" || msg.role === "developer") {
        const block: SystemBlock = { text: systemText(msg.content, `${param}.content`), role: msg.role };
        if (b.messages.length > 0) block.beforeMessage = b.messages.length;
        b.system.push(block);
        b.open = null;
        return;
      }
      const content = contentParts(msg.content, `${param}.content`);
      if (msg.role === "assistant") {
        for (const part of content) {
          if (part.type !== "text") throw unsupported(`${param}.content`, "assistant messages take text only");
        }
        // Each assistant message item stays one text part, so an encoder can rebuild the items one to one.
        for (const part of content) pushAssistantPart(b, part);
        return;
      }
      b.messages.push({ role: "user", content });
      b.open = null;
      return;
    }
    case "function_call": {
      const call = parseOrThrow(FunctionCallSchema, item, param);
      const name = flatToolName(call.namespace, call.name);
      pushAssistantPart(b, { type: "tool_call", id: call.call_id, name, arguments: call.arguments });
      return;
    }
    case "custom_tool_call": {
      const call = parseOrThrow(CustomToolCallSchema, item, param);
      const name = flatToolName(call.namespace, call.name);
      pushAssistantPart(b, {
        type: "tool_call",
        id: call.call_id,
        name,
        arguments: customInputToArguments(call.input),
      });
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output": {
      const out = parseOrThrow(FunctionCallOutputSchema, item, param);
      pushResult(b, {
        type: "tool_result",
        callId: out.call_id,
        content: toolResultContent(out.output, `${param}.output`),
      });
      return;
    }
    case "reasoning": {
      const r = parseOrThrow(ReasoningItemSchema, item, param);
      const summary = (r.summary ?? []).map((s) => s.text);
      const text = summary.length > 0 ? summary.join("\n\n") : (r.content ?? []).map((c) => c.text).join("");
      if (r.encrypted_content) {
        const state = decodeEncryptedContent(r.encrypted_content);
        if (state.kind === "redacted") return pushAssistantPart(b, { type: "redacted_thinking", data: state.data });
        return pushAssistantPart(b, {
          type: "thinking",
          text,
          signature: state.signature,
          signatureFormat: state.signatureFormat,
        });
      }
      return pushAssistantPart(b, { type: "thinking", text });
    }
    case "item_reference":
      throw unsupported(param, "item_reference needs stored responses, which the gateway does not keep");
    default:
      throw unsupported(`${param}.type`, `input item type "${type}" is not supported`);
  }
}

function decodeTools(tools: ResponsesRequest["tools"]): Tool[] | undefined {
  if (!tools) return undefined;
  return tools.map((raw, i): Tool => {
    if (raw.type !== "function") {
      // Hosted tools, namespace groups and freeform custom tools: see tool_names.ts for why they stay whole.
      return { type: "hosted", format: "responses", raw };
    }
    const t = parseOrThrow(FunctionToolSchema, raw, `tools[${i}]`);
    const tool: Tool = {
      type: "function",
      name: t.name,
      parameters: t.parameters ?? { type: "object", properties: {} },
    };
    if (typeof t.description === "string") tool.description = t.description;
    if (typeof t.strict === "boolean") tool.strict = t.strict;
    return tool;
  });
}

function decodeToolChoice(
  choice: ResponsesRequest["tool_choice"],
  hints: Record<string, unknown>,
): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return { type: choice };
  if ((choice.type === "function" || choice.type === "custom") && typeof choice.name === "string") {
    const namespace = typeof choice.namespace === "string" ? choice.namespace : undefined;
    return { type: "tool", name: flatToolName(namespace, choice.name) };
  }
  // allowed_tools, hosted-tool and mcp choices have no canonical form; a Responses encoder restores them.
  hints.tool_choice = choice;
  return undefined;
}

function decodeReasoning(
  r: ResponsesRequest["reasoning"],
  hints: Record<string, unknown>,
): ReasoningConfig | undefined {
  if (!r) return undefined;
  const out: ReasoningConfig = { enabled: true };
  const effort = r.effort ?? undefined;
  if (effort === "none") out.enabled = false;
  else if (effort !== undefined) out.effort = EFFORTS.find((e) => e === effort) ?? "high";
  if (effort !== undefined && !EFFORTS.includes(effort as ReasoningEffort)) hints["reasoning.effort"] = effort;
  const summary = r.summary ?? r.generate_summary ?? undefined;
  if (summary !== undefined) out.includeThoughts = true;
  if (summary !== undefined && summary !== "auto") hints["reasoning.summary"] = summary;
  return out;
}

function decodeFormat(text: ResponsesRequest["text"], hints: Record<string, unknown>): ResponseFormat | undefined {
  if (!text) return undefined;
  if (text.verbosity) hints["text.verbosity"] = text.verbosity;
  const f = text.format;
  if (!f) return undefined;
  if (f.type !== "json_schema") return { type: f.type };
  if (!f.name || !f.schema) throw unsupported("text.format", "json_schema needs a name and a schema");
  const out: ResponseFormat = { type: "json_schema", name: f.name, schema: f.schema };
  if (typeof f.strict === "boolean") out.strict = f.strict;
  if (f.description !== undefined) out.description = f.description;
  return out;
}

/** Responses request body → canonical request. */
export function decodeRequest(body: unknown): ChatRequest {
  const req = parseOrThrow(RequestSchema, body, "");
  const raw = req as Record<string, unknown>;
  if (raw.prompt !== undefined && raw.prompt !== null) {
    throw unsupported("prompt", "stored prompt templates need OpenAI's prompt storage");
  }
  const hints: Record<string, unknown> = {};
  for (const key of HINT_FIELDS) {
    if (raw[key] !== undefined && raw[key] !== null) hints[key] = raw[key];
  }
  const b: Builder = { system: [], messages: [], open: null };
  if (typeof req.instructions === "string" && req.instructions !== "") {
    b.system.push({ text: req.instructions, role: "system" });
  }
  if (typeof req.input === "string") b.messages.push({ role: "user", content: [{ type: "text", text: req.input }] });
  else for (const [i, item] of (req.input ?? []).entries()) decodeItem(b, item, `input[${i}]`);

  const out: ChatRequest = {
    model: req.model,
    system: b.system,
    messages: b.messages,
    stream: req.stream ?? false,
    hints,
  };
  const tools = decodeTools(req.tools);
  if (tools) out.tools = tools;
  const toolChoice = decodeToolChoice(req.tool_choice, hints);
  if (toolChoice) out.toolChoice = toolChoice;
  if (typeof req.parallel_tool_calls === "boolean") out.parallelToolCalls = req.parallel_tool_calls;
  if (typeof req.max_output_tokens === "number") out.maxTokens = req.max_output_tokens;
  if (typeof req.temperature === "number") out.temperature = req.temperature;
  if (typeof req.top_p === "number") out.topP = req.top_p;
  const reasoning = decodeReasoning(req.reasoning, hints);
  if (reasoning) out.reasoning = reasoning;
  const format = decodeFormat(req.text, hints);
  if (format) out.responseFormat = format;
  if (typeof req.user === "string") out.user = req.user;
  return out;
}
