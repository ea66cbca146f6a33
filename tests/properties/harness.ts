/**
 * @module Shared pieces of the round-trip properties: a conversation "transcript" that projections build on, the
 * stream pipeline (canonical events → encodeStream → SSE text → core/sse.ts → decodeStream) and a summary of what
 * a canonical event sequence conveys.
 */
import type {
  ChatRequest,
  ContentPart,
  Message,
  StopReason,
  StreamEvent,
  SystemBlock,
  Usage,
} from "../../src/core/canonical.ts";
import type { Codec, EncodeStreamInit } from "../../src/core/codec.ts";
import { createSseParser, encodeSse } from "../../src/core/sse.ts";

export const NUM_RUNS = 200;

/** One entry of a flattened conversation: a system block where it stood, or a turn. */
export type Entry =
  | { system: string; role?: SystemBlock["role"] }
  | { turn: Message["role"]; content: unknown[] };

export interface TranscriptOptions {
  /** The format has one system slot: every block goes first, positions are lost. */
  hoistSystem: boolean;
  /** Keep system/developer roles (else all are "system", which is dropped from the entry). */
  keepSystemRole: boolean;
  /** Drop system blocks whose text is empty. */
  dropEmptySystem?: boolean;
  /** Merge adjacent turns of the same role (formats that split or join turns). */
  mergeTurns: boolean;
  /** Per-turn part projection (may drop, reorder or rewrite parts). */
  parts(message: Message): unknown[];
}

/**
 * The conversation as a list: system blocks at their positions (or first), turns with projected parts; turns
 * left empty are dropped, and (when asked) adjacent same-role turns merged, since where a format splits or joins
 * turns is its encoder's business.
 */
export function transcript(req: ChatRequest, options: TranscriptOptions): Entry[] {
  const out: Entry[] = [];
  const sys = (b: SystemBlock): Entry => options.keepSystemRole ? { system: b.text, role: b.role } : { system: b.text };
  const blocks = req.system.filter((b) => !(options.dropEmptySystem === true && b.text === ""));
  const n = req.messages.length;
  if (options.hoistSystem) out.push(...blocks.map(sys));
  req.messages.forEach((m, i) => {
    if (!options.hoistSystem) {
      for (const b of blocks) if ((b.beforeMessage ?? 0) === i) out.push(sys(b));
    }
    out.push({ turn: m.role, content: options.parts(m) });
  });
  if (!options.hoistSystem) { for (const b of blocks) if ((b.beforeMessage ?? 0) >= n && n > 0) out.push(sys(b)); }
  if (!options.hoistSystem && n === 0) out.push(...blocks.map(sys));
  const merged: Entry[] = [];
  for (const e of out) {
    if ("turn" in e && e.content.length === 0) continue;
    const last = merged.at(-1);
    if (options.mergeTurns && "turn" in e && last !== undefined && "turn" in last && last.turn === e.turn) {
      last.content = [...last.content, ...e.content];
    } else merged.push("turn" in e ? { turn: e.turn, content: [...e.content] } : e);
  }
  return merged;
}

/** Parses tool-call arguments text as a JSON value ("" is the empty object, as every encoder reads it). */
export function parsedArguments(args: string): unknown {
  return args.trim() === "" ? {} : JSON.parse(args);
}

/** Drops undefined-valued keys (deepStrictEqual tells `{a: undefined}` from `{}`). */
export function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

export type PartOf<T extends ContentPart["type"]> = Extract<ContentPart, { type: T }>;

/** Runs canonical events through a codec's stream encoder, the SSE wire text and back through its decoder. */
export function streamRoundTrip(codec: Codec, events: StreamEvent[], init: EncodeStreamInit = {}): {
  text: string;
  decoded: StreamEvent[];
} {
  let enc = codec.initEncodeStream(init);
  let text = "";
  for (const ev of events) {
    const step = codec.encodeStream(enc, ev);
    enc = step.state;
    for (const sse of step.out) text += encodeSse(sse);
  }
  const parser = createSseParser();
  // Feed the wire text in two pieces, so a split event is exercised too.
  const cut = Math.floor(text.length / 2);
  const wire = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
  let dec = codec.initDecodeStream();
  const decoded: StreamEvent[] = [];
  for (const ev of wire) {
    const step = codec.decodeStream(dec, ev);
    dec = step.state;
    decoded.push(...step.out);
  }
  return { text, decoded };
}

