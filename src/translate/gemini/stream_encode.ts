/**
 * @module Canonical stream events → Gemini `alt=sse` chunks for a Gemini client. Text and thought deltas go out as
 * they arrive; a function call is sent whole when its block stops (Gemini cannot stream partial arguments), so only
 * each open call's own argument text is buffered. The finish chunk carries finishReason and, once known, usageMetadata.
 */
import type { SseEvent, StepResult, StopReason, StreamEvent, Usage, WireFormat } from "../../core/canonical.ts";
import type { EncodeStreamInit } from "../../core/codec.ts";
import { GatewayError, geminiStatusFor } from "../../core/errors.ts";
import { parseArguments } from "./parts.ts";
import { signatureForClient } from "./signature.ts";
import { finishFromStop, usageToWire } from "./response.ts";

type WireObject = Record<string, unknown>;

export interface GeminiEncodeState {
  id: string;
  model: string;
  /** Open tool calls by block index, each buffered until its own block_stop (several may be open at once). */
  calls: Record<number, { id: string; name: string; args: string }>;
  /** The open text block and whether any part went out for it. */
  text?: { index: number; sent: boolean };
  /** The open thinking block and whether any thought text went out for it. */
  thinking?: { index: number; sent: boolean };
  /** A signature from an empty thinking block: it belongs on the next part that goes out. */
  pendingSignature?: string;
  /**
   * Another vendor's signature that closed thought text: it goes on the functionCall part if a tool call comes next
   * (where Gemini puts it, and the only place clients that drop thought parts keep it), else on an empty thought part.
   */
  heldSignature?: string;
  /** Which vendor made streamed signatures (another vendor's are tagged for the client). */
  upstreamFormat?: WireFormat;
  stop?: StopReason;
  usage?: Usage;
  finishSent: boolean;
  usageSent: boolean;
  done: boolean;
}

export function initEncodeStream(init: EncodeStreamInit): GeminiEncodeState {
  const s: GeminiEncodeState = { id: "", model: "", calls: {}, finishSent: false, usageSent: false, done: false };
  if (init.upstreamFormat !== undefined) s.upstreamFormat = init.upstreamFormat;
  return s;
}

function chunk(s: GeminiEncodeState, body: WireObject): SseEvent {
  return { data: JSON.stringify({ ...body, modelVersion: s.model, responseId: s.id }) };
}

function partChunk(s: GeminiEncodeState, part: WireObject): SseEvent {
  if (s.pendingSignature !== undefined) {
    part.thoughtSignature = s.pendingSignature;
    s.pendingSignature = undefined;
  }
  return chunk(s, { candidates: [{ content: { role: "model", parts: [part] }, index: 0 }] });
}

/** A signature still waiting for its part when none follows: sent on an empty thought part. */
function flushSignature(s: GeminiEncodeState, out: SseEvent[]): void {
  if (s.pendingSignature !== undefined) out.push(partChunk(s, { text: "", thought: true }));
}

/** A held signature whose thought text no tool call followed: sent on its own empty thought part. */
function releaseHeld(s: GeminiEncodeState, out: SseEvent[]): void {
  if (s.heldSignature === undefined) return;
  out.push(chunk(s, thoughtSignaturePart(s.heldSignature)));
  s.heldSignature = undefined;
}

/** Events that may come between a thinking block's signature and the tool call it belongs with. */
function keepsHeld(s: GeminiEncodeState, event: StreamEvent): boolean {
  switch (event.type) {
    case "tool_call_start":
    case "tool_call_delta":
    case "usage":
    case "ping":
      return true;
    case "block_stop":
      return s.thinking?.index === event.index || s.calls[event.index] !== undefined;
    default:
      return false;
  }
}

function errorChunk(error: { status: number; errorType: string; message: string }): SseEvent {
  const { status, errorType, message } = error;
  const googleStatus = /^[A-Z][A-Z_]*$/.test(errorType) ? errorType : geminiStatusFor(status);
  return { data: JSON.stringify({ error: { code: status, message, status: googleStatus } }) };
}

