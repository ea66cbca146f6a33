/** @module zod schemas for the OpenAI Chat Completions wire format (loose: unknown vendor fields pass). */
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";

const nullishNumber = z.number().nullish();

export const TextPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

export const ImageUrlPartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.string().nullish() }),
});

export const InputAudioPartSchema = z.looseObject({
  type: z.literal("input_audio"),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});

export const FilePartSchema = z.looseObject({
  type: z.literal("file"),
  file: z.looseObject({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});

export const RefusalPartSchema = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

/** Any content part: only `type` is checked here; each kind is validated where it is read. */
export const AnyPartSchema = z.looseObject({ type: z.string({ error: "each content part needs a string `type`" }) });

const contentSchema = z.union([z.string(), z.array(AnyPartSchema)], {
  error: "must be a string or an array of content parts",
});

export const SystemMessageSchema = z.looseObject({
  role: z.enum(["system", "developer"]),
  content: contentSchema,
});

export const UserMessageSchema = z.looseObject({ role: z.literal("user"), content: contentSchema });

export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }).optional(),
});

export const AssistantMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: contentSchema.nullish(),
  refusal: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  /** OpenRouter/Groq spell the reasoning text `reasoning`. */
  reasoning: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  function_call: z.looseObject({ name: z.string(), arguments: z.string().nullish() }).nullish(),
  audio: z.unknown().optional(),
});

export const ToolMessageSchema = z.looseObject({
  role: z.literal("tool"),
  tool_call_id: z.string(),
  content: contentSchema.nullish(),
});

export const FunctionMessageSchema = z.looseObject({
  role: z.literal("function"),
  name: z.string(),
  content: z.string().nullish(),
});

export const FunctionDefinitionSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const ToolSchema = z.looseObject({ type: z.string(), function: FunctionDefinitionSchema.optional() });

export const ToolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
  z.looseObject({
    type: z.literal("allowed_tools"),
    allowed_tools: z.looseObject({ mode: z.enum(["auto", "required"]) }),
  }),
  z.looseObject({ type: z.literal("custom") }),
], { error: 'must be "auto", "none", "required" or {"type":"function","function":{"name":…}}' });

export const ResponseFormatSchema = z.union([
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
      description: z.string().nullish(),
    }),
  }),
], { error: 'must be {"type":"text"}, {"type":"json_object"} or {"type":"json_schema","json_schema":{…}}' });

