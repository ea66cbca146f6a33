/** @module Wire helpers the fake vendors share: scenarios, SSE framing, JSON answers, the common tool call. */

/**
 * What the fake answers next. `midstream_close` sends a few chunks then ends the body before the vendor's final
 * event; `midstream_reset` sends a few chunks then breaks the connection; `midstream_event` sends a few chunks then
 * the vendor's in-stream error.
 */
export type Scenario =
  | "text"
  | "tool"
  | "thinking"
  | "error429"
  | "error400"
  | "midstream_close"
  | "midstream_reset"
  | "midstream_event";

/** The mid-stream failure scenarios. */
export function isMidstream(s: Scenario): s is "midstream_close" | "midstream_reset" | "midstream_event" {
  return s === "midstream_close" || s === "midstream_reset" || s === "midstream_event";
}

/** Everything a vendor answer needs to know about the call. */
export interface AnswerInput {
  scenario: Scenario;
  body: Record<string, unknown>;
  stream: boolean;
  /** The model id the upstream saw (body or path). */
  model: string;
}

/** Scenario the shared text/tool answers are built around (all three vendors use the same content). */
export const SHARED = {
  toolName: "get_weather",
  /** The exact JSON text every fake's tool call carries, split across deltas where the format streams it. */
  toolArguments: '{"city":"Paris","unit":"celsius"}',
  toolArgumentChunks: ['{"city"', ':"Paris",', '"unit":"cel', 'sius"}'],
  toolResult: "22 degrees and sunny",
} as const;

const encoder = new TextEncoder();

/** An SSE response from pre-encoded event frames; `abort` errors the body after them (connection drops). */
export function sseResponse(frames: string[], options: { abort?: boolean; headers?: HeadersInit } = {}): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < frames.length) {
        controller.enqueue(encoder.encode(frames[i++]));
        return;
      }
      if (options.abort) controller.error(new Error("fake upstream dropped the connection (expected in this test)"));
      else controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...options.headers },
  });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** SSE frame with an optional event name (Anthropic names every event; OpenAI and Gemini send bare `data:`). */
export function frame(data: unknown, event?: string, eol = "\n"): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return (event ? `event: ${event}${eol}` : "") + `data: ${payload}${eol}${eol}`;
}
