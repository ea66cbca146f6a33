/** @module Shared by the stream step's test and bench: OpenAI chunks as an upstream sends them, and pass-through options. */
import type { StreamOptions } from "./stream.ts";

/** One `chat.completion.chunk` event: a delta (with a finish reason), or, with `usage`, the usage-only chunk. */
export function openaiChunk(delta: Record<string, unknown>, finish: string | null = null, usage?: unknown): string {
  const body = {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4.1",
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** An OpenAI client on an OpenAI upstream, no heartbeat: the plainest stream. */
export const OPENAI_PASSTHROUGH: StreamOptions = {
  surface: "openai",
  upstreamFormat: "openai",
  passthrough: true,
  clientWantsUsage: false,
  idleTimeoutMs: 60_000,
  heartbeatMs: 0,
  abortUpstream: () => {},
  startedAt: 0,
};
