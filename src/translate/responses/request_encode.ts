/**
 * @module Canonical ChatRequest → Responses request body. System blocks go to `instructions` (the leading
 * `system` one) or to system/developer input messages in their place; turns become input items; what the
 * Responses API has no field for is listed in `dropped`.
 */
import type {
  ChatRequest,
  ContentPart,
  Encoded,
  ImagePart,
  Message,
  ResponseFormat,
  SystemBlock,
  ToolChoice,
} from "../../core/canonical.ts";
import type { EncodeRequestOptions } from "../../core/codec.ts";
import { effortForBudget } from "../../core/reasoning.ts";
import { GatewayError } from "../../core/errors.ts";
import { argumentsToCustomInput, hostedToolLabel, type ResponsesToolRef, responsesToolRefs } from "./tool_names.ts";

type Item = Record<string, unknown>;

/** Hints with the same meaning in the Responses API, passed through under their wire name. */
const PASS_THROUGH_HINTS = [
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
];
/** Hints this encoder consumes itself (dotted names are fields nested in `reasoning` / `text`). */
const CONSUMED_HINTS = ["reasoning.effort", "reasoning.summary", "text.verbosity", "tool_choice"];

function refuse(feature: string): GatewayError {
  return new GatewayError("invalid_request", `The Responses API cannot express ${feature}`, { param: null });
}

function imageItem(part: ImagePart): Item {
  const s = part.source;
  const url = s.kind === "url" ? s.url : `data:${s.mediaType};base64,${s.data}`;
  // Without a detail the API uses "auto" (Codex itself sends none).
  return s.detail === undefined
    ? { type: "input_image", image_url: url }
    : { type: "input_image", image_url: url, detail: s.detail };
}

function userPart(part: ContentPart): Item {
  switch (part.type) {
    case "text":
      return { type: "input_text", text: part.text };
    case "image":
      return imageItem(part);
    case "file": {
      const out: Item = { type: "input_file" };
      if (part.filename !== undefined) out.filename = part.filename;
      if (part.url !== undefined) out.file_url = part.url;
      else out.file_data = `data:${part.mediaType};base64,${part.data ?? ""}`;
      return out;
    }
    default:
      throw refuse(`a ${part.type} part inside a user message`);
  }
}

function resultOutput(part: Extract<ContentPart, { type: "tool_result" }>): string | Item[] {
  // Responses has no error flag on function_call_output (neither has Chat): the text says what happened.
  if (part.content.every((p) => p.type === "text")) {
    return part.content.map((p) => p.type === "text" ? p.text : "").join("");
  }
  return part.content.map((p) => p.type === "text" ? { type: "input_text", text: p.text } : imageItem(p));
}

function encodeUser(msg: Message, customCalls: Set<string>, items: Item[]): void {
  let run: Item[] = [];
  const flush = (): void => {
    if (run.length > 0) items.push({ type: "message", role: "user", content: run });
    run = [];
  };
  for (const part of msg.content) {
    if (part.type === "tool_result") {
      flush();
      const type = customCalls.has(part.callId) ? "custom_tool_call_output" : "function_call_output";
      items.push({ type, call_id: part.callId, output: resultOutput(part) });
    } else run.push(userPart(part));
  }
  flush();
}

function encodeAssistant(
  msg: Message,
  refs: Map<string, ResponsesToolRef>,
  customCalls: Set<string>,
  items: Item[],
): void {
  for (const part of msg.content) {
    switch (part.type) {
      case "text":
        items.push({ type: "message", role: "assistant", content: [{ type: "output_text", text: part.text }] });
        break;
      case "thinking":
        // Only OpenAI's own encrypted reasoning means anything to a Responses upstream; reasoning from another
        // vendor (or without its encrypted state) is that vendor's, and OpenAI rejects items it cannot verify.
        if (part.signatureFormat === "responses" && part.signature) {
          const summary = part.text === "" ? [] : [{ type: "summary_text", text: part.text }];
          items.push({ type: "reasoning", summary, encrypted_content: part.signature });
        }
        break;
      case "redacted_thinking":
        break;
      case "tool_call": {
        const ref = refs.get(part.name);
        const item: Item = ref?.kind === "custom"
          ? {
            type: "custom_tool_call",
            call_id: part.id,
            name: ref.name,
            input: argumentsToCustomInput(part.arguments),
          }
          : { type: "function_call", call_id: part.id, name: ref?.name ?? part.name, arguments: part.arguments };
        if (ref?.namespace !== undefined) item.namespace = ref.namespace;
        if (ref?.kind === "custom") customCalls.add(part.id);
        items.push(item);
        break;
      }
      default:
        throw refuse(`a ${part.type} part inside an assistant message`);
    }
  }
}

function systemItem(block: SystemBlock): Item {
  return { type: "message", role: block.role, content: [{ type: "input_text", text: block.text }] };
}