export const RequestSchema = z.looseObject({
  model: z.string({ error: "`model` is required and must be a string" }).min(1, "`model` must not be empty"),
  messages: z.array(z.looseObject({ role: z.string({ error: "each message needs a string `role`" }) }), {
    error: "`messages` is required and must be an array",
  }).min(1, "`messages` must contain at least one message"),
  tools: z.array(ToolSchema).nullish(),
  functions: z.array(FunctionDefinitionSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  function_call: z.union([z.enum(["auto", "none"]), z.looseObject({ name: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: nullishNumber,
  top_p: nullishNumber,
  top_k: nullishNumber,
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  frequency_penalty: nullishNumber,
  presence_penalty: nullishNumber,
  n: z.number().int().nullish(),
  reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullish(),
  response_format: ResponseFormatSchema.nullish(),
  user: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.record(z.string(), z.unknown()).nullish(),
});

export type WireRequest = z.infer<typeof RequestSchema>;

/** `["messages", 2, "content"]` → `messages[2].content`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Validates `value` against `schema`, or throws `invalid_request` naming the first bad field (prefixed by
 * `base`, the path of `value` inside the request body).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, base: PropertyKey[] = []): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = formatPath([...base, ...(issue?.path ?? [])]);
  const message = issue?.message ?? "invalid value";
  throw new GatewayError("invalid_request", param === "" ? message : `${param}: ${message}`, {
    param: param === "" ? null : param,
  });
}

/** Throws `invalid_request` for `param` (a path array) with `message`. */
export function refuse(path: PropertyKey[], message: string): never {
  const param = formatPath(path);
  throw new GatewayError("invalid_request", param === "" ? message : `${param}: ${message}`, {
    param: param === "" ? null : param,
  });
}

// ---- upstream responses (validated leniently: providers differ in what they omit) ----

const WireUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({
    cached_tokens: z.number().nullish(),
    cache_write_tokens: z.number().nullish(),
  }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  /** DeepSeek reports its context-cache hits here instead of prompt_tokens_details. */
  prompt_cache_hit_tokens: z.number().nullish(),
});

export type WireUsage = z.infer<typeof WireUsageSchema>;
export { WireUsageSchema };

export const ResponseMessageSchema = z.looseObject({
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
  refusal: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  function_call: z.looseObject({ name: z.string(), arguments: z.string().nullish() }).nullish(),
});

export const ResponseSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(z.looseObject({
    message: ResponseMessageSchema,
    finish_reason: z.string().nullish(),
  })).min(1, "no choices"),
  usage: WireUsageSchema.nullish(),
});

export const ChunkToolCallSchema = z.looseObject({
  index: z.number().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const ChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(z.looseObject({
    index: z.number().nullish(),
    delta: z.looseObject({
      content: z.string().nullish(),
      refusal: z.string().nullish(),
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(ChunkToolCallSchema).nullish(),
      function_call: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
    }).nullish(),
    finish_reason: z.string().nullish(),
  })).nullish(),
  usage: WireUsageSchema.nullish(),
  /** Groq puts the stream's usage under `x_groq.usage` in the last chunk. */
  x_groq: z.looseObject({ usage: WireUsageSchema.nullish() }).nullish(),
});

export type WireChunk = z.infer<typeof ChunkSchema>;

const optString = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";
const optNumber = (v: unknown): boolean => v === undefined || v === null || typeof v === "number";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const optObject = (v: unknown): v is Record<string, unknown> | null | undefined =>
  v === undefined || v === null || isObject(v);

/** A usage object WireUsageSchema accepts as it is (or null / absent). */
function isPlainUsage(u: unknown): boolean {
  if (u === undefined || u === null) return true;
  if (!isObject(u)) return false;
  if (
    !optNumber(u.prompt_tokens) || !optNumber(u.completion_tokens) || !optNumber(u.total_tokens) ||
    !optNumber(u.prompt_cache_hit_tokens)
  ) return false;
  const p = u.prompt_tokens_details;
  if (!optObject(p) || (p && (!optNumber(p.cached_tokens) || !optNumber(p.cache_write_tokens)))) return false;
  const c = u.completion_tokens_details;
  return optObject(c) && (!c || optNumber(c.reasoning_tokens));
}

/** A `{name?, arguments?}` function fragment (or null / absent). */
function isPlainFunction(f: unknown): boolean {
  return optObject(f) && (!f || (optString(f.name) && optString(f.arguments)));
}

/**
 * The common chunks checked by hand (text and reasoning deltas, tool-call fragments, finish reasons, usage): true
 * only for chunks ChunkSchema accepts unchanged, so a stream skips a zod parse per event. Anything else goes to zod,
 * which then names what is wrong.
 */
export function isCommonChunk(json: unknown): json is WireChunk {
  if (!isObject(json)) return false;
  if (!optString(json.id) || !optString(json.model) || !optNumber(json.created)) return false;
  if (!isPlainUsage(json.usage)) return false;
  const groq = json.x_groq;
  if (!optObject(groq) || (groq && !isPlainUsage(groq.usage))) return false;
  const choices = json.choices;
  if (choices === undefined || choices === null) return true;
  if (!Array.isArray(choices)) return false;
  for (const c of choices) {
    if (!isObject(c) || !optNumber(c.index) || !optString(c.finish_reason)) return false;
    const d = c.delta;
    if (d === undefined || d === null) continue;
    if (!isObject(d)) return false;
    if (!optString(d.content) || !optString(d.refusal) || !optString(d.reasoning_content) || !optString(d.reasoning)) {
      return false;
    }
    if (!isPlainFunction(d.function_call)) return false;
    const calls = d.tool_calls;
    if (calls === undefined || calls === null) continue;
    if (!Array.isArray(calls)) return false;
    for (const t of calls) {
      if (!isObject(t) || !optNumber(t.index) || !optString(t.id) || !optString(t.type)) return false;
      if (!isPlainFunction(t.function)) return false;
    }
  }
  return true;
}
