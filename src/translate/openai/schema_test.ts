import assert from "node:assert/strict";
import fc from "fast-check";
import { ChunkSchema, isCommonChunk } from "./schema.ts";

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
const maybeNumber = mostly(fc.integer());
const usageLike = mostly(fc.record({
  prompt_tokens: maybeNumber,
  completion_tokens: maybeNumber,
  total_tokens: maybeNumber,
  prompt_tokens_details: mostly(fc.record({ cached_tokens: maybeNumber, cache_write_tokens: maybeNumber }, {
    requiredKeys: [],
  })),
  completion_tokens_details: mostly(fc.record({ reasoning_tokens: maybeNumber }, { requiredKeys: [] })),
  prompt_cache_hit_tokens: maybeNumber,
}, { requiredKeys: [] }));
const functionLike = mostly(fc.record({ name: maybeString, arguments: maybeString }, { requiredKeys: [] }));
const toolCallsLike = mostly(fc.array(
  mostly(fc.record({ index: maybeNumber, id: maybeString, type: maybeString, function: functionLike }, {
    requiredKeys: [],
  })),
  { maxLength: 2 },
));
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
              refusal: maybeString,
              reasoning: maybeString,
              tool_calls: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, {
                arbitrary: toolCallsLike,
                weight: 3,
              }),
              function_call: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, {
                arbitrary: functionLike,
                weight: 1,
              }),
            }, { requiredKeys: [] }),
          ),
          finish_reason: maybeString,
          logprobs: fc.constant(null),
        }, { requiredKeys: [] }),
      ),
      { maxLength: 2 },
    ),
  ),
  usage: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: usageLike, weight: 2 }),
  x_groq: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, {
    arbitrary: mostly(fc.record({ usage: usageLike }, { requiredKeys: [] })),
    weight: 1,
  }),
}, { requiredKeys: ["object"] });

Deno.test("isCommonChunk() agrees with ChunkSchema: what it passes zod takes unchanged, and it passes every chunk zod takes", () => {
  let plain = 0;
  let zodOnly = 0;
  fc.assert(
    fc.property(chunkLike, (raw) => {
      // What JSON.parse would give: no undefined-valued keys.
      const json = JSON.parse(JSON.stringify(raw));
      const parsed = ChunkSchema.safeParse(json);
      if (!isCommonChunk(json)) {
        if (parsed.success) zodOnly++;
        return;
      }
      plain++;
      assert.ok(parsed.success, JSON.stringify(json));
      assert.deepEqual(parsed.data, json);
    }),
    { numRuns: 3000 },
  );
  assert.ok(plain > 300, `only ${plain} common chunks generated`);
  // The hand check is exact on these shapes: a valid chunk it leaves to zod would be a missed shortcut.
  assert.equal(zodOnly, 0, `${zodOnly} chunks ChunkSchema accepts went to zod`);
});

Deno.test("isCommonChunk() takes text, usage and tool-call chunks and leaves malformed ones to zod", () => {
  const text = {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4.1",
    choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, logprobs: null, finish_reason: null }],
  };
  assert.equal(isCommonChunk(text), true);
  assert.equal(
    isCommonChunk({ ...text, usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    true,
  );
  assert.equal(isCommonChunk({ ...text, usage: { prompt_tokens: "1" } }), false);
  const call = { index: 0, id: "c", type: "function", function: { name: "f", arguments: "{" } };
  assert.equal(isCommonChunk({ ...text, choices: [{ index: 0, delta: { tool_calls: [call] } }] }), true);
  assert.equal(
    isCommonChunk({ ...text, choices: [{ index: 0, delta: { tool_calls: [{ ...call, function: { name: 1 } }] } }] }),
    false,
  );
  assert.equal(isCommonChunk({ ...text, x_groq: { usage: { prompt_tokens: null } } }), true);
  assert.equal(isCommonChunk({ ...text, x_groq: { usage: [] } }), false);
});
