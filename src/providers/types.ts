/** @module What a provider is: data (ids, base URL, models, prices) plus small functions (URLs, auth headers). */
import type { WireFormat } from "../core/canonical.ts";

export type ModelType = "chat" | "embedding" | "image";

export interface ModelInfo {
  id: string;
  name?: string;
  type: ModelType;
  /** Context window in tokens, where public. */
  context?: number;
  /** USD per 1M tokens, where public. */
  price?: { input: number; output: number; cachedInput?: number };
}

/** The formats an upstream can speak (Responses is a client surface only, for now). */
export type UpstreamFormat = Exclude<WireFormat, "responses">;

export interface UpstreamTarget {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  stream: boolean;
}

export interface ProviderSpec {
  id: string;
  /** The model-name prefix (`ds` for deepseek); equal to `id` where the contract names no other. */
  prefix: string;
  name: string;
  format: UpstreamFormat;
  /** What the vendor's own SDK calls its base URL. */
  defaultBaseUrl: string;
  models: ModelInfo[];
  /** True for providers added by the user (`customProviders`). */
  custom?: boolean;
  /** The request URL for a chat call. */
  chatUrl(target: UpstreamTarget): string;
  /** The URL that lists models (used by the connection test). */
  modelsUrl(baseUrl: string): string;
  /** Auth and version headers for a call with this key. */
  headers(apiKey: string | undefined): Record<string, string>;
}
