/** @module The OpenAI Chat Completions codec: wire format ⇄ canonical (see each file for its mapping rules). */
import type { Usage } from "../../core/canonical.ts";
import type { Codec } from "../../core/codec.ts";
import { usageFromWire } from "./stop_usage.ts";
import { decodeError, encodeError } from "./error_body.ts";
import { decodeRequest } from "./request_decode.ts";
import { encodeRequest } from "./request_encode.ts";
import { decodeResponse, encodeResponse } from "./response.ts";
import { decodeStream, initDecodeStream, type OpenAIDecodeState } from "./stream_decode.ts";
import { encodeStream, initEncodeStream, type OpenAIEncodeState } from "./stream_encode.ts";

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
export type { OpenAIDecodeState, OpenAIEncodeState };

export const codec: Codec<OpenAIDecodeState, OpenAIEncodeState> = {
  format: "openai",
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
  return usageFromWire((body as { usage?: Parameters<typeof usageFromWire>[0] } | null)?.usage);
}
