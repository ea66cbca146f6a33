/** @module Local token estimates (about 4 characters a token) for upstreams that report none. */
import type { ChatRequest } from "../../core/canonical.ts";

/** Counts every text the model would read: system, messages, tool calls/results and tool schemas. */
export function estimateRequestTokens(req: ChatRequest): number {
  let chars = 0;
  for (const s of req.system) chars += s.text.length;
  for (const m of req.messages) {
    chars += 4; // role and framing
    for (const p of m.content) {
      if (p.type === "text" || p.type === "thinking") chars += p.text.length;
      else if (p.type === "tool_call") chars += p.name.length + p.arguments.length;
      else if (p.type === "tool_result") {
        for (const r of p.content) {
          chars += r.type === "text" ? r.text.length : 1600 * 4;
        }
      } else if (p.type === "image") chars += 1600 * 4; // a typical image costs on the order of 1,600 tokens
    }
  }
  for (const t of req.tools ?? []) {
    if (t.type === "function") {
      chars += t.name.length + (t.description?.length ?? 0) + JSON.stringify(t.parameters).length;
    }
  }
  return Math.max(1, Math.ceil(chars / 4));
}
