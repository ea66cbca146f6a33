import assert from "node:assert/strict";
import fc from "fast-check";
import { createChunkedDecoder, headEnd, headerLine, parseHead, ProtocolError } from "./http1.ts";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("parseHead() reads status, headers and content-length framing", () => {
  const head = parseHead(
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\nX-A: 1\r\nx-a: 2",
    false,
  );
  assert.equal(head.status, 200);
  assert.equal(head.statusText, "OK");
  assert.deepEqual(head.headers, [["content-type", "application/json"], ["content-length", "12"], ["x-a", "1"], [
    "x-a",
    "2",
  ]]);
  assert.deepEqual(head.framing, { kind: "length", length: 12 });
  assert.equal(head.keepAlive, true);
});

Deno.test("parseHead() frames chunked, close-delimited and bodiless answers as RFC 9112 §6.3 says", () => {
  const h = (lines: string, noBody = false) => parseHead(`HTTP/1.1 200 OK\r\n${lines}`, noBody);
  assert.deepEqual(h("Transfer-Encoding: chunked\r\nContent-Length: 5").framing, { kind: "chunked" });
  assert.deepEqual(h("Transfer-Encoding: gzip, chunked").framing, { kind: "chunked" });
  assert.deepEqual(h("Transfer-Encoding: gzip").framing, { kind: "close" });
  assert.deepEqual(h("X: y").framing, { kind: "close" });
  assert.equal(h("X: y").keepAlive, false);
  assert.deepEqual(h("Content-Length: 5", true).framing, { kind: "none" });
  assert.deepEqual(parseHead("HTTP/1.1 204 No Content\r\nContent-Length: 5", false).framing, { kind: "none" });
  assert.deepEqual(parseHead("HTTP/1.1 304 Not Modified", false).framing, { kind: "none" });
  assert.deepEqual(h("Content-Length: 7, 7").framing, { kind: "length", length: 7 });
});

Deno.test("parseHead() keeps a connection only for HTTP/1.1 without Connection: close", () => {
  assert.equal(parseHead("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close", false).keepAlive, false);
  assert.equal(
    parseHead("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive, Close", false).keepAlive,
    false,
  );
  assert.equal(parseHead("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive", false).keepAlive, true);
  assert.equal(parseHead("HTTP/1.0 200 OK\r\nContent-Length: 0", false).keepAlive, false);
  assert.equal(parseHead("HTTP/1.1 200\r\nContent-Length: 0", false).statusText, "");
});

Deno.test("parseHead() refuses what it cannot trust", () => {
  for (
    const bad of [
      "HTTP/2 200 OK",
      "ICY 200 OK",
      "HTTP/1.1 20 OK",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6",
      "HTTP/1.1 200 OK\r\nContent-Length: -1",
      "HTTP/1.1 200 OK\r\nContent-Length: 1e3",
      "HTTP/1.1 200 OK\r\n folded: value",
      "HTTP/1.1 200 OK\r\nno colon here",
      "HTTP/1.1 200 OK\r\nbad name: x",
    ]
  ) {
    assert.throws(() => parseHead(bad, false), ProtocolError, bad);
  }
});

Deno.test("headEnd() finds the blank line wherever the search starts", () => {
  const text = "HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody";
  const buf = bytes(text);
  const end = text.indexOf("body");
  for (let from = 0; from < end - 3; from++) assert.equal(headEnd(buf, from, buf.length), end);
  assert.equal(headEnd(buf, 0, end - 1), -1);
});

Deno.test("headerLine() refuses header names and values that would split the head", () => {
  assert.equal(headerLine("authorization", "Bearer x"), "authorization: Bearer x\r\n");
  assert.throws(() => headerLine("authorization", "Bearer x\r\nevil: 1"), TypeError);
  assert.throws(() => headerLine("x", "a\nb"), TypeError);
  assert.throws(() => headerLine("bad name", "x"), TypeError);
  assert.throws(() => headerLine("x", "a\0b"), TypeError);
});

/** `payload` in chunked coding: `sizes` cut it, with extensions and trailers where asked. */
function chunkedOf(payload: Uint8Array, sizes: number[], ext: boolean, trailers: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const size of sizes) {
    const n = Math.min(size, payload.length - off);
    if (n <= 0) break;
    parts.push(bytes(`${n.toString(16)}${ext ? ';name="v"' : ""}\r\n`), payload.subarray(off, off + n), bytes("\r\n"));
    off += n;
  }
  if (off < payload.length) {
    parts.push(bytes(`${(payload.length - off).toString(16).toUpperCase()}\r\n`), payload.subarray(off), bytes("\r\n"));
  }
  parts.push(bytes(trailers ? "0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n" : "0\r\n\r\n"));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("the chunked decoder gives back the payload however the bytes are cut, and stops at the message end", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 600 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 8 }),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      (payload, sizes, ext, trailers, cuts) => {
        const wire = chunkedOf(payload, sizes, ext, trailers);
        // Bytes of the next message on the same connection must not be consumed.
        const stream = new Uint8Array([...wire, ...bytes("HTTP/1.1 200")]);
        const decoder = createChunkedDecoder();
        const out: number[] = [];
        let at = 0;
        let cut = 0;
        while (!decoder.done && at < stream.length) {
          const end = Math.min(stream.length, at + cuts[cut++ % cuts.length]);
          // The decoder sees each piece at its own place in a bigger buffer, as the client's read buffer does.
          at += decoder.push(stream, at, end, (part) => out.push(...part));
          if (at < end && !decoder.done) throw new Error("the decoder left bytes of its own message unread");
        }
        assert.equal(decoder.done, true);
        assert.equal(at, wire.length);
        assert.deepEqual(new Uint8Array(out), payload);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("the chunked decoder refuses malformed framing", () => {
  for (
    const bad of ["x\r\n", "\r\n", "5\r\nhelloX\r\n", "5\nhello", "5\r\nhello\rX", "12345678901234\r\n", "0\r\n\rX"]
  ) {
    assert.throws(() => createChunkedDecoder().push(bytes(bad), 0, bad.length, () => {}), ProtocolError, bad);
  }
});
