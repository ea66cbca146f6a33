/**
 * @module The one table between reasoning efforts and thinking budgets, used by every codec.
 * OpenAI speaks efforts (`reasoning_effort`), Anthropic and Gemini speak token budgets.
 */
import type { ReasoningEffort } from "./canonical.ts";

/** Budget (tokens) each effort maps to. Anthropic requires budget_tokens >= 1024. */
export const EFFORT_BUDGET: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 4096,
  medium: 12288,
  high: 32768,
};

/** The effort whose budget is nearest at or above the given budget (high above 12288). */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= EFFORT_BUDGET.minimal) return "minimal";
  if (budget <= EFFORT_BUDGET.low) return "low";
  if (budget <= EFFORT_BUDGET.medium) return "medium";
  return "high";
}

export function budgetForEffort(effort: ReasoningEffort): number {
  return EFFORT_BUDGET[effort];
}
