/** @module The provider registry: built-ins plus custom providers, found by id or model-name prefix. */
import { BUILTIN_PROVIDERS } from "./catalog.ts";
import { anthropicFormat, geminiFormat } from "./native.ts";
import { chat, openAICompatible } from "./openai_compatible.ts";
import type { ProviderSpec, UpstreamFormat } from "./types.ts";

export interface CustomProviderSpec {
  id: string;
  name?: string | null;
  format: UpstreamFormat;
  baseUrl: string;
  models: string[];
}

export interface Registry {
  readonly providers: readonly ProviderSpec[];
  /** By id (`deepseek`) or prefix (`ds`). */
  get(idOrPrefix: string): ProviderSpec | undefined;
}

/** Builds a custom provider's spec from the shared builders. */
export function customProvider(entry: CustomProviderSpec): ProviderSpec {
  const options = {
    id: entry.id,
    name: entry.name ?? entry.id,
    baseUrl: entry.baseUrl,
    models: chat(...entry.models),
    custom: true,
  };
  if (entry.format === "anthropic") return anthropicFormat(options);
  if (entry.format === "gemini") return geminiFormat(options);
  return openAICompatible(options);
}

/** Built once per config change; custom providers never shadow a built-in id or prefix. */
export function createRegistry(custom: readonly CustomProviderSpec[]): Registry {
  const providers = [...BUILTIN_PROVIDERS];
  const index = new Map<string, ProviderSpec>();
  for (const p of providers) {
    index.set(p.id, p);
    index.set(p.prefix, p);
  }
  for (const entry of custom) {
    if (index.has(entry.id)) continue;
    const spec = customProvider(entry);
    providers.push(spec);
    index.set(spec.id, spec);
  }
  return {
    providers,
    get: (idOrPrefix) => index.get(idOrPrefix),
  };
}

/** True when `id` is a built-in provider id or prefix (custom providers must not take one). */
export function isBuiltinName(id: string): boolean {
  return BUILTIN_PROVIDERS.some((p) => p.id === id || p.prefix === id);
}
