/**
 * @module Gateway-wide edits of a generateContent body in its own slots (same-format pass-through keeps every
 * other field): the global system prompt in `systemInstruction.parts`, the thinking override in
 * `generationConfig.thinkingConfig`.
 */
import type { SystemPromptMode, ThinkingOverride } from "../../core/request_overrides.ts";
import { overrideBudget } from "../../core/request_overrides.ts";

type Body = Record<string, unknown>;

/** Gemini's REST API takes the snake_case spelling too; the key the client used is the one edited. */
function systemKey(body: Body): string {
  return body.systemInstruction === undefined && body.system_instruction !== undefined
    ? "system_instruction"
    : "systemInstruction";
}

/** A text part first (prepend) or last (append) in `systemInstruction.parts`; a string instruction becomes a part. */
export function injectSystemPrompt(body: Body, text: string, mode: SystemPromptMode): Body {
  const key = systemKey(body);
  const si = body[key];
  const part = { text };
  let content: Record<string, unknown>;
  if (typeof si === "string") content = { parts: si === "" ? [] : [{ text: si }] };
  else if (si !== null && typeof si === "object") content = { ...(si as Body) };
  else content = {};
  const parts = Array.isArray(content.parts) ? content.parts : [];
  content.parts = mode === "prepend" ? [part, ...parts] : [...parts, part];
  return { ...body, [key]: content };
}

/**
 * `thinkingConfig.thinkingBudget` from the override (0 turns thinking off; an effort becomes the table's budget,
 * which Gemini 2.5 and 3 both take); a `thinkingLevel` would conflict, so it goes; includeThoughts stays.
 */
export function overrideThinking(body: Body, o: ThinkingOverride): Body {
  const key = body.generationConfig === undefined && body.generation_config !== undefined
    ? "generation_config"
    : "generationConfig";
  const gc = (body[key] ?? {}) as Body;
  const tcKey = gc.thinkingConfig === undefined && gc.thinking_config !== undefined
    ? "thinking_config"
    : "thinkingConfig";
  const { thinkingLevel: _level, thinking_level: _snake, ...tc } = (gc[tcKey] ?? {}) as Body;
  return { ...body, [key]: { ...gc, [tcKey]: { ...tc, thinkingBudget: overrideBudget(o) } } };
}
