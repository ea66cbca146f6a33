/** @module Gemini generateContent request body → canonical ChatRequest. */
import type {
  ChatRequest,
  Message,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  SystemBlock,
  Tool,
  ToolChoice,
} from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { decodeParts } from "./parts.ts";
import { parseRequest, type WireRequest } from "./schema.ts";

/** Top-level request fields the decoder maps; every other top-level field is kept as a hint under its own name. */
const MAPPED_FIELDS = new Set(["model", "contents", "systemInstruction", "tools", "toolConfig", "generationConfig"]);

/** generationConfig fields with a canonical place; the rest stay together in `hints.generationConfig`. */
const MAPPED_GENERATION = new Set([
  "temperature",
  "topP",
  "topK",
  "maxOutputTokens",
  "stopSequences",
  "candidateCount",
  "seed",
  "presencePenalty",
  "frequencyPenalty",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "thinkingConfig",
]);

/** Gemini thinkingLevel values → canonical effort (XHIGH has no canonical step above high). */
export const LEVEL_EFFORT: Readonly<Record<string, ReasoningEffort>> = {
  minimal: "minimal",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "high",
};

/**
 * `parameters` / `responseSchema` use Gemini's OpenAPI 3.0 subset (`type: "STRING"`, `nullable`); canonical
 * schemas are JSON Schema, so types are lower-cased and `nullable: true` becomes a `"null"` type member.
 */
