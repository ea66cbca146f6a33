/** @module The codec of each wire format, by name (N formats, 2N functions: no pairwise translators). */
import type { WireFormat } from "../core/canonical.ts";
import type { Codec } from "../core/codec.ts";
import { codec as anthropic } from "./anthropic/mod.ts";
import { codec as gemini } from "./gemini/mod.ts";
import { codec as openai } from "./openai/mod.ts";
import { codec as responses } from "./responses/mod.ts";

export const CODECS: Readonly<Record<WireFormat, Codec>> = {
  openai: openai as Codec,
  anthropic: anthropic as Codec,
  gemini: gemini as Codec,
  responses: responses as Codec,
};

export function codecFor(format: WireFormat): Codec {
  return CODECS[format];
}
