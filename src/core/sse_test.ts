/** @module Unit tests for the incremental SSE parser and writer. */
import assert from "node:assert/strict";
import type { SseEvent } from "./canonical.ts";
import { createSseParser, encodeSse, sseComment } from "./sse.ts";

/** Feeds `text` split at the given offsets and collects every event, including the ones `end()` returns. */
function parseSplit(text: string, cuts: number[]): SseEvent[] {
  const parser = createSseParser();
  const out: SseEvent[] = [];
  let last = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(...parser.push(text.slice(last, cut)));
    last = cut;
  }
  out.push(...parser.end());
  return out;
}

const STREAM = [
  ": keep-alive comment",
  "event: message_start",
  'data: {"a":1}',
  "",
  "data: line one",
  "data: line two",
  "",
  "id: 7",
  "data:no-space",
  "",
  ":another comment",
  "",
  "data: [DONE]",
  "",
  "",
].join("\r\n");

const EXPECTED: SseEvent[] = [
  { event: "message_start", data: '{"a":1}' },
  { data: "line one\nline two" },
  { id: "7", data: "no-space" },
  { id: "7", data: "[DONE]" },
];

Deno.test("createSseParser() gives the same events for every single split point, CRLF included", () => {
  assert.deepEqual(parseSplit(STREAM, []), EXPECTED);
  for (let i = 1; i < STREAM.length; i++) {
    assert.deepEqual(
      parseSplit(STREAM, [i]),
      EXPECTED,
      `split at ${i} (${JSON.stringify(STREAM.slice(i - 1, i + 1))})`,
    );
  }
});

Deno.test("createSseParser() survives one character at a time", () => {
  const cuts = Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(parseSplit(STREAM, cuts), EXPECTED);
});

Deno.test("createSseParser() does not read a CRLF split across chunks as two line ends", () => {
  const parser = createSseParser();
  // "data: a\r" | "\ndata: b\r\n\r\n": a split CRLF must not end the event between the two data lines.
  assert.deepEqual(parser.push("data: a\r"), []);
  assert.deepEqual(parser.push("\ndata: b\r"), []);
  assert.deepEqual(parser.push("\n\r\n"), [{ data: "a\nb" }]);
});

Deno.test("createSseParser() accepts LF, CR and CRLF line ends alike", () => {
  for (const eol of ["\n", "\r", "\r\n"]) {
    const text = `data: x${eol}data: y${eol}${eol}data: z${eol}${eol}`;
    assert.deepEqual(parseSplit(text, []), [{ data: "x\ny" }, { data: "z" }], JSON.stringify(eol));
  }
});

Deno.test("createSseParser() drops comments and events without data", () => {
  const events = parseSplit(": ping\n\nevent: lonely\n\n: ping\n\ndata: real\n\n", [3, 9]);
  assert.deepEqual(events, [{ data: "real" }]);
});

Deno.test("createSseParser() end() flushes a last event that lacks its blank line", () => {
  const parser = createSseParser();
  assert.deepEqual(parser.push("data: tail"), []);
  assert.deepEqual(parser.end(), [{ data: "tail" }]);
});

Deno.test("createSseParser() keeps an empty data line as an empty string and a data field without colon", () => {
  assert.deepEqual(parseSplit("data\n\ndata:\ndata: x\n\n", []), [{ data: "" }, { data: "\nx" }]);
});

Deno.test("encodeSse() round-trips through the parser, multi-line data included", () => {
  const events: SseEvent[] = [
    { data: "one" },
    { event: "content_block_delta", data: '{"x":"y"}' },
    { id: "3", data: "first\nsecond\nthird" },
  ];
  const text = events.map(encodeSse).join("") + sseComment("heartbeat");
  assert.equal(encodeSse({ data: "a\nb" }), "data: a\ndata: b\n\n");
  assert.deepEqual(parseSplit(text, [5, 17, 40]), events);
});

Deno.test("createSseParser() end() treats a held-back trailing CR as a line end, not as data", () => {
  const parser = createSseParser();
  assert.deepEqual(parser.push("data: x\r"), []);
  assert.deepEqual(parser.end(), [{ data: "x" }]);
});