export function openApiToJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiToJsonSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  const src = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(src)) {
    if (key === "nullable") continue;
    if (key === "type" && typeof value === "string") out.type = value.toLowerCase();
    else if (key === "properties" && typeof value === "object" && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openApiToJsonSchema(v)]));
    } else if (key === "items" || key === "anyOf" || key === "additionalProperties") {
      out[key] = openApiToJsonSchema(value);
    } else out[key] = value;
  }
  if (src.nullable === true && typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function decodeSystem(wire: WireRequest): SystemBlock[] {
  const si = wire.systemInstruction;
  if (si === undefined) return [];
  if (typeof si === "string") return [{ text: si, role: "system" }];
  return si.parts.map((part, i): SystemBlock => {
    if (part.text === undefined || part.thought === true) {
      throw new GatewayError("invalid_request", "systemInstruction parts must be text", {
        param: `systemInstruction.parts[${i}]`,
      });
    }
    return { text: part.text, role: "system" };
  });
}

/**
 * Contents → messages, one message per Content. Calls without ids get `call_<content>_<part>`; a response
 * without an id takes the id of the oldest unanswered call with the same name (Gemini matches them by order).
 */
function decodeMessages(wire: WireRequest): Message[] {
  const pending: Array<{ id: string; name: string }> = [];
  return wire.contents.map((content, ci): Message => {
    const role = content.role ?? "user";
    if (role !== "user" && role !== "model" && role !== "function") {
      throw new GatewayError("invalid_request", `contents[${ci}].role must be "user" or "model"`, {
        param: `contents[${ci}].role`,
      });
    }
    const parts = decodeParts(content.parts, {
      param: `contents[${ci}].parts`,
      mode: "request",
      callId: (pi) => `call_${ci}_${pi}`,
      resultId: (pi, name) => {
        const at = pending.findIndex((p) => p.name === name);
        return at === -1 ? `call_${ci}_${pi}` : pending.splice(at, 1)[0].id;
      },
    });
    for (const part of parts) {
      if (part.type === "tool_call") pending.push({ id: part.id, name: part.name });
      if (part.type === "tool_result") {
        const at = pending.findIndex((p) => p.id === part.callId);
        if (at !== -1) pending.splice(at, 1);
      }
    }
    return { role: role === "model" ? "assistant" : "user", content: parts };
  });
}

function decodeTools(wire: WireRequest): Tool[] | undefined {
  if (wire.tools === undefined) return undefined;
  const tools: Tool[] = [];
  for (const entry of wire.tools) {
    for (const [key, value] of Object.entries(entry)) {
      if (key !== "functionDeclarations") {
        tools.push({ type: "hosted", format: "gemini", raw: { [key]: value } });
        continue;
      }
      for (const fd of entry.functionDeclarations ?? []) {
        const schema = fd.parametersJsonSchema ??
          openApiToJsonSchema(fd.parameters ?? { type: "object", properties: {} });
        const tool: Tool = { type: "function", name: fd.name, parameters: schema as Record<string, unknown> };
        if (fd.description !== undefined) tool.description = fd.description;
        tools.push(tool);
      }
    }
  }
  return tools;
}

/** functionCallingConfig → toolChoice; anything toolChoice cannot say keeps the raw toolConfig as a hint. */
function decodeToolConfig(wire: WireRequest, hints: Record<string, unknown>): ToolChoice | undefined {
  const tc = wire.toolConfig;
  if (tc === undefined) return undefined;
  const fcc = tc.functionCallingConfig;
  const names = fcc?.allowedFunctionNames ?? [];
  const mode = fcc?.mode?.toUpperCase();
  let choice: ToolChoice | undefined;
  let exact = Object.keys(tc).every((k) => k === "functionCallingConfig");
  if (mode === "AUTO" || mode === undefined) choice = mode === undefined ? undefined : { type: "auto" };
  else if (mode === "NONE") choice = { type: "none" };
  else if (mode === "ANY") choice = names.length === 1 ? { type: "tool", name: names[0] } : { type: "required" };
  else {
    // VALIDATED (and future modes): the closest canonical choice is auto; the raw config stays a hint.
    choice = { type: "auto" };
    exact = false;
  }
  if (names.length > 1 || (names.length === 1 && mode !== "ANY")) exact = false;
  if (fcc !== undefined && Object.keys(fcc).some((k) => k !== "mode" && k !== "allowedFunctionNames")) exact = false;
  if (!exact) hints.toolConfig = tc;
  return choice;
}

function decodeReasoning(wire: WireRequest, hints: Record<string, unknown>): ReasoningConfig | undefined {
  const tc = wire.generationConfig?.thinkingConfig;
  if (tc === undefined) return undefined;
  const reasoning: ReasoningConfig = { enabled: tc.thinkingBudget !== 0 };
  if (tc.thinkingBudget !== undefined && tc.thinkingBudget > 0) reasoning.budgetTokens = tc.thinkingBudget;
  if (tc.thinkingLevel !== undefined && tc.thinkingLevel.toUpperCase() !== "THINKING_LEVEL_UNSPECIFIED") {
    const effort = LEVEL_EFFORT[tc.thinkingLevel.toLowerCase()];
    if (effort === undefined) {
      throw new GatewayError("invalid_request", `Unknown thinkingLevel "${tc.thinkingLevel}"`, {
        param: "generationConfig.thinkingConfig.thinkingLevel",
      });
    }
    reasoning.effort = effort;
    // Kept so a Gemini upstream gets the level back rather than the table's budget for it.
    hints.thinkingLevel = tc.thinkingLevel;
  }
  if (tc.includeThoughts !== undefined) reasoning.includeThoughts = tc.includeThoughts;
  return reasoning;
}

function decodeResponseFormat(wire: WireRequest, leftover: Record<string, unknown>): ResponseFormat | undefined {
  const gc = wire.generationConfig;
  const mime = gc?.responseMimeType;
  if (gc === undefined || mime === undefined) {
    if (gc?.responseSchema !== undefined) leftover.responseSchema = gc.responseSchema;
    if (gc?.responseJsonSchema !== undefined) leftover.responseJsonSchema = gc.responseJsonSchema;
    return undefined;
  }
  if (mime === "text/plain") return { type: "text" };
  if (mime !== "application/json") {
    // e.g. text/x.enum: no canonical equivalent; kept for a Gemini upstream.
    leftover.responseMimeType = mime;
    if (gc.responseSchema !== undefined) leftover.responseSchema = gc.responseSchema;
    if (gc.responseJsonSchema !== undefined) leftover.responseJsonSchema = gc.responseJsonSchema;
    return undefined;
  }
  const schema = gc.responseJsonSchema ?? (gc.responseSchema && openApiToJsonSchema(gc.responseSchema));
  if (schema === undefined) return { type: "json_object" };
  return { type: "json_schema", name: "response", schema: schema as Record<string, unknown> };
}

/** Wire request → canonical. `model` is "" unless the body names one and `stream` is false: both come from the URL. */
export function decodeRequest(body: unknown): ChatRequest {
  const wire = parseRequest(body);
  const hints: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire)) {
    if (!MAPPED_FIELDS.has(key)) hints[key] = value;
  }
  const req: ChatRequest = {
    model: wire.model ?? "",
    system: decodeSystem(wire),
    messages: decodeMessages(wire),
    stream: false,
    hints,
  };
  const tools = decodeTools(wire);
  if (tools !== undefined) req.tools = tools;
  const toolChoice = decodeToolConfig(wire, hints);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;

  const gc = wire.generationConfig;
  if (gc !== undefined) {
    if (gc.candidateCount !== undefined && gc.candidateCount > 1) {
      throw new GatewayError("invalid_request", "candidateCount > 1 is not supported by the gateway", {
        param: "generationConfig.candidateCount",
      });
    }
    if (gc.maxOutputTokens !== undefined) req.maxTokens = gc.maxOutputTokens;
    if (gc.temperature !== undefined) req.temperature = gc.temperature;
    if (gc.topP !== undefined) req.topP = gc.topP;
    if (gc.topK !== undefined) req.topK = gc.topK;
    if (gc.stopSequences !== undefined) req.stop = gc.stopSequences;
    if (gc.seed !== undefined) req.seed = gc.seed;
    if (gc.presencePenalty !== undefined) req.presencePenalty = gc.presencePenalty;
    if (gc.frequencyPenalty !== undefined) req.frequencyPenalty = gc.frequencyPenalty;
    const leftover: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(gc)) {
      if (!MAPPED_GENERATION.has(key)) leftover[key] = value;
    }
    const format = decodeResponseFormat(wire, leftover);
    if (format !== undefined) req.responseFormat = format;
    if (Object.keys(leftover).length > 0) hints.generationConfig = leftover;
  }
  const reasoning = decodeReasoning(wire, hints);
  if (reasoning !== undefined) req.reasoning = reasoning;
  return req;
}
