import assert from "node:assert/strict";
import fc from "fast-check";
import { GatewayError } from "../../core/errors.ts";
import { chatSchema, checkChat } from "./openai.ts";

/** Values of every JSON kind, so the hand check meets the shapes zod refuses too. */
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(
    fc.constantFrom("role", "content"),
    fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)),
  ),
);

const chatLike = fc.record({
  model: fc.oneof(fc.string({ maxLength: 4 }), anyValue),
  messages: fc.oneof(
    fc.array(
      fc.oneof(fc.record({ role: fc.string({ maxLength: 4 }), content: fc.string({ maxLength: 4 }) }), anyValue),
      {
        maxLength: 3,
      },
    ),
    anyValue,
  ),
  stream: anyValue,
}, { requiredKeys: [] });

Deno.test("checkChat() accepts exactly the bodies the zod schema accepts, and refuses the others with zod's field", () => {
  fc.assert(
    fc.property(chatLike, (body) => {
      const zodOk = chatSchema.safeParse(body).success;
      let ok = true;
      try {
        const out = checkChat(body as Record<string, unknown>);
        assert.equal(out.model, body.model);
      } catch (err) {
        assert.ok(err instanceof GatewayError);
        assert.equal(err.code, "invalid_request");
        ok = false;
      }
      assert.equal(ok, zodOk, JSON.stringify(body));
    }),
    { numRuns: 2000 },
  );
});
