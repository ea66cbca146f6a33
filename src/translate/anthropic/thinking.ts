/**
 * @module Thinking: signature provenance and effort names. Anthropic verifies every signature it gets back, so
 * a signature made by another vendor must never reach it; we tag such signatures when handing them to an
 * Anthropic client so they come back recognisable.
 */
import type { ReasoningEffort, WireFormat } from "../../core/canonical.ts";

const FOREIGN_PREFIX = "switchyard:";
const FORMATS: ReadonlySet<string> = new Set(["openai", "anthropic", "gemini", "responses"]);

/** The signature to show an Anthropic client: Anthropic's own verbatim, others as `switchyard:<format>:<sig>`. */
export function signatureForClient(signature: string | undefined, format: WireFormat | undefined): string {
  if (signature === undefined || signature === "") return "";
  if (format === undefined || format === "anthropic") return signature;
  return `${FOREIGN_PREFIX}${format}:${signature}`;
}

/** Reads a signature an Anthropic client sent back (undoing `signatureForClient`). */
export function signatureFromClient(
  signature: string | null | undefined,
): { signature?: string; signatureFormat?: WireFormat } {
  if (signature === undefined || signature === null || signature === "") return {};
  if (signature.startsWith(FOREIGN_PREFIX)) {
    const rest = signature.slice(FOREIGN_PREFIX.length);
    const colon = rest.indexOf(":");
    const format = colon === -1 ? "" : rest.slice(0, colon);
    if (FORMATS.has(format)) return { signature: rest.slice(colon + 1), signatureFormat: format as WireFormat };
  }
  return { signature, signatureFormat: "anthropic" };
}

/** `output_config.effort` (low | medium | high | xhigh | max) → canonical effort. */
export function effortFromWire(effort: string | null | undefined): ReasoningEffort | undefined {
  switch (effort) {
    case "low":
    case "medium":
    case "high":
      return effort;
    case "xhigh":
    case "max":
      return "high";
    default:
      return undefined;
  }
}
