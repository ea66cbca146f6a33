/** @module Cost of a request from the catalog's list prices (USD per 1M tokens) and its usage. */
import type { Usage } from "../../core/canonical.ts";
import type { ProviderSpec } from "../../providers/mod.ts";

/** Cached input tokens are billed at the cached price when the model has one, else at the input price. */
export function costOf(provider: ProviderSpec, model: string, usage: Usage): number {
  const info = provider.models.find((m) => m.id === model);
  const price = info?.price;
  if (!price) return 0;
  const cached = usage.cachedInputTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  const total = fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return total / 1e6;
}

/** A rough local estimate (about 4 characters a token) for upstreams that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
