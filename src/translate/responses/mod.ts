/**
 * @module The OpenAI Responses API codec (`POST /v1/responses`, what Codex CLI speaks): request, response,
 * stream and error translation to and from the canonical model.
 */
import type { Usage } from "../../core/canonical.ts";
import type { Codec } from "../../core/codec.ts";
import { decodeUsage as usageFromWire } from "./response.ts";
import { decodeRequest } from "./request_decode.ts";
import { encodeRequest } from "./request_encode.ts";
import { decodeResponse, encodeResponse } from "./response.ts";
import { type DecodeState, decodeStream, initDecodeStream } from "./stream_decode.ts";
import { type EncodeState, encodeStream, initEncodeStream } from "./stream_encode.ts";
import { decodeError, encodeError } from "./error_body.ts";

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
export type { DecodeState, EncodeState };

export const codec: Codec<DecodeState, EncodeState> = {
  format: "responses",
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
  return usageFromWire((body as { usage?: unknown } | null)?.usage);
}
