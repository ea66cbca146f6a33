/** @module The usage page's budgets and pricing tabs: budget progress per key and period, the editable price list. */
import { formatUsd, formatUtc } from "./format.ts";
import type { BudgetInfo, KeyInfo } from "./keys.ts";

export interface BudgetRow {
  keyId: string;
  name: string;
  hint: string;
  readOnly: boolean;
  periods: Array<{ period: string; text: string; pct: number; cls: string; resets: string }>;
}

export interface BudgetsModel {
  rows: BudgetRow[];
  /** Keys a budget may be set on (not from the config file). */
  keyOptions: Array<{ value: string; label: string }>;
  periodOptions: Array<{ value: string; label: string }>;
}

export function budgetsModel(input: { keys: KeyInfo[]; status: Map<string, BudgetInfo[]> }): BudgetsModel {
  const rows = input.keys.filter((k) => (input.status.get(k.id) ?? []).length > 0).map((k) => ({
    keyId: k.id,
    name: k.name,
    hint: k.keyHint,
    readOnly: k.source === "file",
    periods: (input.status.get(k.id) ?? []).map((b) => ({
      period: b.period,
      text: `${formatUsd(b.spent)} of ${formatUsd(b.limit)}`,
      pct: b.limit > 0 ? Math.min(100, Math.round((b.spent / b.limit) * 100)) : 0,
      cls: b.exceeded ? "bad" : b.warning ? "warn" : "ok",
      resets: `${formatUtc(Date.parse(b.resetsAt))} UTC`,
    })),
  }));
  return {
    rows,
    keyOptions: input.keys.filter((k) => k.source !== "file").map((k) => ({
      value: k.id,
      label: `${k.name} (${k.keyHint})`,
    })),
    periodOptions: [
      { value: "daily", label: "Daily" },
      { value: "weekly", label: "Weekly (from Monday)" },
      { value: "monthly", label: "Monthly" },
    ],
  };
}

export interface PriceInput {
  id: string;
  provider: string;
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  source: "custom" | "catalog";
  catalog: { input: number; output: number; cachedInput?: number } | null;
}

export interface PriceRowView {
  id: string;
  provider: string;
  model: string;
  input: string;
  output: string;
  cachedInput: string;
  custom: boolean;
  catalog: string;
}

export interface PricingModel {
  rows: PriceRowView[];
  q: string;
  total: number;
  shown: number;
  providerOptions: Array<{ value: string; label: string }>;
}

/** USD per 1M tokens, without trailing zeros. */
export function formatPrice(n: number | null | undefined): string {
  return n === null || n === undefined ? "–" : `$${+n.toFixed(4)}`;
}

/** Filters by a case-insensitive substring of `provider/model`; custom prices first, then by id; at most `limit`. */
export function pricingModel(
  input: { entries: PriceInput[]; q: string; providers: Array<{ id: string; name: string }> },
  limit = 200,
): PricingModel {
  const q = input.q.trim().toLowerCase();
  const matching = input.entries
    .filter((e) => !q || e.id.toLowerCase().includes(q))
    .sort((a, b) => Number(b.source === "custom") - Number(a.source === "custom") || a.id.localeCompare(b.id));
  return {
    rows: matching.slice(0, limit).map((e) => ({
      id: e.id,
      provider: e.provider,
      model: e.model,
      input: formatPrice(e.input),
      output: formatPrice(e.output),
      cachedInput: formatPrice(e.cachedInput),
      custom: e.source === "custom",
      catalog: e.catalog ? `list ${formatPrice(e.catalog.input)} / ${formatPrice(e.catalog.output)}` : "no list price",
    })),
    q: input.q,
    total: matching.length,
    shown: Math.min(limit, matching.length),
    providerOptions: input.providers.map((p) => ({ value: p.id, label: p.name })),
  };
}
