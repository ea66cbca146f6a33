/**
 * @module One HTTP/1.1 connection of the upstream client: its read buffer, writing a request, reading a response head
 * and streaming the body (de-chunked) as the caller pulls it.
 */
import {
  byteString,
  concatBytes,
  createChunkedDecoder,
  type Framing,
  headEnd,
  parseHead,
  ProtocolError,
  type ResponseHead,
} from "./http1.ts";

/** A live connection to one origin, with its read buffer (bytes `[start, end)` are read but not consumed). */
export interface Conn {
  sock: Deno.Conn;
  buf: Uint8Array;
  start: number;
  end: number;
  /** Taken from the pool (a request on it may meet the server's close of an idle connection). */
  reused: boolean;
  idleSince: number;
}

/** A fresh connection's read buffer (it grows only for a response head larger than this). */
export const READ_BUFFER = 16 * 1024;
const MAX_HEAD = 64 * 1024;

export function close(conn: Conn): void {
  try {
    conn.sock.close();
  } catch { /* already closed */ }
}

export async function writeAll(sock: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await sock.write(bytes.subarray(off));
}

/** Reads more bytes into the buffer (compacting or growing it first when full); false at the end of the stream. */
async function fill(conn: Conn): Promise<boolean> {
  if (conn.start === conn.end) conn.start = conn.end = 0;
  if (conn.end === conn.buf.length) {
    if (conn.start > 0) {
      conn.buf.copyWithin(0, conn.start, conn.end);
      conn.end -= conn.start;
      conn.start = 0;
    } else {
      const bigger = new Uint8Array(conn.buf.length * 2);
      bigger.set(conn.buf);
      conn.buf = bigger;
    }
  }
  const n = await conn.sock.read(conn.buf.subarray(conn.end));
  if (n === null) return false;
  conn.end += n;
  return true;
}

/** Reads one response head, skipping interim (1xx) ones. `onBytes` runs once the first byte has arrived. */
export async function readHead(conn: Conn, isHead: boolean, onBytes: () => void): Promise<ResponseHead> {
  /** How far past `conn.start` the search has looked (relative: a read may compact the buffer). */
  let scanned = 0;
  for (;;) {
    const at = headEnd(conn.buf, conn.start + Math.max(0, scanned - 3), conn.end);
    if (at >= 0) {
      const head = parseHead(byteString(conn.buf.subarray(conn.start, at - 4)), isHead);
      conn.start = at;
      scanned = 0;
      if (head.status >= 100 && head.status < 200) {
        if (head.status === 101) throw new ProtocolError("unexpected 101 Switching Protocols");
        continue;
      }
      if (head.status > 599) throw new ProtocolError(`invalid status ${head.status}`);
      return head;
    }
    scanned = conn.end - conn.start;
    if (scanned > MAX_HEAD) throw new ProtocolError("response head too large");
    if (!await fill(conn)) {
      throw new TypeError(scanned > 0 ? "connection closed inside the response head" : "connection closed");
    }
    onBytes();
  }
}

/** Reads a body chunk by chunk, as a ReadableStream's reader does (without the stream). */
export interface BodyReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>;
  cancel(reason?: unknown): Promise<void>;
  /** The whole rest of a body of known length, read straight into one array (no chunks to join). */
  readAll?(): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * The body as bytes arrive, de-chunked; `done` runs once it has been read in full. Each read hands over what one
 * socket read brought, as one chunk (an SSE burst stays one read for the stream step). A failed read closes the
 * connection and rejects (with the abort reason after an abort).
 */
export function bodyReader(conn: Conn, framing: Framing, done: () => void, signal?: AbortSignal): BodyReader {
  const chunked = framing.kind === "chunked" ? createChunkedDecoder() : undefined;
  let remaining = framing.kind === "length" ? framing.length : Infinity;
  let finished = false;
  const onAbort = (): void => close(conn);
  signal?.addEventListener("abort", onAbort, { once: true });
  const end = (): void => {
    finished = true;
    signal?.removeEventListener("abort", onAbort);
  };
  const DONE = { done: true as const, value: undefined };

  /** Everything has been handed over (the connection may already serve another request: do not touch it). */
  let ended = false;
  const finishBody = (): void => {
    ended = true;
    end();
    done();
  };

  async function next(): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> {
    for (;;) {
      if (conn.start < conn.end) {
        if (chunked) {
          const parts: Uint8Array[] = [];
          conn.start += chunked.push(conn.buf, conn.start, conn.end, (part) => parts.push(part));
          const value = parts.length > 0 ? concatBytes(parts) : undefined;
          if (chunked.done) finishBody();
          if (value) return { done: false, value };
          if (ended) return DONE;
        } else {
          const n = Math.min(remaining, conn.end - conn.start);
          const value = conn.buf.slice(conn.start, conn.start + n);
          conn.start += n;
          remaining -= n;
          if (remaining === 0) finishBody();
          return { done: false, value };
        }
      }
      if (!await fill(conn)) {
        if (framing.kind !== "close") throw new TypeError("connection closed before the body was complete");
        ended = true;
        end();
        close(conn);
        return DONE;
      }
    }
  }

  /** A failed read: the connection cannot be trusted any further (the abort's reason after an abort). */
  const fail = (err: unknown): never => {
    ended = true;
    end();
    close(conn);
    throw signal?.aborted ? signal.reason : err;
  };

  /** A Content-Length body: what is buffered is copied once, the rest is read into the array itself. */
  async function readAll(): Promise<Uint8Array<ArrayBuffer>> {
    const out = new Uint8Array(remaining);
    let at = Math.min(remaining, conn.end - conn.start);
    out.set(conn.buf.subarray(conn.start, conn.start + at));
    conn.start += at;
    while (at < out.length) {
      const n = await conn.sock.read(out.subarray(at));
      if (n === null) throw new TypeError("connection closed before the body was complete");
      at += n;
    }
    remaining = 0;
    finishBody();
    return out;
  }

  return {
    readAll: framing.kind === "length"
      ? () => ended ? Promise.reject(new TypeError("body already used")) : readAll().catch(fail)
      : undefined,
    read: () => ended ? Promise.resolve(DONE) : next().catch(fail),
    cancel() {
      if (!finished) {
        ended = true;
        end();
        close(conn);
      }
      return Promise.resolve();
    },
  };
}