function encodeInput(req: ChatRequest, refs: Map<string, ResponsesToolRef>): { instructions?: string; input: Item[] } {
  const input: Item[] = [];
  // Results of custom tool calls answer as custom_tool_call_output.
  const customCalls = new Set<string>();
  let instructions: string | undefined;
  const first = req.system[0];
  const rest = first && first.role === "system" && first.beforeMessage === undefined ? req.system.slice(1) : req.system;
  if (rest !== req.system) instructions = first.text;
  const at = (i: number): SystemBlock[] =>
    rest.filter((b) => (b.beforeMessage ?? 0) === i || (i === req.messages.length && (b.beforeMessage ?? 0) > i));
  for (const [i, msg] of req.messages.entries()) {
    for (const block of at(i)) input.push(systemItem(block));
    if (msg.role === "user") encodeUser(msg, customCalls, input);
    else encodeAssistant(msg, refs, customCalls, input);
  }
  for (const block of at(req.messages.length)) input.push(systemItem(block));
  return instructions === undefined ? { input } : { instructions, input };
}

function encodeToolChoice(choice: ToolChoice, refs: Map<string, ResponsesToolRef>): unknown {
  if (choice.type !== "tool") return choice.type;
  const ref = refs.get(choice.name);
  const out: Item = { type: ref?.kind === "custom" ? "custom" : "function", name: ref?.name ?? choice.name };
  if (ref?.namespace !== undefined) out.namespace = ref.namespace;
  return out;
}

function encodeFormat(f: ResponseFormat): Item {
  if (f.type !== "json_schema") return { type: f.type };
  const out: Item = { type: "json_schema", name: f.name, schema: f.schema };
  if (f.description !== undefined) out.description = f.description;
  if (f.strict !== undefined) out.strict = f.strict;
  return out;
}

function encodeReasoning(req: ChatRequest): Item | undefined {
  const r = req.reasoning;
  if (!r) return undefined;
  const hintEffort = req.hints["reasoning.effort"];
  if (!r.enabled) return hintEffort === "none" ? { effort: "none" } : undefined;
  const out: Item = {};
  const effort = typeof hintEffort === "string"
    ? hintEffort
    : r.effort ?? (r.budgetTokens !== undefined ? effortForBudget(r.budgetTokens) : undefined);
  if (effort !== undefined) out.effort = effort;
  const summary = req.hints["reasoning.summary"];
  if (typeof summary === "string") out.summary = summary;
  else if (r.includeThoughts) out.summary = "auto";
  return Object.keys(out).length > 0 ? out : undefined;
}

function droppedFields(req: ChatRequest, dropped: Set<string>): void {
  if (req.topK !== undefined) dropped.add("top_k");
  if (req.stop !== undefined && req.stop.length > 0) dropped.add("stop");
  if (req.seed !== undefined) dropped.add("seed");
  if (req.frequencyPenalty !== undefined) dropped.add("frequency_penalty");
  if (req.presencePenalty !== undefined) dropped.add("presence_penalty");
  const cached = req.system.some((b) => b.cacheControl) ||
    req.tools?.some((t) => t.type === "function" && t.cacheControl) ||
    req.messages.some((m) => m.content.some((p) => p.type === "text" && p.cacheControl));
  if (cached) dropped.add("cache_control");
  for (const key of Object.keys(req.hints)) {
    if (!PASS_THROUGH_HINTS.includes(key) && !CONSUMED_HINTS.includes(key)) dropped.add(key);
  }
}

/** Canonical request → Responses request body, with the names of what it could not carry. */
export function encodeRequest(req: ChatRequest, options: EncodeRequestOptions): Encoded<Record<string, unknown>> {
  const dropped = new Set<string>();
  const refs = responsesToolRefs(req.tools);
  const body: Record<string, unknown> = { model: options.model, ...encodeInput(req, refs) };
  if (req.tools !== undefined) {
    const tools: Item[] = [];
    for (const t of req.tools) {
      if (t.type === "hosted") {
        if (t.format === "responses") tools.push(t.raw);
        else dropped.add(hostedToolLabel(t));
        continue;
      }
      const tool: Item = { type: "function", name: t.name };
      if (t.description !== undefined) tool.description = t.description;
      tool.parameters = t.parameters;
      // Left out, `strict` lets Responses use strict mode only where the schema allows it.
      if (t.strict !== undefined) tool.strict = t.strict;
      tools.push(tool);
    }
    body.tools = tools;
  }
  if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice, refs);
  else if (req.hints.tool_choice !== undefined) body.tool_choice = req.hints.tool_choice;
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body.max_output_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  const reasoning = encodeReasoning(req);
  if (reasoning) body.reasoning = reasoning;
  const text: Item = {};
  if (req.responseFormat) text.format = encodeFormat(req.responseFormat);
  if (typeof req.hints["text.verbosity"] === "string") text.verbosity = req.hints["text.verbosity"];
  if (Object.keys(text).length > 0) body.text = text;
  if (req.stream) body.stream = true;
  if (req.user !== undefined) body.user = req.user;
  for (const key of PASS_THROUGH_HINTS) {
    if (req.hints[key] !== undefined) body[key] = req.hints[key];
  }
  droppedFields(req, dropped);
  return { body, dropped: [...dropped] };
}
