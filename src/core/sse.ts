/**
 * @module The one SSE parser and writer (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Incremental: feed it text chunks as they arrive; it keeps only the unfinished line and event.
 */
import type { SseEvent } from "./canonical.ts";

export interface SseParser {
  /** Feed decoded text; returns the events completed by it. */
  push(chunk: string): SseEvent[];
  /** End of input: returns a last event if one was pending without its blank line. */
  end(): SseEvent[];
}

/** Creates an incremental SSE parser. Comments (`:` lines) are dropped; `retry` is ignored. */
export function createSseParser(): SseParser {
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  let hasField = false;

  function dispatch(out: SseEvent[]): void {
    if (hasField && data.length > 0) {
      const ev: SseEvent = { data: data.join("\n") };
      if (event !== undefined) ev.event = event;
      if (id !== undefined) ev.id = id;
      out.push(ev);
    }
    data = [];
    event = undefined;
    hasField = false;
  }

  function line(text: string, out: SseEvent[]): void {
    if (text === "") return dispatch(out);
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      data.push(value);
      hasField = true;
    } else if (field === "event") {
      event = value;
      hasField = true;
    } else if (field === "id") {
      id = value;
    }
  }

  return {
    push(chunk: string): SseEvent[] {
      const out: SseEvent[] = [];
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c === 10 || c === 13) {
          // A lone CR at the very end may be the first half of CRLF: wait for more input.
          if (c === 13 && i === buffer.length - 1) break;
          line(buffer.slice(start, i), out);
          if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
          start = i + 1;
        }
      }
      buffer = buffer.slice(start);
      return out;
    },
    end(): SseEvent[] {
      const out: SseEvent[] = [];
      // A CR held back as a possible first half of CRLF is a line end after all.
      if (buffer !== "") line(buffer.endsWith("\r") ? buffer.slice(0, -1) : buffer, out);
      buffer = "";
      dispatch(out);
      return out;
    },
  };
}

/** Serializes one event (multi-line data becomes several `data:` lines). */
export function encodeSse(ev: SseEvent): string {
  let s = "";
  if (ev.event !== undefined) s += `event: ${ev.event}\n`;
  if (ev.id !== undefined) s += `id: ${ev.id}\n`;
  if (ev.data.indexOf("\n") === -1) s += `data: ${ev.data}\n`;
  else for (const l of ev.data.split("\n")) s += `data: ${l}\n`;
  return s + "\n";
}

/** An SSE comment line, used as a heartbeat that every client ignores. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}
