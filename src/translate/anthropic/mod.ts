/** @module The Anthropic Messages codec: `/v1/messages` bodies, responses, SSE streams and errors ⇄ canonical. */
import type { Usage } from "../../core/canonical.ts";
import type { Codec } from "../../core/codec.ts";
import { usageFromWire } from "./response.ts";
import { decodeRequest } from "./request_decode.ts";
import { encodeRequest } from "./request_encode.ts";
import { decodeResponse, encodeResponse } from "./response.ts";
import { type AnthropicDecodeState, decodeStream, initDecodeStream } from "./stream_decode.ts";
import { type AnthropicEncodeState, encodeStream, initEncodeStream } from "./stream_encode.ts";
import { decodeError, encodeError } from "./wire_error.ts";

export {
  decodeError,
  decodeRequest,
  decodeResponse,
  decodeStream,
  encodeError,
  encodeRequest,
  encodeResponse,
  encodeStream,
  initDecodeStream,
  initEncodeStream,
};
export type { AnthropicDecodeState, AnthropicEncodeState };
export { DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS_WITH_THINKING, MIN_THINKING_BUDGET } from "./request_encode.ts";

export const codec: Codec<AnthropicDecodeState, AnthropicEncodeState> = {
  format: "anthropic",
  decodeRequest,
  encodeRequest,
  decodeResponse,
  decodeUsage,
  usageKey: "usage",
  encodeResponse,
  initDecodeStream,
  decodeStream,
  initEncodeStream,
  encodeStream,
  decodeError,
  encodeError,
};

/** Usage of a whole response body (see Codec.decodeUsage). */
export function decodeUsage(body: unknown): Usage {
  return ({
    inputTokens: 0,
    outputTokens: 0,
    ...usageFromWire((body as { usage?: Parameters<typeof usageFromWire>[0] } | null)?.usage),
  });
}
