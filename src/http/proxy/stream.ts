/**
 * @module Streams an upstream SSE answer to the client as events arrive (pull-based, so backpressure holds):
 * same-format events pass through as they came, other formats go upstream codec → canonical → client codec.
 * The usage row is committed before the terminal event reaches the client.
 */
import type { SseEvent, StreamEvent, Usage, WireFormat } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { createSseParser, encodeSse, sseComment } from "../../core/sse.ts";
import { codecFor } from "../../translate/mod.ts";
import { errorBody } from "../errors.ts";
import type { ChunkSource } from "../client/mod.ts";
import { armTimeout, type Deadlines } from "./upstream.ts";

export interface StreamHooks {
  /**
   * Called exactly once: at the terminal event, at a failure, or when the client leaves. Its promise (the usage
   * commit) settles before the terminal event is written to the client.
   */
  finish(
    outcome: {
      status: number;
      usage: Usage | undefined;
      ttftMs: number | null;
      errorCode: string | null;
      /** Characters of answer the upstream sent (text, thinking, tool calls): for an estimate without usage. */
      outputChars: number;
    },
  ): Promise<void>;
  now(): number;
}

export interface StreamOptions {
  surface: WireFormat;
  upstreamFormat: WireFormat;
  passthrough: boolean;
  /** OpenAI clients: whether they asked for the usage chunk (else it is hidden from them). */
  clientWantsUsage: boolean;
  idleTimeoutMs: number;
  /** Write a heartbeat after this long without client bytes (0 = never). */
  heartbeatMs: number;
  abortUpstream: (reason?: unknown) => void;
  startedAt: number;
  /** The shared sweeper for the heartbeat and idle timeout (a runtime timer per stream when absent). */
  deadlines?: Deadlines;
}

/** The client format's error event, for failures that are ours (upstream reset, malformed, idle). */
export function streamErrorEvent(surface: WireFormat, err: GatewayError): SseEvent {
  const body = errorBody(surface, err);
  if (surface === "anthropic") return { event: "error", data: JSON.stringify(body) };
  if (surface === "responses") {
    return {
      event: "error",
      data: JSON.stringify({ type: "error", code: err.code, message: err.message, param: err.param }),
    };
  }
  return { data: JSON.stringify(body) };
}

/**
 * A heartbeat each client ignores: Anthropic's own `ping` event (its SDK skips it), an SSE comment elsewhere
 * (every SSE parser drops comment lines).
 */
export function heartbeatText(surface: WireFormat): string {
  return surface === "anthropic" ? encodeSse({ event: "ping", data: '{"type":"ping"}' }) : sseComment("ping");
}

function isUsageOnlyChunk(ev: SseEvent): boolean {
  if (ev.data.indexOf('"usage"') === -1) return false;
  try {
    const obj = JSON.parse(ev.data) as { choices?: unknown[]; usage?: unknown };
    return Array.isArray(obj.choices) && obj.choices.length === 0 && obj.usage != null;
  } catch {
    return false;
  }
}

