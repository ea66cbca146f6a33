/**
 * @module Reasoning state in `encrypted_content`: OpenAI's own blobs pass verbatim; another vendor's signature
 * (or Anthropic redacted thinking) is tagged so that, when a Responses client such as Codex sends the reasoning
 * item back next turn, it returns to the vendor that made it instead of being mistaken for OpenAI's.
 * OpenAI's encrypted_content is URL-safe base64 (no `:`), so the `switchyard:` tag cannot collide with it.
 */
import type { WireFormat } from "../../core/canonical.ts";

const TAG = "switchyard:";
const FOREIGN: ReadonlyArray<WireFormat> = ["openai", "anthropic", "gemini"];

export type DecodedReasoningState =
  | { kind: "signature"; signature: string; signatureFormat: WireFormat }
  | { kind: "redacted"; data: string };

/** `encrypted_content` for a canonical signature of the given format. */
export function encryptedContentFor(signature: string, format: WireFormat | undefined): string {
  if (format === undefined || format === "responses") return signature;
  return `${TAG}${format}:${signature}`;
}

/** `encrypted_content` carrying Anthropic redacted thinking. */
export function encryptedContentForRedacted(data: string): string {
  return `${TAG}redacted:${data}`;
}

/** What an `encrypted_content` string holds. */
export function decodeEncryptedContent(value: string): DecodedReasoningState {
  if (value.startsWith(TAG)) {
    const rest = value.slice(TAG.length);
    const colon = rest.indexOf(":");
    const kind = colon === -1 ? "" : rest.slice(0, colon);
    const payload = rest.slice(colon + 1);
    if (kind === "redacted") return { kind: "redacted", data: payload };
    const format = FOREIGN.find((f) => f === kind);
    if (format !== undefined) return { kind: "signature", signature: payload, signatureFormat: format };
  }
  return { kind: "signature", signature: value, signatureFormat: "responses" };
}
