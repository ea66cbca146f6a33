/** @module The shared builder: an OpenAI-format provider is one call with its id, base URL and models. */
import type { ModelInfo, ProviderSpec } from "./types.ts";

export interface OpenAICompatibleOptions {
  id: string;
  prefix?: string;
  name: string;
  baseUrl: string;
  models: ModelInfo[];
  custom?: boolean;
  /** Extra static headers the vendor asks for (e.g. OpenRouter's attribution headers). */
  extraHeaders?: Record<string, string>;
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

/** `{baseUrl}/chat/completions` with `Authorization: Bearer` (https://platform.openai.com/docs/api-reference/chat). */
export function openAICompatible(options: OpenAICompatibleOptions): ProviderSpec {
  return {
    id: options.id,
    prefix: options.prefix ?? options.id,
    name: options.name,
    format: "openai",
    defaultBaseUrl: options.baseUrl,
    models: options.models,
    custom: options.custom,
    chatUrl: (t) => `${trimSlash(t.baseUrl)}/chat/completions`,
    modelsUrl: (baseUrl) => `${trimSlash(baseUrl)}/models`,
    headers: (apiKey) => ({
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...options.extraHeaders,
    }),
  };
}

/** Chat models listed by id only (no public price to seed). */
export function chat(...ids: string[]): ModelInfo[] {
  return ids.map((id) => ({ id, type: "chat" as const }));
}

/** A priced chat model: input/output (and cached input) USD per 1M tokens, context in tokens. */
export function priced(
  id: string,
  input: number,
  output: number,
  options: { cachedInput?: number; context?: number; type?: ModelInfo["type"] } = {},
): ModelInfo {
  return {
    id,
    type: options.type ?? "chat",
    context: options.context,
    price: { input, output, cachedInput: options.cachedInput },
  };
}

export { trimSlash };