/** Wraps the upstream body into the client's SSE stream. */
export function translateStream(
  upstream: ReadableStream<Uint8Array> | ChunkSource,
  opts: StreamOptions,
  hooks: StreamHooks,
): ReadableStream<Uint8Array> {
  const reader = chunkReader(upstream);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const parser = createSseParser();
  const upCodec = codecFor(opts.upstreamFormat);
  const clientCodec = codecFor(opts.surface);
  let decodeState = upCodec.initDecodeStream();
  let encodeState = opts.passthrough ? undefined : clientCodec.initEncodeStream({
    includeUsage: opts.clientWantsUsage,
    upstreamFormat: opts.upstreamFormat,
  });
  let usage: Usage | undefined;
  let finished = false;
  /** Answer characters seen so far: counted as events pass, so an estimate needs no copy of the stream. */
  let outputChars = 0;
  /** The usage commit started by this chunk's terminal event, awaited before the chunk is written. */
  let committing: Promise<void> | undefined;
  let terminal = false;
  /** Set by an upstream error event: nothing may follow the client's error event. */
  let stopAfter = false;
  let ttftMs: number | null = null;

  function finish(status: number, errorCode: string | null): void {
    if (finished) return;
    finished = true;
    disarm();
    committing = hooks.finish({ status, usage, ttftMs, errorCode, outputChars }).catch(() => {});
  }

  function encodeCanonical(events: StreamEvent[]): string {
    let text = "";
    for (const ev of events) {
      const step = clientCodec.encodeStream(encodeState, ev);
      encodeState = step.state;
      for (const out of step.out) text += encodeSse(out);
    }
    return text;
  }

  /** Handles one upstream event; returns the client bytes (as text) it produces. */
  function onEvent(ev: SseEvent): string {
    const step = upCodec.decodeStream(decodeState, ev);
    decodeState = step.state;
    let errored: StreamEvent | undefined;
    let stops = false;
    for (const c of step.out) {
      if (c.type === "text_delta" || c.type === "thinking_delta") outputChars += c.text.length;
      else if (c.type === "tool_call_delta") outputChars += c.arguments.length;
      else if (c.type === "tool_call_start") outputChars += c.name.length;
      else if (c.type === "message_start" && !c.created) c.created = Math.floor(hooks.now() / 1000);
      else if (c.type === "usage") usage = c.usage;
      else if (c.type === "message_stop") stops = true;
      else if (c.type === "error") errored = c;
    }
    if (ttftMs === null) ttftMs = hooks.now() - opts.startedAt;
    // OpenAI sends usage after the finish chunk, so its end is `[DONE]`; the others end with their stop event.
    const isTerminal = opts.upstreamFormat === "openai" ? ev.data === "[DONE]" : stops;
    if (errored && errored.type === "error") {
      terminal = true;
      stopAfter = true;
      finish(errored.status >= 400 ? errored.status : 502, "upstream_error");
    } else if (isTerminal) {
      terminal = true;
      finish(200, null);
    }
    if (opts.passthrough) {
      if (opts.upstreamFormat === "openai" && !opts.clientWantsUsage && isUsageOnlyChunk(ev)) return "";
      return encodeSse(ev);
    }
    return encodeCanonical(step.out);
  }

  function failure(err: GatewayError): string {
    finish(err.status, err.code);
    if (opts.passthrough) return encodeSse(streamErrorEvent(opts.surface, err));
    const text = encodeCanonical([{ type: "error", status: err.status, errorType: err.type, message: err.message }]);
    return text || encodeSse(streamErrorEvent(opts.surface, err));
  }

  /** Ends the upstream call: cancelling the body through its reader closes the connection (the upstream sees it). */
  function stopUpstream(reason: unknown): void {
    opts.abortUpstream(reason);
    reader.cancel(reason).catch(() => {});
  }

  /** The upstream read in progress: kept across pulls when a heartbeat is written while it waits. */
  let pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  /** When the upstream last sent anything (idle timeout) and when the client last got bytes (heartbeat). */
  let lastUpstream = hooks.now();
  let lastClientWrite = hooks.now();

  /**
   * Resolves with "heartbeat" or "idle" once the client has waited `heartbeatMs` or the upstream has been silent for
   * `idleTimeoutMs`. One timer serves every read: when it fires early (chunks arrived meanwhile) it re-arms for the
   * time left, so a busy stream arms a timer per heartbeat interval, not one per chunk.
   */
  let wake: Promise<"heartbeat" | "idle"> | undefined;
  /** Cancels the armed wake-up (a sweeper deadline, or a timer when the stream has no sweeper). */
  let disarmWake: (() => void) | undefined;
  function disarm(): void {
    disarmWake?.();
    disarmWake = undefined;
  }
  function nextWake(): Promise<"heartbeat" | "idle"> {
    wake ??= new Promise((resolve) => {
      const check = (): void => {
        disarmWake = undefined;
        if (finished) return;
        const now = hooks.now();
        const idleLeft = opts.idleTimeoutMs - (now - lastUpstream);
        const beatLeft = opts.heartbeatMs > 0 ? opts.heartbeatMs - (now - lastClientWrite) : Infinity;
        if (idleLeft <= 0 || beatLeft <= 0) {
          wake = undefined;
          resolve(beatLeft <= idleLeft ? "heartbeat" : "idle");
        } else {
          disarmWake = armTimeout(opts.deadlines, Math.min(idleLeft, beatLeft), check);
        }
      };
      check();
    });
    return wake;
  }

  /** The next upstream chunk, or "heartbeat" when the client has waited `heartbeatMs` with nothing to read. */
  async function readOrHeartbeat(): Promise<ReadableStreamReadResult<Uint8Array> | "heartbeat"> {
    pendingRead ??= reader.read();
    const r = await Promise.race([pendingRead, nextWake()]);
    if (r === "idle") throw new GatewayError("upstream_timeout", `upstream stream idle for ${opts.idleTimeoutMs} ms`);
    if (r === "heartbeat") return r;
    pendingRead = undefined;
    lastUpstream = hooks.now();
    return r;
  }

  function write(controller: ReadableStreamDefaultController<Uint8Array>, text: string): void {
    lastClientWrite = hooks.now();
    controller.enqueue(encoder.encode(text));
  }

  /**
   * The client text of one read's events. What comes before the terminal event is written at once: only the
   * terminal event waits for the usage commit (a whole short answer often arrives in one read).
   */
  function takeEvents(events: SseEvent[], controller: ReadableStreamDefaultController<Uint8Array>): string {
    let text = "";
    try {
      for (const ev of events) {
        const waiting = committing !== undefined;
        const out = onEvent(ev);
        if (!waiting && committing !== undefined && text) {
          write(controller, text);
          text = "";
        }
        text += out;
      }
    } catch (err) {
      if (text) write(controller, text);
      throw err;
    }
    return text;
  }

  /**
   * The rest of the read that carried the stream's first event, not parsed yet: the first event goes to the client
   * before the rest of a burst is even parsed (a short answer often arrives whole in one read).
   */
  let held: string | undefined;
  let first = true;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (true) {
          let text = "";
          let done = false;
          try {
            let events: SseEvent[];
            if (held !== undefined) {
              // Let the server send the first event before the rest of the burst is worked through.
              await nextTurn();
              events = parser.push(held);
              held = undefined;
            } else {
              const r = await readOrHeartbeat();
              if (r === "heartbeat") {
                // Keeps proxies and clients from timing out while the upstream thinks; clients ignore it.
                write(controller, heartbeatText(opts.surface));
                return;
              }
              done = r.done;
              let chunk = r.done ? "" : decoder.decode(r.value, { stream: true });
              if (first) {
                // Cut after the first blank line (any cut is safe for the parser): that event goes out on its own.
                const cut = chunk.indexOf("\n\n") + 2;
                if (cut > 1 && cut < chunk.length) {
                  held = chunk.slice(cut);
                  chunk = chunk.slice(0, cut);
                }
              }
              events = r.done ? parser.end() : parser.push(chunk);
            }
            if (events.length > 0) first = false;
            text = takeEvents(events, controller);
          } catch (err) {
            const gerr = err instanceof GatewayError
              ? err
              : new GatewayError("upstream_error", "upstream stream broke off");
            stopUpstream(gerr);
            text += failure(gerr);
            done = true;
          }
          if (done && !terminal && !finished) {
            text += failure(new GatewayError("upstream_error", "upstream stream ended before its final event"));
          }
          if (committing) {
            await committing;
            committing = undefined;
          }
          if (text) write(controller, text);
          if (stopAfter && !done) {
            stopUpstream(new DOMException("upstream error event", "AbortError"));
            done = true;
          }
          if (done) {
            finish(200, null);
            controller.close();
            return;
          }
          if (text) return;
        }
      } catch (err) {
        finish(500, "internal_error");
        controller.error(err);
      }
    },
    cancel(reason) {
      stopUpstream(reason);
      finish(499, "client_closed");
    },
  }, { highWaterMark: 0 });
}

