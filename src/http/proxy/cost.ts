/** @module Cost of a request from the catalog's list prices (USD per 1M tokens) and its usage. */
import type { Usage } from "../../core/canonical.ts";
import type { Target } from "../../routing/resolve.ts";
import type { GatewayState, Price } from "../../routing/state.ts";

/** The price in force now: the user's override, else the catalog's list price (undefined: unknown, cost 0). */
export function priceOf(state: GatewayState, target: Target): Price | undefined {
  return state.prices.get(`${target.provider.id}/${target.model}`);
}

/** Cached input tokens are billed at the cached price when the model has one, else at the input price. */
export function costOf(price: Price | undefined, usage: Usage): number {
  if (!price) return 0;
  const cached = usage.cachedInputTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  const total = fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return total / 1e6;
}
