import assert from "node:assert/strict";
import { tokensOf } from "../../usage/estimate.ts";
import { costOf } from "./cost.ts";

Deno.test("costOf() bills fresh input, cached input at the cached price, and output per 1M tokens", () => {
  const price = { input: 3, output: 15, cachedInput: 0.3 };
  // 1,000 input of which 400 cached, 200 output: 600·3 + 400·0.3 + 200·15 = 4,920 µ$.
  assert.equal(costOf(price, { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 }), 0.00492);
});

Deno.test("costOf() bills cached input at the input price when the model has no cached price", () => {
  assert.equal(costOf({ input: 2, output: 8 }, { inputTokens: 1000, cachedInputTokens: 1000, outputTokens: 0 }), 0.002);
});

Deno.test("costOf() is 0 for a model without a known price, and never negative", () => {
  assert.equal(costOf(undefined, { inputTokens: 1_000_000, outputTokens: 1_000_000 }), 0);
  assert.equal(costOf({ input: 1, output: 1 }, { inputTokens: 10, cachedInputTokens: 50, outputTokens: 0 }), 0.00005);
});

Deno.test("tokensOf() counts about four characters a token", () => {
  assert.equal(tokensOf("".length), 0);
  assert.equal(tokensOf("abcd".length), 1);
  assert.equal(tokensOf("abcde".length), 2);
});
