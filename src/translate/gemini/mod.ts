/** @module The Gemini generateContent / streamGenerateContent codec (v1beta REST, `alt=sse` streams). */
import type { Usage } from "../../core/canonical.ts";
import type { Codec } from "../../core/codec.ts";
import { usageFromWire } from "./response.ts";
import { decodeRequest } from "./request_decode.ts";
import { encodeRequest } from "./request_encode.ts";
import { decodeResponse, encodeResponse } from "./response.ts";
import { decodeStream, type GeminiDecodeState, initDecodeStream } from "./stream_decode.ts";
import { encodeStream, type GeminiEncodeState, initEncodeStream } from "./stream_encode.ts";
import { decodeError, encodeError } from "./wire_error.ts";

export { decodeRequest } from "./request_decode.ts";
export { encodeRequest, SKIP_SIGNATURE } from "./request_encode.ts";
export { decodeResponse, encodeResponse } from "./response.ts";
export { decodeStream, type GeminiDecodeState, initDecodeStream } from "./stream_decode.ts";
export { encodeStream, type GeminiEncodeState, initEncodeStream } from "./stream_encode.ts";
export { decodeError, encodeError } from "./wire_error.ts";

export const codec: Codec<GeminiDecodeState, GeminiEncodeState> = {
  format: "gemini",
  decodeRequest,
  encodeRequest,
  decodeResponse,
  decodeUsage,
  usageKey: "usageMetadata",
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
  return usageFromWire((body as { usageMetadata?: Parameters<typeof usageFromWire>[0] } | null)?.usageMetadata);
}
