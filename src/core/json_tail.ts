/**
 * @module Reads one top-level member of a JSON object from the end of its text, without parsing the rest: the
 * usage of a pass-through answer sits at its end (`usage`, Gemini's `usageMetadata`), so the answer's bytes can go to
 * the client as they came while only their tail is decoded and looked at.
 */

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the quote at `i` is escaped (an odd number of backslashes right before it): 1 or 0, and -1 when the run of
 * backslashes reaches the start of `text`, where a tail may have cut some off.
 */
function escaped(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && text.charCodeAt(j) === BACKSLASH) j--;
  if (j < 0) return -1;
  return (i - 1 - j) % 2;
}

/**
 * The raw JSON text of the value of top-level member `key`, scanning `text` (the whole object, or a tail of it)
 * backwards from its closing brace; `undefined` when the member is not found before the scan reaches the start of
 * `text` or of the object. Never a wrong answer for a valid object: members of nested objects and look-alikes inside
 * strings are skipped by tracking depth and string boundaries. A key written with escapes is not recognised.
 */
export function topLevelMember(text: string, key: string): string | undefined {
  let i = text.length - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  if (i < 0 || text.charCodeAt(i) !== 0x7d /* } */) return undefined;
  let depth = 1;
  /** Where the member being scanned ends (its `,` or the object's `}`) and where its `:` is, at depth 1. */
  let valueEnd = i;
  let colon = -1;
  /** The next significant character to the right of the scan, at any depth. */
  let next = 0x7d;
  i--;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i--;
      continue;
    }
    if (c === QUOTE) {
      // A closing quote: its string starts at the first unescaped quote to the left.
      let j = i - 1;
      let e = 1;
      while (j >= 0 && (text.charCodeAt(j) !== QUOTE || (e = escaped(text, j)) === 1)) j--;
      if (j < 0 || e === -1) return undefined;
      if (depth === 1 && next === 0x3a /* : */ && i - j - 1 === key.length && text.startsWith(key, j + 1)) {
        return text.slice(colon + 1, valueEnd);
      }
      next = QUOTE;
      i = j - 1;
      continue;
    }
    if (c === 0x7d || c === 0x5d) depth++; // } ]
    else if (c === 0x7b || c === 0x5b) { // { [
      depth--;
      if (depth === 0) return undefined;
    } else if (depth === 1) {
      if (c === 0x2c) valueEnd = i; // ,
      else if (c === 0x3a) colon = i; // :
    }
    next = c;
    i--;
  }
  return undefined;
}
