/**
 * @module Local token estimates (about 4 characters a token) for upstreams that report no usage, and for
 * count_tokens against non-Anthropic upstreams: a request, a decoded answer, or characters counted off a stream.
 */
import type { ChatRequest, ChatResponse } from "../core/canonical.ts";

/** About four characters a token. */
export function tokensOf(chars: number): number {
  return chars > 0 ? Math.max(1, Math.ceil(chars / 4)) : 0;
}

/** Text, thinking and tool calls of a decoded answer. */
export function estimateResponseTokens(res: ChatResponse): number {
  let chars = 0;
  for (const p of res.content) {
    if (p.type === "text" || p.type === "thinking") chars += p.text.length;
    else if (p.type === "tool_call") chars += p.name.length + p.arguments.length;
  }
  return tokensOf(chars);
}

/** Every text the model would read: system, messages, tool calls/results and tool schemas (at least 1). */
export function estimateRequestTokens(req: ChatRequest): number {
  let chars = 0;
  for (const s of req.system) chars += s.text.length;
  for (const m of req.messages) {
    chars += 4; // role and framing
    for (const p of m.content) {
      if (p.type === "text" || p.type === "thinking") chars += p.text.length;
      else if (p.type === "tool_call") chars += p.name.length + p.arguments.length;
      else if (p.type === "tool_result") {
        for (const r of p.content) chars += r.type === "text" ? r.text.length : 1600 * 4;
      } else if (p.type === "image") chars += 1600 * 4; // a typical image costs on the order of 1,600 tokens
    }
  }
  for (const t of req.tools ?? []) {
    if (t.type === "function") {
      chars += t.name.length + (t.description?.length ?? 0) + JSON.stringify(t.parameters).length;
    }
  }
  return Math.max(1, tokensOf(chars));
}
