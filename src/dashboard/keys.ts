/** @module The API keys page's view model (hints only; a new key is shown once) and the form → API body mapping. */
import { formatUsd, formatUtc } from "./format.ts";

export interface KeyInfo {
  id: string;
  name: string;
  keyHint: string;
  scopes: string[];
  models: string[] | null;
  budget: { daily?: number; weekly?: number; monthly?: number; warnAt?: number } | null;
  source: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface BudgetInfo {
  period: string;
  limit: number;
  spent: number;
  resetsAt: string;
  warning: boolean;
  exceeded: boolean;
}

export interface KeyRow {
  id: string;
  name: string;
  hint: string;
  scopes: string;
  isAdmin: boolean;
  isInference: boolean;
  models: string;
  modelsValue: string;
  budgets: Array<{ period: string; text: string; pct: number; cls: string; resets: string }>;
  budgetValues: { daily: string; weekly: string; monthly: string };
  created: string;
  lastUsed: string;
  readOnly: boolean;
}

export function keysModel(input: { keys: KeyInfo[]; budgets: Map<string, BudgetInfo[]> }): { keys: KeyRow[] } {
  return {
    keys: input.keys.map((k) => ({
      id: k.id,
      name: k.name,
      hint: k.keyHint,
      scopes: k.scopes.join(", "),
      isAdmin: k.scopes.includes("admin"),
      isInference: k.scopes.includes("inference"),
      models: k.models && k.models.length > 0 ? k.models.join(", ") : "all models",
      modelsValue: k.models?.join("\n") ?? "",
      budgets: (input.budgets.get(k.id) ?? []).map((b) => {
        const pct = b.limit > 0 ? Math.min(100, Math.round((b.spent / b.limit) * 100)) : 0;
        return {
          period: b.period,
          text: `${formatUsd(b.spent)} of ${formatUsd(b.limit)}`,
          pct,
          cls: b.exceeded ? "bad" : b.warning ? "warn" : "ok",
          resets: `${formatUtc(Date.parse(b.resetsAt))} UTC`,
        };
      }),
      budgetValues: {
        daily: k.budget?.daily?.toString() ?? "",
        weekly: k.budget?.weekly?.toString() ?? "",
        monthly: k.budget?.monthly?.toString() ?? "",
      },
      created: formatUtc(k.createdAt),
      lastUsed: k.lastUsedAt ? formatUtc(k.lastUsedAt) : "never",
      readOnly: k.source === "file",
    })),
  };
}

/** A typed amount: empty → absent; anything else → a number (NaN fails validation with the field named). */
function amount(text: string): number | undefined {
  return text === "" ? undefined : Number(text);
}

/** The /api/keys body for the create and edit forms. */
export function keyBody(form: {
  name: string;
  scopes: string[];
  models: string[];
  daily: string;
  weekly: string;
  monthly: string;
}): Record<string, unknown> {
  const budget: Record<string, number> = {};
  for (const period of ["daily", "weekly", "monthly"] as const) {
    const v = amount(form[period]);
    if (v !== undefined) budget[period] = v;
  }
  return {
    name: form.name,
    scopes: form.scopes,
    models: form.models.length > 0 ? form.models : null,
    budget: Object.keys(budget).length > 0 ? budget : null,
  };
}

/** `budget.daily` → the `daily` field; anything else by its first segment. */
export function keyField(param: string): string {
  return param.startsWith("budget.") ? param.slice(7) : param.split(/[.[]/)[0];
}
