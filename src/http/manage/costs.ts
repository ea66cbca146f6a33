/**
 * @module Prices and budgets, shared by /api/pricing, /api/usage/budget and the dashboard's usage page: the price
 * list (catalog prices with overrides, USD per 1M tokens), saving and removing an override, and per-key budgets.
 */
import { z } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { type Period, PERIODS } from "../../usage/periods.ts";
import {
  type Budget,
  deletePrice,
  getApiKey,
  listApiKeys,
  listPrices,
  updateApiKey,
  upsertPrice,
} from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { validate } from "../routes/ingress.ts";

const price = z.number().min(0).max(100_000);
export const priceSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  input: price,
  output: price,
  cachedInput: price.nullable().optional(),
});

export const budgetInputSchema = z.strictObject({
  keyId: z.string().min(1),
  period: z.enum(PERIODS as unknown as [Period, ...Period[]]),
  /** USD; null removes this period's limit. */
  limit: z.number().positive().max(1_000_000).nullable(),
  warnAt: z.number().min(0).max(1).optional(),
});

export interface PriceEntry {
  id: string;
  provider: string;
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  source: "custom" | "catalog";
  catalog: { input: number; output: number; cachedInput?: number } | null;
}

function providerId(gw: Gateway, name: string): string {
  const spec = gw.state.registry.get(name);
  if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
  return spec.id;
}

/** Every model with a price: catalog list prices, overridden where an override exists, then overrides alone. */
export function priceList(gw: Gateway): PriceEntry[] {
  const overrides = new Map(listPrices(gw.db).map((p) => [`${p.provider}/${p.model}`, p]));
  const data: PriceEntry[] = [];
  for (const provider of gw.state.registry.providers) {
    for (const m of provider.models) {
      const id = `${provider.id}/${m.id}`;
      const o = overrides.get(id);
      overrides.delete(id);
      if (!o && !m.price) continue;
      data.push({
        id,
        provider: provider.id,
        model: m.id,
        input: o?.input ?? m.price!.input,
        output: o?.output ?? m.price!.output,
        cachedInput: o ? o.cachedInput : m.price?.cachedInput ?? null,
        source: o ? "custom" : "catalog",
        catalog: m.price ?? null,
      });
    }
  }
  for (const [id, o] of overrides) {
    data.push({
      id,
      provider: o.provider,
      model: o.model,
      input: o.input,
      output: o.output,
      cachedInput: o.cachedInput,
      source: "custom",
      catalog: null,
    });
  }
  return data;
}

/** Saves a price override (validated) and reloads the state so new requests use it. */
export async function savePriceOp(gw: Gateway, body: unknown): Promise<PriceEntry> {
  const input = validate(priceSchema, body);
  const provider = providerId(gw, input.provider);
  const row = {
    provider,
    model: input.model,
    input: input.input,
    output: input.output,
    cachedInput: input.cachedInput ?? null,
  };
  upsertPrice(gw.db, row, gw.now());
  await gw.reload();
  return { id: `${provider}/${input.model}`, ...row, source: "custom", catalog: null };
}

/** Removes an override (the catalog price applies again); 404 when there is none. */
export async function deletePriceOp(gw: Gateway, provider: string, model: string): Promise<string> {
  const id = providerId(gw, provider);
  if (!deletePrice(gw.db, id, model)) throw new GatewayError("not_found", `no price override for ${id}/${model}`);
  await gw.reload();
  return `${id}/${model}`;
}

/** Budget status of every key with a budget (optionally one key), with the key's name. */
export function budgetList(gw: Gateway, only?: string) {
  const data = [];
  for (const key of listApiKeys(gw.db)) {
    if (!key.budget || (only && key.id !== only)) continue;
    for (const s of gw.budgets.status(key.id, key.budget)) data.push({ ...s, keyName: key.name });
  }
  return data;
}

/** Sets or removes (limit null) one period's limit of a key's budget; file-defined keys are refused (409). */
export async function setBudgetOp(gw: Gateway, body: unknown): Promise<{ keyId: string; budget: Budget | null }> {
  const input = validate(budgetInputSchema, body);
  const key = getApiKey(gw.db, input.keyId);
  if (!key) throw new GatewayError("not_found", `no API key ${input.keyId}`, { param: "keyId" });
  if (key.source === "file") {
    throw new GatewayError("invalid_request", "this key's budget comes from the config file; edit the file instead", {
      status: 409,
      param: "keyId",
    });
  }
  const budget: Budget = { ...(key.budget ?? {}) };
  if (input.limit === null) delete budget[input.period];
  else budget[input.period] = input.limit;
  if (input.warnAt !== undefined) budget.warnAt = input.warnAt;
  const empty = budget.daily === undefined && budget.weekly === undefined && budget.monthly === undefined;
  updateApiKey(gw.db, key.id, { ...key, budget: empty ? null : budget });
  await gw.reload();
  return { keyId: key.id, budget: empty ? null : budget };
}
