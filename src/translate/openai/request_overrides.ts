/**
 * @module Gateway-wide edits of a Chat Completions body in its own slots (same-format pass-through keeps every
 * other field): the global system prompt as a system message, the thinking override as `reasoning_effort`.
 */
import type { SystemPromptMode, ThinkingOverride } from "../../core/request_overrides.ts";
import { overrideEffort } from "../../core/request_overrides.ts";

type Body = Record<string, unknown>;

function isSystem(m: unknown): boolean {
  const role = (m as { role?: unknown } | null)?.role;
  return role === "system" || role === "developer";
}

/** A system message first (prepend) or right after the leading system/developer messages (append). */
export function injectSystemPrompt(body: Body, text: string, mode: SystemPromptMode): Body {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let at = 0;
  if (mode === "append") { while (at < messages.length && isSystem(messages[at])) at++; }
  return { ...body, messages: [...messages.slice(0, at), { role: "system", content: text }, ...messages.slice(at)] };
}

/**
 * `reasoning_effort` from the override. Chat Completions has no switch every model takes: models without
 * reasoning refuse the field, so `off` rewrites only an effort the client sent itself (to `none`).
 */
export function overrideThinking(body: Body, o: ThinkingOverride): Body {
  const effort = overrideEffort(o);
  if (effort !== undefined) return { ...body, reasoning_effort: effort };
  return body.reasoning_effort == null ? body : { ...body, reasoning_effort: "none" };
}
