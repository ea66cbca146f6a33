/**
 * @module The AI settings applied to a request before it runs: the global system prompt (unless the key opts
 * out) and the thinking override, both edited into the client's body in its own format's slots, so a
 * same-format pass-through stays a pass-through and translation decodes them like the client's own.
 */
import type { Settings } from "../../config/schema.ts";
import type { WireFormat } from "../../core/canonical.ts";
import type { ThinkingOverride } from "../../core/request_overrides.ts";
import type { ApiKeyRow } from "../../store/mod.ts";
import { REQUEST_OVERRIDES } from "../../translate/overrides.ts";

/** The override the settings ask for, or undefined for `passthrough`. */
export function thinkingOverrideOf(ai: Settings["ai"]): ThinkingOverride | undefined {
  switch (ai.thinkingMode) {
    case "off":
      return { mode: "off" };
    case "budget":
      return { mode: "budget", budgetTokens: ai.thinkingBudget };
    case "effort":
      return { mode: "effort", effort: ai.thinkingEffort };
    default:
      return undefined;
  }
}

/** The body to send (the client's own object when no setting applies) and the thinking override in force. */
export function applyAiSettings(
  ai: Settings["ai"],
  request: { surface: WireFormat; body: Record<string, unknown>; key: ApiKeyRow | undefined },
): { body: Record<string, unknown>; thinking?: ThinkingOverride } {
  let body = request.body;
  const edits = REQUEST_OVERRIDES[request.surface];
  if (ai.systemPrompt !== "" && !request.key?.options?.noSystemPrompt) {
    body = edits.injectSystemPrompt(body, ai.systemPrompt, ai.systemPromptMode);
  }
  const thinking = thinkingOverrideOf(ai);
  if (thinking) body = edits.overrideThinking(body, thinking);
  return thinking ? { body, thinking } : { body };
}
