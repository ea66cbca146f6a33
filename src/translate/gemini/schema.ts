/** @module Zod schemas for the Gemini generateContent wire shapes (v1beta REST, camelCase JSON). */
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";

const jsonObject = z.record(z.string(), z.unknown());

export const inlineDataSchema = z.looseObject({ mimeType: z.string(), data: z.string() });
export const fileDataSchema = z.looseObject({ mimeType: z.string().optional(), fileUri: z.string() });

export const functionCallSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  args: jsonObject.optional(),
});

/** Gemini 3 multimodal function responses carry media in `functionResponse.parts`. */
export const functionResponsePartSchema = z.looseObject({
  inlineData: inlineDataSchema.optional(),
  fileData: fileDataSchema.optional(),
});

export const functionResponseSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  response: jsonObject.optional(),
  parts: z.array(functionResponsePartSchema).optional(),
});

export const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: inlineDataSchema.optional(),
  fileData: fileDataSchema.optional(),
  functionCall: functionCallSchema.optional(),
  functionResponse: functionResponseSchema.optional(),
  executableCode: z.looseObject({ language: z.string().optional(), code: z.string().optional() }).optional(),
  codeExecutionResult: z.looseObject({ outcome: z.string().optional(), output: z.string().optional() }).optional(),
});

export type WirePart = z.infer<typeof partSchema>;

export const contentSchema = z.looseObject({
  role: z.string().optional(),
  parts: z.array(partSchema),
});

export type WireContent = z.infer<typeof contentSchema>;

export const functionDeclarationSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  parameters: jsonObject.optional(),
  parametersJsonSchema: jsonObject.optional(),
});

export const toolSchema = z.looseObject({
  functionDeclarations: z.array(functionDeclarationSchema).optional(),
});

export const thinkingConfigSchema = z.looseObject({
  thinkingBudget: z.number().int().optional(),
  includeThoughts: z.boolean().optional(),
  thinkingLevel: z.string().optional(),
});

export const generationConfigSchema = z.looseObject({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  maxOutputTokens: z.number().int().optional(),
  stopSequences: z.array(z.string()).optional(),
  candidateCount: z.number().int().optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: jsonObject.optional(),
  responseJsonSchema: jsonObject.optional(),
  thinkingConfig: thinkingConfigSchema.optional(),
});

export const toolConfigSchema = z.looseObject({
  functionCallingConfig: z.looseObject({
    mode: z.string().optional(),
    allowedFunctionNames: z.array(z.string()).optional(),
  }).optional(),
});

export const requestSchema = z.looseObject({
  model: z.string().optional(),
  contents: z.array(contentSchema),
  systemInstruction: z.union([z.string(), z.looseObject({ role: z.string().optional(), parts: z.array(partSchema) })])
    .optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfigSchema.optional(),
  generationConfig: generationConfigSchema.optional(),
});

export type WireRequest = z.infer<typeof requestSchema>;

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});

export type WireUsage = z.infer<typeof usageMetadataSchema>;

export const candidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(partSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: z.number().optional(),
});

export const responseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: usageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  createTime: z.string().optional(),
});

export type WireResponse = z.infer<typeof responseSchema>;

export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
});

/** `contents[2].parts[0].text` from a zod issue path. */
export function pathToParam(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Parses a client request body or throws a 400 naming the first bad field. */
export function parseRequest(body: unknown): WireRequest {
  const result = requestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = pathToParam(issue.path);
  throw new GatewayError("invalid_request", `Invalid Gemini request: ${param || "body"}: ${issue.message}`, {
    param: param || null,
  });
}

/** Parses an upstream response body or throws a 502. */
export function parseResponse(body: unknown): WireResponse {
  const result = responseSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new GatewayError(
    "upstream_error",
    `Malformed Gemini response: ${pathToParam(issue.path) || "body"}: ${issue.message}`,
  );
}
