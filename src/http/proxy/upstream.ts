/** @module One upstream HTTP call with a header timeout and an abort that the client's disconnect triggers. */
import { GatewayError } from "../../core/errors.ts";
import type { UpstreamFetch, UpstreamReply } from "../client/mod.ts";

export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  /** POST body; a call without one is a GET. */
  body?: string;
  /** ms to wait for the status line and headers. */
  timeoutMs: number;
  /** Aborts the call (client gone). */
  signal?: AbortSignal;
  /** Shared deadline sweeper for the header timeout (a timer per call when absent). */
  deadlines?: Deadlines;
}

export interface UpstreamResult {
  response: UpstreamReply;
  /** Aborts the upstream body read (client disconnect or stream idle timeout). */
  abort: (reason?: unknown) => void;
}

/**
 * Sends the request; network failures become 502 and a header timeout 504, as GatewayErrors.
 * With `signal` set (streams), the call is abortable: the client's disconnect and the timeout abort the upstream
 * request itself. Without it (non-stream calls) the timeout is a race and a late answer's body is discarded: an
 * AbortSignal on Deno's fetch costs about 0.15 ms a call, which the non-stream hot path does not pay.
 */
export function callUpstream(fetchFn: UpstreamFetch, call: UpstreamCall): Promise<UpstreamResult> {
  return call.signal ? abortableCall(fetchFn, call, call.signal) : racedCall(fetchFn, call);
}

async function abortableCall(fetchFn: UpstreamFetch, call: UpstreamCall, signal: AbortSignal): Promise<UpstreamResult> {
  const controller = new AbortController();
  const onClientAbort = (): void => controller.abort(new DOMException("client disconnected", "AbortError"));
  if (signal.aborted) onClientAbort();
  signal.addEventListener("abort", onClientAbort, { once: true });
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    controller.abort(new DOMException("upstream timeout", "TimeoutError"));
  };
  const disarm = armTimeout(call.deadlines, call.timeoutMs, onTimeout);
  try {
    const response = await fetchFn(call.url, {
      method: call.body === undefined ? "GET" : "POST",
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
    });
    return { response, abort: (reason) => controller.abort(reason) };
  } catch (err) {
    if (timedOut) {
      throw new GatewayError("upstream_timeout", `upstream did not answer within ${call.timeoutMs} ms`);
    }
    if (signal.aborted) throw new GatewayError("upstream_error", "client disconnected", { status: 499 });
    throw networkError(err);
  } finally {
    disarm();
    signal.removeEventListener("abort", onClientAbort);
  }
}

function networkError(err: unknown): GatewayError {
  return new GatewayError("upstream_error", `upstream unreachable: ${(err as Error).message.split("\n")[0]}`);
}

/**
 * Deadlines of upstream calls and of stream heartbeats and idle timeouts, checked by one shared timer (every 50 ms
 * while any is pending) instead of a timer each: a timer costs a runtime op to arm and another to clear, which showed
 * up in the bench.
 */
const SWEEP_MS = 50;

interface Deadline {
  at: number;
  fire: () => void;
}

export interface Deadlines {
  add(d: Deadline): void;
  remove(d: Deadline): void;
}

export function createDeadlines(): Deadlines {
  const pending = new Set<Deadline>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const sweep = (): void => {
    const now = Date.now();
    for (const d of pending) {
      if (d.at <= now) {
        pending.delete(d);
        d.fire();
      }
    }
    if (pending.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    add(d) {
      pending.add(d);
      if (timer === undefined) {
        timer = setInterval(sweep, SWEEP_MS);
        Deno.unrefTimer(timer);
      }
    },
    // The timer stops at the first sweep that finds nothing pending, not at each remove: one request at a time
    // would otherwise arm and clear an interval per request.
    remove(d) {
      pending.delete(d);
    },
  };
}

/** Calls `fire` in `ms`: on the shared sweeper when there is one, else with a runtime timer. Returns the disarm. */
export function armTimeout(deadlines: Deadlines | undefined, ms: number, fire: () => void): () => void {
  if (!deadlines) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  }
  const deadline = { at: Date.now() + ms, fire };
  deadlines.add(deadline);
  return () => deadlines.remove(deadline);
}

/**
 * The non-stream call: one promise settled by whichever comes first, the answer's headers or the deadline (no
 * `Promise.race`, no async frame: this is on every request's path). A late answer's body is dropped.
 */
function racedCall(fetchFn: UpstreamFetch, call: UpstreamCall): Promise<UpstreamResult> {
  return new Promise<UpstreamResult>((resolve, reject) => {
    let settled = false;
    const onTimeout = (): void => {
      if (settled) return;
      settled = true;
      reject(new GatewayError("upstream_timeout", `upstream did not answer within ${call.timeoutMs} ms`));
    };
    const disarm = armTimeout(call.deadlines, call.timeoutMs, onTimeout);
    const done = (): void => {
      settled = true;
      disarm();
    };
    fetchFn(call.url, { method: call.body === undefined ? "GET" : "POST", headers: call.headers, body: call.body })
      .then((response) => {
        if (settled) {
          // Too late: the client has its 504; the answer is drained so its connection is freed.
          response.body?.cancel().catch(() => {});
          return;
        }
        done();
        resolve({ response, abort: () => void response.body?.cancel().catch(() => {}) });
      }, (err) => {
        if (settled) return;
        done();
        reject(networkError(err));
      });
  });
}

/** Reads at most `limit` bytes of an error body as text (an upstream error page must not fill memory). */
export async function readBounded(response: UpstreamReply, limit = 64 * 1024): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(Math.min(size, limit));
  let off = 0;
  for (const c of chunks) {
    const part = c.subarray(0, Math.min(c.length, all.length - off));
    all.set(part, off);
    off += part.length;
  }
  return new TextDecoder().decode(all);
}
