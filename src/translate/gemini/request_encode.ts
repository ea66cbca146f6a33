/**
 * @module Canonical ChatRequest → Gemini generateContent body. The model goes in the URL path and streaming in
 * the method (`:streamGenerateContent`), so neither is in the body; the caller builds the URL from `options.model`.
 */
import type { ChatRequest, Encoded, ReasoningConfig, Tool } from "../../core/canonical.ts";
import type { EncodeRequestOptions } from "../../core/codec.ts";
import { budgetForEffort } from "../../core/reasoning.ts";
import { encodeParts } from "./parts.ts";
import { LEVEL_EFFORT } from "./request_decode.ts";

type WireObject = Record<string, unknown>;

/** Hints a Gemini decoder left that this encoder puts back; every other hint is dropped and named. */
const GEMINI_HINTS = new Set([
  "safetySettings",
  "cachedContent",
  "labels",
  "toolConfig",
  "generationConfig",
  "thinkingLevel",
]);

/** Hints copied verbatim to the top level of the body. */
const TOP_LEVEL_HINTS = ["safetySettings", "cachedContent", "labels"];

/**
 * The documented dummy signature Gemini 3 accepts on a function call that has no real one (history from another
 * model, or a client that lost it); Gemini CLI sends the same. Without it Gemini 3 answers 400 "Function call is
 * missing a thought_signature".
 */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";

function isObject(value: unknown): value is WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Gemini validates signatures on the first function call of each model step in the current turn (the contents
 * after the last user message that is not only function responses); steps without one get SKIP_SIGNATURE.
 */
function ensureStepSignatures(contents: Array<{ role: string; parts: WireObject[] }>): void {
  let start = 0;
  contents.forEach((c, i) => {
    if (c.role === "user" && c.parts.some((p) => p.functionResponse === undefined)) start = i + 1;
  });
  for (const content of contents.slice(start)) {
    if (content.role !== "model") continue;
    const first = content.parts.find((p) => p.functionCall !== undefined);
    if (first !== undefined && first.thoughtSignature === undefined) first.thoughtSignature = SKIP_SIGNATURE;
  }
}

function encodeTools(tools: Tool[], dropped: Set<string>): WireObject[] {
  const out: WireObject[] = [];
  const declarations: WireObject[] = [];
  for (const tool of tools) {
    if (tool.type === "hosted") {
      if (tool.format === "gemini") out.push(tool.raw);
      else dropped.add(`tools[${String(tool.raw.type ?? tool.raw.name ?? "hosted")}]`);
      continue;
    }
    if (declarations.length === 0) out.push({ functionDeclarations: declarations });
    if (tool.strict === true) dropped.add("strict");
    if (tool.cacheControl !== undefined) dropped.add("cache_control");
    // `parametersJsonSchema` takes full JSON Schema (canonical's dialect); `parameters` is an OpenAPI subset that
    // rejects $ref, additionalProperties, type arrays and more.
    const decl: WireObject = { name: tool.name };
    if (tool.description !== undefined) decl.description = tool.description;
    decl.parametersJsonSchema = tool.parameters;
    declarations.push(decl);
  }
  return out;
}

function encodeToolConfig(req: ChatRequest): WireObject | undefined {
  if (isObject(req.hints.toolConfig)) return req.hints.toolConfig;
  const choice = req.toolChoice;
  if (choice === undefined) return undefined;
  switch (choice.type) {
    case "auto":
      return { functionCallingConfig: { mode: "AUTO" } };
    case "none":
      return { functionCallingConfig: { mode: "NONE" } };
    case "required":
      return { functionCallingConfig: { mode: "ANY" } };
    case "tool":
      return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.name] } };
  }
}

