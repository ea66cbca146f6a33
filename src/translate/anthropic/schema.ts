/** @module Zod schemas for the Anthropic Messages wire shapes we read, and the error helpers that name bad fields. */
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";

/** `messages[2].content[0].text` from a zod issue path. */
export function pathToParam(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Parses `value` or throws `invalid_request` naming the first bad field (prefixed by `base`). */
export function parseRequestPart<T>(schema: z.ZodType<T>, value: unknown, base: ReadonlyArray<PropertyKey>): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = pathToParam([...base, ...(issue?.path ?? [])]);
  throw new GatewayError("invalid_request", `${param || "body"}: ${issue?.message ?? "invalid value"}`, {
    param: param || null,
  });
}

/** Throws `invalid_request` for `param`. */
export function invalid(param: string, message: string): never {
  throw new GatewayError("invalid_request", `${param}: ${message}`, { param });
}

export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const CacheControl = JsonObject.nullish();

export const TextBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: CacheControl });
export const ImageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.string(), media_type: z.string().optional(), data: z.string().optional() }),
  cache_control: CacheControl,
});
export const DocumentBlock = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
  title: z.string().nullish(),
  cache_control: CacheControl,
});
export const ToolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: CacheControl,
});
export const ToolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
  is_error: z.boolean().nullish(),
  cache_control: CacheControl,
});
export const ThinkingBlock = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().nullish(),
});
export const RedactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });

const AnyBlock = z.looseObject({ type: z.string() });

export const RequestMessage = z.looseObject({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(AnyBlock)]),
});

const OutputFormat = z.looseObject({ type: z.string(), schema: JsonObject.optional() });

export const MessagesRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(RequestMessage),
  system: z.union([z.string(), z.array(TextBlock)]).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().int().nullish(),
  tools: z.array(z.looseObject({ type: z.string().nullish() })).nullish(),
  tool_choice: z.looseObject({
    type: z.enum(["auto", "any", "tool", "none"]),
    name: z.string().optional(),
    disable_parallel_tool_use: z.boolean().nullish(),
  }).nullish(),
  thinking: z.looseObject({
    type: z.enum(["enabled", "adaptive", "disabled", "between_tools"]),
    budget_tokens: z.number().int().nullish(),
    display: z.string().nullish(),
  }).nullish(),
  output_config: z.looseObject({ effort: z.string().nullish(), format: OutputFormat.nullish() }).nullish(),
  output_format: OutputFormat.nullish(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

export const CustomTool = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  input_schema: JsonObject,
  strict: z.boolean().nullish(),
  cache_control: CacheControl,
});

export const WireUsage = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: z.number().nullish() }).nullish(),
});
export type WireUsage = z.infer<typeof WireUsage>;

export const MessagesResponse = z.looseObject({
  id: z.string(),
  model: z.string(),
  content: z.array(AnyBlock),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: WireUsage.nullish(),
});

export const ErrorBody = z.looseObject({
  type: z.literal("error").optional(),
  error: z.looseObject({ type: z.string(), message: z.string().nullish() }),
});
