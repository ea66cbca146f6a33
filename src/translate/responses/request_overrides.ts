/**
 * @module Gateway-wide edits of a Responses body in its own slots: the global system prompt in `instructions`,
 * the thinking override as `reasoning.effort` (the Responses API speaks efforts only).
 */
import type { SystemPromptMode, ThinkingOverride } from "../../core/request_overrides.ts";
import { overrideEffort } from "../../core/request_overrides.ts";

type Body = Record<string, unknown>;

/** `instructions` joined with the prompt by a blank line (the prompt alone when there were none). */
export function injectSystemPrompt(body: Body, text: string, mode: SystemPromptMode): Body {
  const own = typeof body.instructions === "string" ? body.instructions : "";
  if (own === "") return { ...body, instructions: text };
  return { ...body, instructions: mode === "prepend" ? `${text}\n\n${own}` : `${own}\n\n${text}` };
}

/** `reasoning.effort` from the override (`none` for off); a summary request stays. */
export function overrideThinking(body: Body, o: ThinkingOverride): Body {
  const reasoning = (body.reasoning ?? {}) as Body;
  return { ...body, reasoning: { ...reasoning, effort: overrideEffort(o) ?? "none" } };
}
