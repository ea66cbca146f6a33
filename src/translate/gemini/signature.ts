/**
 * @module thoughtSignature provenance. Gemini's own signatures pass verbatim; another vendor's (an Anthropic thinking
 * signature) is shown to a Gemini client as `switchyard:<format>:<sig>` (the tag the Anthropic and Responses codecs
 * use too), so when the client sends the part back the signature returns to the vendor that made it instead of
 * being mistaken for Gemini's. Gemini's signatures are base64, which has no `:`, so the tag cannot collide.
 */
import type { WireFormat } from "../../core/canonical.ts";

const TAG = "switchyard:";
const FORMATS: ReadonlySet<string> = new Set(["openai", "anthropic", "gemini", "responses"]);

/** The thoughtSignature to show a Gemini client for a canonical signature of `format`. */
export function signatureForClient(signature: string, format: WireFormat | undefined): string {
  if (format === undefined || format === "gemini") return signature;
  return `${TAG}${format}:${signature}`;
}

/** A thoughtSignature from the wire → canonical signature and the format that made it. */
export function signatureFromWire(value: string): { signature: string; signatureFormat: WireFormat } {
  if (value.startsWith(TAG)) {
    const rest = value.slice(TAG.length);
    const colon = rest.indexOf(":");
    const format = colon === -1 ? "" : rest.slice(0, colon);
    if (FORMATS.has(format)) return { signature: rest.slice(colon + 1), signatureFormat: format as WireFormat };
  }
  return { signature: value, signatureFormat: "gemini" };
}
