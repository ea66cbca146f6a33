/**
 * @module Local estimates of output tokens (about 4 characters a token, like the request estimate) for
 * upstreams that report no usage: from a decoded answer, or from the SSE text of a stream.
 */
import type { ChatResponse, SseEvent, StreamEvent } from "../core/canonical.ts";
import { createSseParser } from "../core/sse.ts";

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

/** What a stream decoder needs (a codec's two stream members). */
export interface StreamDecoder<S> {
  initDecodeStream(): S;
  decodeStream(state: S, event: SseEvent): { state: S; out: StreamEvent[] };
}

/**
 * Replays SSE text through the format's decoder and counts the deltas. When only the first part of the stream
 * was kept, the count is scaled by `totalBytes / keptBytes`.
 */
export function estimateStreamTokens<S>(
  sseText: string,
  decoder: StreamDecoder<S>,
  scale: { keptBytes: number; totalBytes: number } = { keptBytes: 1, totalBytes: 1 },
): number {
  const parser = createSseParser();
  let state = decoder.initDecodeStream();
  let chars = 0;
  const events = [...parser.push(sseText), ...parser.end()];
  for (const ev of events) {
    try {
      const step = decoder.decodeStream(state, ev);
      state = step.state;
      for (const c of step.out) {
        if (c.type === "text_delta" || c.type === "thinking_delta") chars += c.text.length;
        else if (c.type === "tool_call_delta") chars += c.arguments.length;
        else if (c.type === "tool_call_start") chars += c.name.length;
      }
    } catch {
      // A malformed event counts nothing; the rest still does.
    }
  }
  const factor = scale.keptBytes > 0 ? Math.max(1, scale.totalBytes / scale.keptBytes) : 1;
  return tokensOf(Math.round(chars * factor));
}
