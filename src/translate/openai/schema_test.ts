import assert from "node:assert/strict";
import fc from "fast-check";
import { ChunkSchema, isPlainTextChunk } from "./schema.ts";

const loose = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 1 }),
  fc.dictionary(fc.constantFrom("prompt_tokens", "name", "x"), fc.oneof(fc.integer(), fc.string({ maxLength: 2 }))),
);
/** Mostly the right type, sometimes anything: enough of both sides of the check. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: loose, weight: 1 });
const maybeString = mostly(fc.string({ maxLength: 4 }));
const chunkLike = fc.record({
  id: maybeString,
  object: fc.constant("chat.completion.chunk"),
  model: maybeString,
  created: mostly(fc.integer()),
  choices: mostly(
    fc.array(
      mostly(
        fc.record({
          index: mostly(fc.integer()),
          delta: mostly(
            fc.record({
              role: fc.constantFrom("assistant", undefined),
              content: maybeString,
              reasoning_content: maybeString,
              tool_calls: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: loose, weight: 1 }),
            }, { requiredKeys: [] }),
          ),
          finish_reason: maybeString,
          logprobs: fc.constant(null),
        }, { requiredKeys: [] }),
      ),
      { maxLength: 2 },
    ),
  ),
  usage: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: loose, weight: 1 }),
  x_groq: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: loose, weight: 1 }),
}, { requiredKeys: ["object"] });

Deno.test("isPlainTextChunk() passes only chunks ChunkSchema accepts as they are", () => {
  let plain = 0;
  fc.assert(
    fc.property(chunkLike, (raw) => {
      // What JSON.parse would give: no undefined-valued keys.
      const json = JSON.parse(JSON.stringify(raw));
      if (!isPlainTextChunk(json)) return;
      plain++;
      const parsed = ChunkSchema.safeParse(json);
      assert.ok(parsed.success, JSON.stringify(json));
      assert.deepEqual(parsed.data, json);
    }),
    { numRuns: 3000 },
  );
  assert.ok(plain > 100, `only ${plain} plain chunks generated`);
});

Deno.test("isPlainTextChunk() takes a provider's text chunk and leaves usage and tool-call chunks to zod", () => {
  const text = {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4.1",
    choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, logprobs: null, finish_reason: null }],
  };
  assert.equal(isPlainTextChunk(text), true);
  assert.equal(
    isPlainTextChunk({ ...text, usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    false,
  );
  assert.equal(
    isPlainTextChunk({ ...text, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "c" }] } }] }),
    false,
  );
});
