/** @module Providers that speak their own wire format: Anthropic Messages and Gemini generateContent. */
import { trimSlash } from "./openai_compatible.ts";
import type { ModelInfo, ProviderSpec } from "./types.ts";

/** Anthropic's API version header; `anthropic-version` from the client replaces it on pass-through. */
export const ANTHROPIC_VERSION = "2023-06-01";

/** `{baseUrl}/v1/messages`, `x-api-key` + `anthropic-version` (https://docs.anthropic.com/en/api/messages). */
export function anthropicFormat(
  options: { id: string; prefix?: string; name: string; baseUrl: string; models: ModelInfo[]; custom?: boolean },
): ProviderSpec {
  return {
    id: options.id,
    prefix: options.prefix ?? options.id,
    name: options.name,
    format: "anthropic",
    defaultBaseUrl: options.baseUrl,
    models: options.models,
    custom: options.custom,
    chatUrl: (t) => `${trimSlash(t.baseUrl)}/v1/messages`,
    modelsUrl: (baseUrl) => `${trimSlash(baseUrl)}/v1/models`,
    headers: (apiKey) => ({
      ...(apiKey ? { "x-api-key": apiKey } : {}),
      "anthropic-version": ANTHROPIC_VERSION,
    }),
  };
}

/**
 * `{baseUrl}/v1beta/models/{model}:generateContent` (or `:streamGenerateContent?alt=sse`), `x-goog-api-key`
 * (https://ai.google.dev/api/generate-content).
 */
export function geminiFormat(
  options: { id: string; prefix?: string; name: string; baseUrl: string; models: ModelInfo[]; custom?: boolean },
): ProviderSpec {
  return {
    id: options.id,
    prefix: options.prefix ?? options.id,
    name: options.name,
    format: "gemini",
    defaultBaseUrl: options.baseUrl,
    models: options.models,
    custom: options.custom,
    chatUrl: (t) =>
      `${trimSlash(t.baseUrl)}/v1beta/models/${t.model}:${
        t.stream ? "streamGenerateContent?alt=sse" : "generateContent"
      }`,
    modelsUrl: (baseUrl) => `${trimSlash(baseUrl)}/v1beta/models`,
    headers: (apiKey): Record<string, string> => (apiKey ? { "x-goog-api-key": apiKey } : {}),
  };
}