/**
 * Resolves on a later turn of the event loop, after the runtime has done its pending I/O. Deno's HTTP server writes
 * a response's chunks only when JavaScript yields to the event loop; a promise (or `setImmediate`) does not yield
 * that far, so a stream's first event would wait until the whole burst it came in has been translated and the usage
 * row committed. A message through a fresh channel is delivered on a later turn (measured: the first event's packet
 * left 290–330 µs after the upstream's instead of 490–540; the turn costs ~13 µs).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port2.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port1.postMessage(null);
  });
}

/** BYOB reads land in this much of one reused buffer. */
const READ_BUFFER_BYTES = 32 * 1024;

/**
 * A reader of the upstream body that reuses one buffer. A default reader over a fetch body (a byte stream) gets a
 * fresh 64 KiB buffer for every chunk, which for an SSE stream of small events was most of the gateway's garbage;
 * a BYOB reader reads into the buffer the previous chunk came back in. Each chunk must be consumed (decoded) before
 * the next read. Streams that are not byte streams (a tap, a test's stream) get a default reader.
 */
export function chunkReader(body: ReadableStream<Uint8Array> | ChunkSource): ChunkSource {
  // The gateway's own client hands its body over as a reader: no stream to wrap.
  if (!(body instanceof ReadableStream)) return body;
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    return body.getReader();
  }
  let buffer: ArrayBufferLike = spareBuffers.pop() ?? new ArrayBuffer(READ_BUFFER_BYTES);
  return {
    async read() {
      const r = await byob.read(new Uint8Array(buffer, 0, READ_BUFFER_BYTES));
      if (r.value) buffer = r.value.buffer;
      if (!r.done) return { done: false, value: r.value! };
      giveBack(buffer);
      return { done: true, value: undefined };
    },
    cancel: (reason) => byob.cancel(reason),
  };
}

/** Buffers of finished streams, for the next ones (a fresh one is zeroed memory the process has to touch). */
const spareBuffers: ArrayBufferLike[] = [];
const SPARE_BUFFERS = 16;

function giveBack(buffer: ArrayBufferLike): void {
  // A buffer still lent to a read (cancelled mid-read) is detached: byteLength 0.
  if (buffer.byteLength === READ_BUFFER_BYTES && spareBuffers.length < SPARE_BUFFERS) spareBuffers.push(buffer);
}
