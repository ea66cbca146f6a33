import assert from "node:assert/strict";
import fc from "fast-check";
import { topLevelMember } from "./json_tail.ts";

const read = (text: string, key = "usage"): unknown => {
  const raw = topLevelMember(text, key);
  return raw === undefined ? undefined : JSON.parse(raw);
};

Deno.test("topLevelMember() reads the last members of an answer", () => {
  const answer = {
    id: "chatcmpl-1",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    system_fingerprint: "fp",
  };
  assert.deepEqual(read(JSON.stringify(answer)), answer.usage);
  assert.deepEqual(read(JSON.stringify(answer, null, 2)), answer.usage);
  assert.equal(read(JSON.stringify(answer), "system_fingerprint"), "fp");
  assert.equal(read(JSON.stringify({ ...answer, usage: null })), null);
});

Deno.test("topLevelMember() skips nested members, look-alikes in strings, and gives up at a cut", () => {
  const nested = { usage: { a: 1 }, meta: { usage: { b: 2 } }, text: 'say "usage": {"c": 3}' };
  assert.deepEqual(read(JSON.stringify(nested)), { a: 1 });
  assert.equal(read(JSON.stringify({ meta: { usage: 1 } })), undefined);
  assert.equal(read(JSON.stringify({ text: '"usage":1}' })), undefined);
  // Backslashes before a quote: an escaped quote does not end a string.
  assert.deepEqual(read(JSON.stringify({ usage: 7, text: 'a\\"usage":2,"x\\\\' })), 7);
  // Not an object, or cut before the member ends: nothing rather than a guess.
  assert.equal(read("[1,2]"), undefined);
  assert.equal(read('{"usage":{"a":1'), undefined);
  assert.equal(read(""), undefined);
  const whole = JSON.stringify({ text: 'x\\"usage\\":{}', usage: 5 });
  for (let cut = 0; cut < whole.length; cut++) {
    const found = read(whole.slice(cut));
    assert.ok(found === undefined || found === 5, `cut at ${cut}: ${found}`);
  }
  // A tail cut between a backslash and the quote it escapes must not make a key of what follows.
  const lookAlike = JSON.stringify({ 'x"usage': 5 });
  for (let cut = 0; cut < lookAlike.length; cut++) assert.equal(read(lookAlike.slice(cut)), undefined, `cut at ${cut}`);
});

/** Strings made of the characters that matter to the scanner. */
const tricky = fc.string({ unit: fc.constantFrom('"', "\\", "{", "}", "[", "]", ":", ",", "u", "usage", " ", "é") });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tricky,
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(tricky, fc.constant("usage")), tie("v"), { maxKeys: 3 }),
  ),
})).v;

Deno.test("topLevelMember() agrees with JSON.parse on any object, whole or as a tail", () => {
  fc.assert(
    fc.property(
      fc.dictionary(tricky, value, { maxKeys: 4 }),
      fc.option(value, { nil: undefined }),
      fc.nat(),
      fc.constantFrom(0, 1),
      fc.nat(),
      (members, usage, at, indent, cut) => {
        const entries = Object.entries(members).filter(([k]) => k !== "usage");
        if (usage !== undefined) entries.splice(at % (entries.length + 1), 0, ["usage", usage]);
        const text = JSON.stringify(Object.fromEntries(entries), null, indent);
        const whole = read(text);
        if (usage === undefined) assert.equal(whole, undefined);
        else assert.deepEqual(whole, JSON.parse(JSON.stringify(usage)));
        const tail = read(text.slice(cut % (text.length + 1)));
        assert.ok(tail === undefined || (usage !== undefined && JSON.stringify(tail) === JSON.stringify(usage)));
      },
    ),
    { numRuns: 3000 },
  );
});
