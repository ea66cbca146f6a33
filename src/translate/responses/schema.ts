/**
 * @module zod schemas for the OpenAI Responses request body and its input items (loose: unknown fields pass).
 * Items are validated one by one, chosen by `type`, so an error names the exact item and field.
 */
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";

const nullableString = z.string().nullish();

export const RequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional() }))]).nullish(),
  instructions: nullableString,
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([
    z.enum(["auto", "none", "required"]),
    z.looseObject({ type: z.string(), name: z.string().optional() }),
  ]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  reasoning: z.looseObject({ effort: nullableString, summary: nullableString, generate_summary: nullableString })
    .nullish(),
  text: z.looseObject({
    format: z.looseObject({
      type: z.enum(["text", "json_object", "json_schema"]),
      name: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
      description: z.string().optional(),
    }).nullish(),
    verbosity: nullableString,
  }).nullish(),
  stream: z.boolean().nullish(),
  user: nullableString,
});
export type ResponsesRequest = z.infer<typeof RequestSchema>;

export const FunctionToolSchema = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: nullableString,
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const PartSchema = z.looseObject({ type: z.string() });

export const MessageItemSchema = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(PartSchema)]),
});

export const InputTextSchema = z.looseObject({ type: z.enum(["input_text", "output_text"]), text: z.string() });
export const RefusalSchema = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
export const InputImageSchema = z.looseObject({
  type: z.literal("input_image"),
  image_url: nullableString,
  file_id: nullableString,
  detail: nullableString,
});
export const InputFileSchema = z.looseObject({
  type: z.literal("input_file"),
  file_data: nullableString,
  file_url: nullableString,
  file_id: nullableString,
  filename: nullableString,
});

export const FunctionCallSchema = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  namespace: nullableString,
});

const OutputSchema = z.union([z.string(), z.array(PartSchema)]);

export const FunctionCallOutputSchema = z.looseObject({
  type: z.enum(["function_call_output", "custom_tool_call_output"]),
  call_id: z.string().min(1),
  output: OutputSchema,
});

export const CustomToolCallSchema = z.looseObject({
  type: z.literal("custom_tool_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  input: z.string(),
  namespace: nullableString,
});

export const ReasoningItemSchema = z.looseObject({
  type: z.literal("reasoning"),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
  encrypted_content: nullableString,
});

/** `input[2].content[0]` style path, as OpenAI writes `param`. */
export function paramPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  }
  return out;
}

/** Parses with a schema or throws `invalid_request` naming the first bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = paramPath(prefix, issue?.path ?? []);
  throw new GatewayError("invalid_request", `${param || "body"}: ${issue?.message ?? "invalid value"}`, {
    param: param || null,
  });
}

/** A refusal of content the canonical model cannot carry, naming where it stood. */
export function unsupported(param: string, what: string): GatewayError {
  return new GatewayError("invalid_request", `${param}: ${what}`, { param });
}