export type BlockSummary =
  | { kind: "text"; text: string }
  | { kind: "thinking"; text: string; signature?: string }
  | { kind: "tool_call"; id: string; name: string; arguments: string }
  | { kind: "redacted_thinking"; data: string };

export interface StreamSummary {
  id?: string;
  model?: string;
  blocks: BlockSummary[];
  stopReason?: StopReason;
  stopSequence?: string;
  usage?: Partial<Usage>;
  errors: number;
  /** Every block that was started was stopped, and no event came after message_stop. */
  wellFormed: boolean;
}

/** What an event sequence conveys: blocks in index order with their concatenated deltas, the stop and the usage. */
export function summarize(events: StreamEvent[]): StreamSummary {
  const blocks = new Map<number, BlockSummary>();
  const open = new Set<number>();
  const summary: StreamSummary = { blocks: [], errors: 0, wellFormed: true };
  let stopped = false;
  for (const ev of events) {
    if (stopped) summary.wellFormed = false;
    switch (ev.type) {
      case "message_start":
        summary.id = ev.id;
        summary.model = ev.model;
        if (ev.usage !== undefined) summary.usage = { ...ev.usage };
        break;
      case "text_start":
        blocks.set(ev.index, { kind: "text", text: "" });
        open.add(ev.index);
        break;
      case "thinking_start":
        blocks.set(ev.index, { kind: "thinking", text: "" });
        open.add(ev.index);
        break;
      case "tool_call_start":
        blocks.set(ev.index, { kind: "tool_call", id: ev.id, name: ev.name, arguments: "" });
        open.add(ev.index);
        break;
      case "redacted_thinking":
        blocks.set(ev.index, { kind: "redacted_thinking", data: ev.data });
        open.add(ev.index);
        break;
      case "text_delta": {
        const b = blocks.get(ev.index);
        if (b?.kind !== "text" || !open.has(ev.index)) summary.wellFormed = false;
        else b.text += ev.text;
        break;
      }
      case "thinking_delta": {
        const b = blocks.get(ev.index);
        if (b?.kind !== "thinking" || !open.has(ev.index)) summary.wellFormed = false;
        else b.text += ev.text;
        break;
      }
      case "thinking_signature": {
        const b = blocks.get(ev.index);
        if (b?.kind !== "thinking") summary.wellFormed = false;
        else b.signature = (b.signature ?? "") + ev.signature;
        break;
      }
      case "tool_call_delta": {
        const b = blocks.get(ev.index);
        if (b?.kind !== "tool_call" || !open.has(ev.index)) summary.wellFormed = false;
        else b.arguments += ev.arguments;
        break;
      }
      case "block_stop":
        if (!open.delete(ev.index)) summary.wellFormed = false;
        break;
      case "usage":
        summary.usage = { ...summary.usage, ...ev.usage };
        break;
      case "message_stop":
        summary.stopReason = ev.stopReason;
        if (ev.stopSequence !== undefined) summary.stopSequence = ev.stopSequence;
        stopped = true;
        break;
      case "error":
        summary.errors++;
        break;
      case "ping":
        break;
    }
  }
  if (open.size > 0) summary.wellFormed = false;
  summary.blocks = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
  return summary;
}

/** Usage with zero-valued detail counts left out: formats that always send a detail count send 0 for "none". */
export function usageView(u: Partial<Usage> | undefined): Partial<Usage> | undefined {
  if (u === undefined) return undefined;
  const out: Partial<Usage> = {};
  for (const [k, v] of Object.entries(u) as Array<[keyof Usage, number | undefined]>) {
    if (v === undefined) continue;
    if (v === 0 && k !== "inputTokens" && k !== "outputTokens") continue;
    out[k] = v;
  }
  return out;
}
