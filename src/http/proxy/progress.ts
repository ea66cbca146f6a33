/**
 * @module Progress events (`x-switchyard-progress: true`, streams only): the response's status line and headers
 * go out at once, and the client gets its format's heartbeat (Anthropic `ping`, an SSE comment elsewhere) at the
 * start, at every attempt (retry, fallback) and every `heartbeatMs` while the attempt loop runs. Then the
 * answer's own events follow; a failure after that point becomes the format's error event (CONTRACT: fallback).
 */
import type { WireFormat } from "../../core/canonical.ts";
import { ERROR_STATUS, type ErrorCode, GatewayError } from "../../core/errors.ts";
import { encodeSse, sseComment } from "../../core/sse.ts";
import type { Gateway } from "../context.ts";
import type { ProxyJob } from "./job.ts";
import { heartbeatText, streamErrorEvent } from "./stream.ts";

/** True when a streaming client asked for progress events. */
export function wantsProgress(headers: Headers): boolean {
  return headers.get("x-switchyard-progress")?.trim().toLowerCase() === "true";
}

/** Anthropic clients get their own `ping` (the SDK skips it); every other SSE parser drops comment lines. */
export function progressText(surface: WireFormat, note: string): string {
  return surface === "anthropic" ? heartbeatText(surface) : sseComment(`progress ${note.replace(/[\r\n]+/g, " ")}`);
}

/** The JSON error answer of the attempt loop, as the client format's stream error event. */
export function errorEventText(surface: WireFormat, status: number, text: string): string {
  let message = `upstream answered ${status}`;
  let code: ErrorCode = status >= 500 ? "upstream_error" : "invalid_request";
  let param: string | null = null;
  try {
    const err = (JSON.parse(text) as { error?: { message?: unknown; code?: unknown; param?: unknown } }).error;
    if (typeof err?.message === "string") message = err.message;
    if (typeof err?.code === "string" && err.code in ERROR_STATUS) code = err.code as ErrorCode;
    if (typeof err?.param === "string") param = err.param;
  } catch { /* not JSON: the generic message stands */ }
  return encodeSse(streamErrorEvent(surface, new GatewayError(code, message, { status, param })));
}

/**
 * Starts `run` (the attempt loop) behind a stream that is already answering. The stream is pull-based like the
 * answer it wraps, so backpressure and "usage committed before the last byte" still hold.
 */
export function progressResponse(gw: Gateway, job: ProxyJob, run: () => Promise<Response>): Response {
  const encoder = new TextEncoder();
  const queued: string[] = [progressText(job.surface, "waiting for the upstream")];
  let wake: (() => void) | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let ended = false;
  let cancelled = false;
  const push = (text: string): void => {
    queued.push(text);
    wake?.();
  };
  job.progress = (note) => push(progressText(job.surface, note));
  const beatMs = gw.state.settings.resilience.heartbeatMs;
  const timer = beatMs > 0 ? setInterval(() => push(progressText(job.surface, "still waiting")), beatMs) : undefined;

  function settle(): void {
    job.progress = undefined;
    if (timer !== undefined) clearInterval(timer);
  }

  run().then(async (res) => {
    settle();
    if (res.headers.get("content-type")?.startsWith("text/event-stream") && res.body) {
      if (cancelled) return void res.body.cancel().catch(() => {});
      reader = res.body.getReader();
    } else {
      push(errorEventText(job.surface, res.status, await res.text()));
      ended = true;
    }
    wake?.();
  }, (err) => {
    settle();
    const gerr = err instanceof GatewayError ? err : new GatewayError("internal_error", "internal error");
    push(encodeSse(streamErrorEvent(job.surface, gerr)));
    ended = true;
    wake?.();
  });

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        const next = queued.shift();
        if (next !== undefined) return controller.enqueue(encoder.encode(next));
        if (reader) {
          const r = await reader.read();
          if (r.done) controller.close();
          else controller.enqueue(r.value);
          return;
        }
        if (ended) return controller.close();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    cancel(reason) {
      cancelled = true;
      settle();
      return reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: 200,
    headers: {
      "x-request-id": job.requestId,
      "x-switchyard-cache": "miss",
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    },
  });
}