function encodeThinking(reasoning: ReasoningConfig, level: unknown): WireObject | undefined {
  const tc: WireObject = {};
  if (!reasoning.enabled) tc.thinkingBudget = 0;
  else if (reasoning.budgetTokens !== undefined) tc.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined) {
    // A Gemini client's own thinkingLevel goes back as given; an effort from elsewhere becomes a budget, which
    // both Gemini 2.5 (no thinkingLevel) and Gemini 3 accept.
    if (typeof level === "string" && LEVEL_EFFORT[level.toLowerCase()] === reasoning.effort) tc.thinkingLevel = level;
    else tc.thinkingBudget = budgetForEffort(reasoning.effort);
  }
  if (reasoning.includeThoughts !== undefined) tc.includeThoughts = reasoning.includeThoughts;
  return Object.keys(tc).length > 0 ? tc : undefined;
}

function encodeGenerationConfig(req: ChatRequest): WireObject {
  const gc: WireObject = {};
  if (req.temperature !== undefined) gc.temperature = req.temperature;
  if (req.topP !== undefined) gc.topP = req.topP;
  if (req.topK !== undefined) gc.topK = req.topK;
  if (req.maxTokens !== undefined) gc.maxOutputTokens = req.maxTokens;
  if (req.stop !== undefined) gc.stopSequences = req.stop;
  if (req.seed !== undefined) gc.seed = req.seed;
  if (req.presencePenalty !== undefined) gc.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) gc.frequencyPenalty = req.frequencyPenalty;
  const format = req.responseFormat;
  if (format?.type === "text") gc.responseMimeType = "text/plain";
  if (format?.type === "json_object") gc.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    gc.responseMimeType = "application/json";
    gc.responseJsonSchema = format.schema;
  }
  if (req.reasoning !== undefined) {
    const tc = encodeThinking(req.reasoning, req.hints.thinkingLevel);
    if (tc !== undefined) gc.thinkingConfig = tc;
  }
  if (isObject(req.hints.generationConfig)) Object.assign(gc, req.hints.generationConfig);
  return gc;
}

/**
 * Canonical → Gemini body. System blocks all go to `systemInstruction`, in order: Gemini has one system slot, so
 * a mid-conversation block (`beforeMessage`) is merged there rather than put under a user or model turn.
 */
export function encodeRequest(req: ChatRequest, _options: EncodeRequestOptions): Encoded<WireObject> {
  const dropped = new Set<string>();
  const names = new Map<string, string>();
  for (const message of req.messages) {
    for (const part of message.content) if (part.type === "tool_call") names.set(part.id, part.name);
  }
  const contents = req.messages
    .map((m) => ({
      role: m.role === "assistant" ? "model" : "user",
      parts: encodeParts(m.content, { names, dropped, mode: "request" }),
    }))
    // Gemini rejects a Content without parts; one only arises when all its parts were other vendors' opaque data.
    .filter((c) => c.parts.length > 0);
  ensureStepSignatures(contents);
  const body: WireObject = { contents };

  if (req.system.length > 0) {
    if (req.system.some((b) => b.cacheControl !== undefined)) dropped.add("cache_control");
    body.systemInstruction = { parts: req.system.map((b) => ({ text: b.text })) };
  }
  if (req.tools !== undefined) {
    const tools = encodeTools(req.tools, dropped);
    if (tools.length > 0) body.tools = tools;
  }
  const toolConfig = encodeToolConfig(req);
  if (toolConfig !== undefined) body.toolConfig = toolConfig;
  if (req.parallelToolCalls === false) dropped.add("parallel_tool_calls");
  if (req.user !== undefined) dropped.add("user");
  const gc = encodeGenerationConfig(req);
  if (Object.keys(gc).length > 0) body.generationConfig = gc;

  for (const key of TOP_LEVEL_HINTS) if (req.hints[key] !== undefined) body[key] = req.hints[key];
  for (const [key, value] of Object.entries(req.hints)) {
    if (value !== undefined && !GEMINI_HINTS.has(key)) dropped.add(key);
  }
  return { body, dropped: [...dropped] };
}
