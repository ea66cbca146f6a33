/**
 * @module Gateway-wide edits of a Messages body in its own slots (same-format pass-through keeps every other
 * field): the global system prompt in `system`, the thinking override as `thinking` (with the max_tokens it needs).
 */
import type { SystemPromptMode, ThinkingOverride } from "../../core/request_overrides.ts";
import { overrideBudget } from "../../core/request_overrides.ts";
import { MIN_THINKING_BUDGET } from "./request_encode.ts";

type Body = Record<string, unknown>;

/** `system` as a string stays a string (joined by a blank line); an array of blocks gets a text block. */
export function injectSystemPrompt(body: Body, text: string, mode: SystemPromptMode): Body {
  const system = body.system;
  if (Array.isArray(system)) {
    const block = { type: "text", text };
    return { ...body, system: mode === "prepend" ? [block, ...system] : [...system, block] };
  }
  if (typeof system === "string" && system !== "") {
    return { ...body, system: mode === "prepend" ? `${text}\n\n${system}` : `${system}\n\n${text}` };
  }
  return { ...body, system: text };
}

/**
 * `thinking` from the override. Anthropic needs 1024 ≤ budget_tokens < max_tokens (the same fit as the encoder:
 * half the client's max_tokens when the budget does not fit), refuses thinking when tool_choice forces a tool
 * (then the body is left alone), and refuses temperature/top_k changes while thinking (so they are removed).
 */
export function overrideThinking(body: Body, o: ThinkingOverride): Body {
  const budgetWanted = overrideBudget(o);
  if (budgetWanted <= 0) return { ...body, thinking: { type: "disabled" } };
  const choice = (body.tool_choice as { type?: unknown } | null | undefined)?.type;
  if (choice === "any" || choice === "tool") return body;
  let budget = Math.max(MIN_THINKING_BUDGET, budgetWanted);
  let maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : budget + 4096;
  if (budget >= maxTokens) {
    budget = Math.floor(maxTokens / 2);
    if (budget < MIN_THINKING_BUDGET) {
      budget = MIN_THINKING_BUDGET;
      maxTokens += MIN_THINKING_BUDGET;
    }
  }
  const prior = body.thinking as { display?: unknown } | null | undefined;
  const display = prior?.display === undefined ? {} : { display: prior.display };
  const out: Body = {
    ...body,
    max_tokens: maxTokens,
    thinking: { type: "enabled", budget_tokens: budget, ...display },
  };
  if (out.temperature !== undefined && out.temperature !== 1) delete out.temperature;
  delete out.top_k;
  return out;
}
