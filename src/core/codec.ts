/**
 * @module The shape every wire-format codec in `translate/<format>/mod.ts` fills (STYLE.md §2).
 * Codecs are pure: ids, timestamps and models come in through arguments, never from a clock or RNG.
 */
import type {
  ChatRequest,
  ChatResponse,
  Encoded,
  SseEvent,
  StepResult,
  StreamEvent,
  Usage,
  WireFormat,
} from "./canonical.ts";

/** An error as carried between formats: HTTP status, a format-neutral kind and the upstream's message. */
export interface WireError {
  status: number;
  /** The source format's own type string (`rate_limit_error`, `RESOURCE_EXHAUSTED`, …), for logs. */
  type: string;
  message: string;
  /** Seconds, when the body said how long to wait (Gemini RetryInfo). */
  retryAfter?: number;
}

export interface EncodeRequestOptions {
  /** The upstream's model id (prefix stripped). */
  model: string;
}

export interface EncodeStreamInit {
  /** OpenAI: the client asked for `stream_options.include_usage`; other formats always carry usage. */
  includeUsage?: boolean;
  /** The format the canonical events were decoded from (which vendor a streamed thinking signature belongs to). */
  upstreamFormat?: WireFormat;
}

export interface Codec<DecodeState = unknown, EncodeState = unknown> {
  readonly format: WireFormat;
  /** Wire request → canonical; throws `GatewayError("invalid_request")` naming the field on bad input. */
  decodeRequest(body: unknown): ChatRequest;
  /** Canonical → wire request; refuses (GatewayError 400) content it cannot express, lists dropped hints. */
  encodeRequest(req: ChatRequest, options: EncodeRequestOptions): Encoded<Record<string, unknown>>;
  /** Upstream's wire response → canonical; throws `GatewayError("upstream_error")` on a malformed body. */
  decodeResponse(body: unknown): ChatResponse;
  /**
   * The usage of a whole (non-stream) response body, reading nothing else and validating nothing: the
   * same-format pass-through path's only look into the answer.
   */
  decodeUsage(body: unknown): Usage;
  /**
   * The top-level member of a whole response body that holds its usage, near the body's end in every format: the
   * pass-through path reads only that member from the body's tail (see core/json_tail.ts).
   */
  usageKey: string;
  /** Canonical → wire response for the client. */
  encodeResponse(res: ChatResponse): Record<string, unknown>;
  /** Fresh state for reading one upstream stream. */
  initDecodeStream(): DecodeState;
  /** One upstream SSE event → canonical events. */
  decodeStream(state: DecodeState, event: SseEvent): StepResult<DecodeState, StreamEvent>;
  /** Fresh state for writing one client stream. */
  initEncodeStream(init: EncodeStreamInit): EncodeState;
  /** One canonical event → client SSE events (`[DONE]`-style terminators included where the format has them). */
  encodeStream(state: EncodeState, event: StreamEvent): StepResult<EncodeState, SseEvent>;
  /** An upstream error body of this format → neutral error (falls back to the status text on odd bodies). */
  decodeError(status: number, body: unknown): WireError;
  /** Neutral error → this format's error body. */
  encodeError(error: WireError): Record<string, unknown>;
}
