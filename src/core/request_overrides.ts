/**
 * @module Gateway-wide edits of a client's request (AI settings): where a global system prompt goes and the
 * thinking override, as plain data, plus the override applied to canonical reasoning.
 */
import type { ReasoningConfig, ReasoningEffort } from "./canonical.ts";
import { budgetForEffort, effortForBudget } from "./reasoning.ts";

/** `prepend`: before the client's own system text; `append`: after it (still ahead of the conversation). */
export type SystemPromptMode = "prepend" | "append";

/** What replaces the client's thinking settings (`passthrough` is the absence of an override). */
export type ThinkingOverride =
  | { mode: "off" }
  | { mode: "budget"; budgetTokens: number }
  | { mode: "effort"; effort: ReasoningEffort };

/** The budget an override asks for (effort through the one table), or 0 for off. */
export function overrideBudget(o: ThinkingOverride): number {
  if (o.mode === "off") return 0;
  return o.mode === "budget" ? o.budgetTokens : budgetForEffort(o.effort);
}

/** The effort an override asks for (a budget through the one table), or undefined for off. */
export function overrideEffort(o: ThinkingOverride): ReasoningEffort | undefined {
  if (o.mode === "off" || (o.mode === "budget" && o.budgetTokens <= 0)) return undefined;
  return o.mode === "effort" ? o.effort : effortForBudget(o.budgetTokens);
}

/** Canonical reasoning under an override; whether thoughts are shown stays the client's choice. */
export function overrideReasoning(current: ReasoningConfig | undefined, o: ThinkingOverride): ReasoningConfig {
  const shown = current?.includeThoughts === undefined ? {} : { includeThoughts: current.includeThoughts };
  const effort = overrideEffort(o);
  if (effort === undefined) return { enabled: false };
  if (o.mode === "budget") return { enabled: true, budgetTokens: o.budgetTokens, effort, ...shown };
  return { enabled: true, effort, ...shown };
}
