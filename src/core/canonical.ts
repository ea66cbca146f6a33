/**
 * @module The neutral chat vocabulary every wire format translates to and from (Bifrost-style: N formats,
 * 2N codecs). Nothing here does I/O; ids and timestamps are passed in by callers.
 */

/** Where an image comes from: a URL the upstream may fetch itself, or inline bytes. */
export type ImageSource =
  | { kind: "url"; url: string; detail?: string }
  | { kind: "base64"; mediaType: string; data: string; detail?: string };

export interface TextPart {
  type: "text";
  text: string;
  /** Anthropic `cache_control` and similar prompt-caching hints; dropped (and named) where unsupported. */
  cacheControl?: Record<string, unknown>;
}

export interface ImagePart {
  type: "image";
  source: ImageSource;
}

/** Any non-text, non-image file (PDF documents, audio): kept so a target that cannot take it refuses it. */
export interface FilePart {
  type: "file";
  mediaType: string;
  /** base64 bytes, or a URL when `url` is set. */
  data?: string;
  url?: string;
  filename?: string;
}

/** A model-side tool call. `arguments` is the exact JSON text the model produced (never re-serialized). */
export interface ToolCallPart {
  type: "tool_call";
  id: string;
  name: string;
  arguments: string;
}

/** The client's answer to a tool call, linked by `callId`. */
export interface ToolResultPart {
  type: "tool_result";
  callId: string;
  /** The tool's name when the format carries it (Gemini needs it; Anthropic/OpenAI do not send it). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

/**
 * Reasoning the model showed. `signature` (Anthropic) / `encrypted` (OpenAI Responses encrypted_content) /
 * Gemini `thoughtSignature` must be sent back verbatim on the next turn, so they are kept.
 */
export interface ThinkingPart {
  type: "thinking";
  text: string;
  signature?: string;
  /** Which format produced the signature: a signature is only meaningful to the vendor that made it. */
  signatureFormat?: WireFormat;
}

/** Anthropic `redacted_thinking`: opaque data, round-tripped untouched. */
export interface RedactedThinkingPart {
  type: "redacted_thinking";
  data: string;
}

export type ContentPart =
  | TextPart
  | ImagePart
  | FilePart
  | ToolCallPart
  | ToolResultPart
  | ThinkingPart
  | RedactedThinkingPart;

/**
 * A conversation turn. System and developer instructions do not live here: they go to
 * `ChatRequest.system`, in order, so every encoder can put them in its format's system slot.
 * A `tool` role is not needed: tool results are `tool_result` parts of a `user` turn (Anthropic's model);
 * encoders for formats with a tool role split them out.
 */
export interface Message {
  role: "user" | "assistant";
  content: ContentPart[];
}

/** One system/developer instruction, with where it stood (so a mid-conversation system message keeps its place). */
export interface SystemBlock {
  text: string;
  /** `developer` is OpenAI's newer name for system; kept so a same-family encoder can restore it. */
  role: "system" | "developer";
  cacheControl?: Record<string, unknown>;
  /** Index into `messages` before which this block appeared; omitted for leading system text. */
  beforeMessage?: number;
}

export interface FunctionTool {
  type: "function";
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: Record<string, unknown>;
}

/** A vendor-hosted tool (Responses `web_search`, Anthropic `web_search_20250305`, …): only its own format can run it. */
export interface HostedTool {
  type: "hosted";
  format: WireFormat;
  /** The raw tool definition, untouched. */
  raw: Record<string, unknown>;
}

export type Tool = FunctionTool | HostedTool;

export type ToolChoice =
  | { type: "auto" }
  | { type: "none" }
  | { type: "required" }
  | { type: "tool"; name: string };

export type ReasoningEffort = "minimal" | "low" | "medium" | "high";

/** Reasoning controls. A budget and an effort are interchangeable through `core/reasoning.ts`'s table. */
export interface ReasoningConfig {
  enabled: boolean;
  effort?: ReasoningEffort;
  budgetTokens?: number;
  /** Ask the upstream to return thought text/summaries (Gemini includeThoughts, Responses summary). */
  includeThoughts?: boolean;
}

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export type WireFormat = "openai" | "anthropic" | "gemini" | "responses";

export interface ChatRequest {
  model: string;
  system: SystemBlock[];
  messages: Message[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stream: boolean;
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /**
   * Fields the decoder saw but the neutral model has no place for, by wire name. An encoder for a target
   * that cannot express them lists them in `dropped` (-> `x-switchyard-dropped`); hints only, never content.
   */
  hints: Record<string, unknown>;
}

export type StopReason = "end_turn" | "max_tokens" | "tool_use" | "stop_sequence" | "content_filter" | "refusal";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the upstream's prompt cache (already included in inputTokens). */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens; included in inputTokens). */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (already included in outputTokens). */
  reasoningTokens?: number;
}

export interface ChatResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  content: ContentPart[];
  stopReason: StopReason;
  stopSequence?: string;
  usage: Usage;
}

/**
 * Canonical stream events: the contract between every `decodeStream` and `encodeStream`.
 * Blocks are numbered by `index` in order of appearance across all kinds (text, thinking, tool call), so an
 * Anthropic encoder can map them 1:1 to content blocks and an OpenAI encoder can number tool calls.
 * A block is opened by its `*_start`, receives deltas, and is closed by `block_stop`.
 */
export type StreamEvent =
  | { type: "message_start"; id: string; model: string; created: number; usage?: Partial<Usage> }
  | { type: "text_start"; index: number }
  | { type: "text_delta"; index: number; text: string }
  | { type: "thinking_start"; index: number }
  | { type: "thinking_delta"; index: number; text: string }
  | { type: "thinking_signature"; index: number; signature: string }
  | { type: "redacted_thinking"; index: number; data: string }
  | { type: "tool_call_start"; index: number; id: string; name: string }
  | { type: "tool_call_delta"; index: number; arguments: string }
  | { type: "block_stop"; index: number }
  | { type: "usage"; usage: Usage }
  | { type: "message_stop"; stopReason: StopReason; stopSequence?: string }
  | { type: "ping" }
  | { type: "error"; status: number; errorType: string; message: string };

/** A single server-sent event as parsed by `core/sse.ts` (or to be written by it). */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** What a stream step returns: its new state and the events to emit (possibly none). */
export interface StepResult<S, E> {
  state: S;
  out: E[];
}

/** Fields an encoder could not express in its target format (the `x-switchyard-dropped` header). */
export interface Encoded<T> {
  body: T;
  dropped: string[];
}