function blockStop(s: GeminiEncodeState, stop: { index: number; out: SseEvent[] }): void {
  const { index, out } = stop;
  const call = s.calls[index];
  if (call !== undefined) {
    const { [index]: _closed, ...rest } = s.calls;
    s.calls = rest;
    let args: WireObject;
    try {
      args = parseArguments(call.args, { id: call.id, mode: "response" });
    } catch (err) {
      s.done = true;
      out.push(errorChunk({
        status: 502,
        errorType: "upstream_error",
        message: err instanceof GatewayError ? err.message : String(err),
      }));
      return;
    }
    if (s.heldSignature !== undefined) {
      flushSignature(s, out);
      s.pendingSignature = s.heldSignature;
      s.heldSignature = undefined;
    }
    out.push(partChunk(s, { functionCall: { id: call.id, name: call.name, args } }));
  } else if (s.text?.index === index) {
    // An empty text part that carried a signature upstream: send the signature on an empty text part again.
    if (!s.text.sent && s.pendingSignature !== undefined) out.push(partChunk(s, { text: "" }));
    s.text = undefined;
  } else if (s.thinking?.index === index) {
    s.thinking = undefined;
  }
}

function finish(s: GeminiEncodeState, out: SseEvent[]): void {
  const body: WireObject = { candidates: [{ finishReason: finishFromStop(s.stop!), index: 0 }] };
  if (s.usage !== undefined) {
    body.usageMetadata = usageToWire(s.usage);
    s.usageSent = true;
  }
  out.push(chunk(s, body));
  s.finishSent = true;
}

export function encodeStream(state: GeminiEncodeState, event: StreamEvent): StepResult<GeminiEncodeState, SseEvent> {
  if (state.done) return { state, out: [] };
  const s: GeminiEncodeState = { ...state };
  const out: SseEvent[] = [];
  if (s.heldSignature !== undefined && !keepsHeld(s, event)) releaseHeld(s, out);
  switch (event.type) {
    case "message_start":
      s.id = event.id;
      s.model = event.model;
      break;
    case "text_start":
      s.text = { index: event.index, sent: false };
      break;
    case "text_delta":
      if (event.text === "") break;
      if (s.text !== undefined) s.text = { ...s.text, sent: true };
      out.push(partChunk(s, { text: event.text }));
      break;
    case "thinking_start":
      flushSignature(s, out);
      s.thinking = { index: event.index, sent: false };
      break;
    case "thinking_delta":
      if (event.text === "") break;
      if (s.thinking !== undefined) s.thinking = { ...s.thinking, sent: true };
      out.push(partChunk(s, { text: event.text, thought: true }));
      break;
    case "thinking_signature": {
      flushSignature(s, out);
      const signature = signatureForClient(event.signature, s.upstreamFormat);
      const foreign = s.upstreamFormat !== undefined && s.upstreamFormat !== "gemini";
      if (s.thinking?.sent === true && foreign) s.heldSignature = signature;
      else if (s.thinking?.sent === true) out.push(chunk(s, thoughtSignaturePart(signature)));
      else s.pendingSignature = signature;
      break;
    }
    case "redacted_thinking":
      // Anthropic's opaque reasoning has no Gemini part; it means nothing to a Gemini client.
      break;
    case "tool_call_start":
      s.calls = { ...s.calls, [event.index]: { id: event.id, name: event.name, args: "" } };
      break;
    case "tool_call_delta":
      {
        const call = s.calls[event.index];
        if (call !== undefined) s.calls = { ...s.calls, [event.index]: { ...call, args: call.args + event.arguments } };
      }
      break;
    case "block_stop":
      blockStop(s, { index: event.index, out });
      break;
    case "usage":
      s.usage = event.usage;
      if (s.finishSent && !s.usageSent) {
        out.push(chunk(s, { usageMetadata: usageToWire(event.usage) }));
        s.usageSent = true;
      }
      break;
    case "message_stop":
      if (s.finishSent) break;
      flushSignature(s, out);
      s.stop = event.stopReason;
      finish(s, out);
      break;
    case "error":
      out.push(errorChunk(event));
      s.done = true;
      break;
    case "ping":
      break;
  }
  return { state: s, out };
}

function thoughtSignaturePart(signature: string): WireObject {
  return {
    candidates: [{
      content: { role: "model", parts: [{ text: "", thought: true, thoughtSignature: signature }] },
      index: 0,
    }],
  };
}
