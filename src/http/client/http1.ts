/**
 * @module HTTP/1.1 on the wire, client side, without I/O: the request head, the response head (RFC 9112 §4–6) and
 * the chunked transfer coding (§7.1). The upstream client (`mod.ts`) feeds it the bytes it reads.
 */

/** How the response body is delimited (RFC 9112 §6.3). */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  /** Read until the server closes the connection. */
  | { kind: "close" };

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Names lower-cased, in the order received (repeated names kept). */
  headers: [string, string][];
  framing: Framing;
  /** The connection may carry another request once this body has been read in full. */
  keepAlive: boolean;
}

/** A malformed or unsupported response: the connection cannot be trusted any further. */
export class ProtocolError extends TypeError {
  override name = "ProtocolError";
}

const CR = 13;
const LF = 10;

/** The index just past the `\r\n\r\n` ending a head in `buf[from, end)`, or -1 when it has not arrived yet. */
export function headEnd(buf: Uint8Array, from: number, end: number): number {
  for (let i = from + 3; i < end; i++) {
    if (buf[i] === LF && buf[i - 1] === CR && buf[i - 2] === LF && buf[i - 3] === CR) return i + 1;
  }
  return -1;
}

/** Bytes as a byte string (one char per byte: header values are not UTF-8 by definition). */
export function byteString(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const DIGITS = /^\d{1,15}$/;

/**
 * Parses a response head (status line and header lines, the final empty line excluded or included). `noBody`:
 * the answer to a HEAD request, where a Content-Length describes a body that is not sent.
 */
export function parseHead(text: string, noBody: boolean): ResponseHead {
  // Lines are walked by index (no split array): this runs on every upstream answer.
  let eol = text.indexOf("\r\n");
  if (eol < 0) eol = text.length;
  const m = STATUS_LINE.exec(text.slice(0, eol));
  if (!m) throw new ProtocolError(`invalid HTTP status line: ${JSON.stringify(text.slice(0, Math.min(eol, 60)))}`);
  const minor = m[1];
  const status = Number(m[2]);
  const headers: [string, string][] = [];
  let length: number | undefined;
  let transferEncoding: string | undefined;
  let connection = "";
  for (let start = eol + 2; start < text.length; start = eol + 2) {
    eol = text.indexOf("\r\n", start);
    if (eol < 0) eol = text.length;
    if (eol === start) continue;
    const colon = text.indexOf(":", start);
    const name = colon > start && colon < eol ? text.slice(start, colon).toLowerCase() : "";
    // Obsolete line folding and names with spaces are refused, as RFC 9112 §5.1–5.2 lets a client do.
    if (!TOKEN.test(name)) {
      throw new ProtocolError(`invalid header line: ${JSON.stringify(text.slice(start, Math.min(eol, start + 60)))}`);
    }
    const value = text.slice(colon + 1, eol).trim();
    headers.push([name, value]);
    if (name === "content-length") {
      // A list of equal values is the same length said twice (§6.3 item 5); anything else is refused.
      const parts = DIGITS.test(value) ? [value] : value.split(",").map((p) => p.trim());
      for (const part of parts) {
        const n = DIGITS.test(part) ? Number(part) : NaN;
        if (Number.isNaN(n) || (length !== undefined && length !== n)) {
          throw new ProtocolError(`invalid content-length: ${JSON.stringify(value)}`);
        }
        length = n;
      }
    } else if (name === "transfer-encoding") {
      transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
    } else if (name === "connection") {
      connection += `${value.toLowerCase()},`;
    }
  }
  let framing: Framing;
  if (noBody || status === 204 || status === 304 || status < 200) framing = { kind: "none" };
  else if (transferEncoding !== undefined) {
    // Chunked must be the final coding; any other transfer coding ends at the close (§6.3 item 4).
    const codings = transferEncoding.toLowerCase().split(",").map((c) => c.trim());
    framing = codings.at(-1) === "chunked" ? { kind: "chunked" } : { kind: "close" };
  } else if (length !== undefined) framing = { kind: "length", length };
  else framing = { kind: "close" };
  const closes = minor === "0" || /(^|[\s,])close,/.test(connection);
  return { status, statusText: m[3] ?? "", headers, framing, keepAlive: !closes && framing.kind !== "close" };
}

/** Request header names and values must not smuggle a line break or NUL into the head. */
const UNSAFE_VALUE = /[\r\n\0]/;

/** One request header line; refused when the name is not a token or the value would split the head. */
export function headerLine(name: string, value: string): string {
  if (!TOKEN.test(name) || UNSAFE_VALUE.test(value)) throw new TypeError(`invalid request header: ${name}`);
  return `${name}: ${value}\r\n`;
}

/**
 * Decodes the chunked transfer coding incrementally. `push` consumes what it can of `buf[start, end)`, calls
 * `onData` with views into `buf` (valid only until the caller reuses it), and returns how many bytes it consumed;
 * `done` turns true after the last chunk and its trailer section. Chunk extensions and trailers are skipped.
 */
export interface ChunkedDecoder {
  push(buf: Uint8Array, start: number, end: number, onData: (part: Uint8Array) => void): number;
  readonly done: boolean;
}

const enum Step {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerLineStart,
  TrailerLine,
  TrailerLf,
  FinalLf,
  Done,
}

/** Longest chunk size accepted (hex digits): 2^52 is beyond any body, and keeps the arithmetic exact. */
const MAX_SIZE_DIGITS = 13;

export function createChunkedDecoder(): ChunkedDecoder {
  let step = Step.Size;
  let size = 0;
  let digits = 0;
  let remaining = 0;
  const fail = (what: string): never => {
    throw new ProtocolError(`invalid chunked body: ${what}`);
  };
  return {
    get done() {
      return step === Step.Done;
    },
    push(buf, start, end, onData) {
      let i = start;
      while (i < end && step !== Step.Done) {
        const b = buf[i];
        switch (step) {
          case Step.Size: {
            const v = b >= 48 && b <= 57 ? b - 48 : b >= 97 && b <= 102 ? b - 87 : b >= 65 && b <= 70 ? b - 55 : -1;
            if (v >= 0) {
              if (++digits > MAX_SIZE_DIGITS) fail("chunk size too large");
              size = size * 16 + v;
              i++;
            } else if (digits === 0) fail("missing chunk size");
            else if (b === CR) {
              step = Step.SizeLf;
              i++;
            } else if (b === 59 /* ; */ || b === 32 || b === 9) {
              step = Step.Extension;
              i++;
            } else fail("bad chunk size");
            break;
          }
          case Step.Extension:
            if (b === CR) step = Step.SizeLf;
            else if (b === LF) fail("bare LF");
            i++;
            break;
          case Step.SizeLf:
            if (b !== LF) fail("CR without LF");
            i++;
            remaining = size;
            step = size === 0 ? Step.TrailerLineStart : Step.Data;
            size = 0;
            digits = 0;
            break;
          case Step.Data: {
            const n = Math.min(remaining, end - i);
            onData(buf.subarray(i, i + n));
            i += n;
            remaining -= n;
            if (remaining === 0) step = Step.DataCr;
            break;
          }
          case Step.DataCr:
            if (b !== CR) fail("chunk longer than its size");
            step = Step.DataLf;
            i++;
            break;
          case Step.DataLf:
            if (b !== LF) fail("CR without LF");
            step = Step.Size;
            i++;
            break;
          case Step.TrailerLineStart:
            // An empty line ends the message; anything else is a trailer field, skipped.
            step = b === CR ? Step.FinalLf : Step.TrailerLine;
            i++;
            break;
          case Step.TrailerLine:
            if (b === CR) step = Step.TrailerLf;
            i++;
            break;
          case Step.TrailerLf:
            if (b !== LF) fail("CR without LF");
            step = Step.TrailerLineStart;
            i++;
            break;
          case Step.FinalLf:
            if (b !== LF) fail("CR without LF");
            step = Step.Done;
            i++;
            break;
        }
      }
      return i - start;
    },
  };
}

/** `parts` copied into one new array (views into a reused buffer must not be handed on). */
export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return parts[0].slice();
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
