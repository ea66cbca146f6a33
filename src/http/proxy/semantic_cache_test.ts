import assert from "node:assert/strict";
import { cosine, createSemanticCache, normalize, promptText } from "./semantic_cache.ts";

const answer = (body: string) => ({ status: 200, headers: {}, body, tokensIn: 1, tokensOut: 1 });

Deno.test("normalize() and cosine(): identical directions are 1, orthogonal 0, other lengths never match", () => {
  assert.ok(Math.abs(cosine(normalize([1, 2, 3]), normalize([2, 4, 6])) - 1) < 1e-6);
  assert.equal(cosine(normalize([1, 0]), normalize([0, 1])), 0);
  assert.equal(cosine(normalize([1, 0]), normalize([1, 0, 0])), -1);
});

Deno.test("find() returns the most similar answer of the same scope at or above the threshold", () => {
  let now = 0;
  const cache = createSemanticCache({ maxEntries: () => 10, now: () => now });
  cache.add("k1", normalize([1, 0, 0]), answer("a"), 1000);
  cache.add("k1", normalize([0.9, 0.1, 0]), answer("b"), 1000);
  cache.add("k2", normalize([1, 0, 0]), answer("other scope"), 1000);
  assert.equal(cache.find("k1", normalize([1, 0.01, 0]), 0.95)?.answer.body, "a");
  assert.equal(cache.find("k1", normalize([0, 1, 0]), 0.95), undefined);
  assert.equal(cache.find("k3", normalize([1, 0, 0]), 0.5), undefined);
  now = 1000;
  assert.equal(cache.find("k1", normalize([1, 0, 0]), 0.5), undefined, "expired entries are gone");
});

Deno.test("add() keeps at most maxEntries, dropping the oldest", () => {
  const cache = createSemanticCache({ maxEntries: () => 2, now: () => 0 });
  cache.add("s", normalize([1, 0]), answer("old"), 1000);
  cache.add("s", normalize([0, 1]), answer("mid"), 1000);
  cache.add("s", normalize([1, 1]), answer("new"), 1000);
  assert.equal(cache.size, 2);
  assert.equal(cache.find("s", normalize([1, 0]), 0.99), undefined);
});

Deno.test("promptText() reads system text and messages through the surface's codec", () => {
  const text = promptText("anthropic", {
    model: "m",
    max_tokens: 10,
    system: "Be brief.",
    messages: [{ role: "user", content: "What is the capital of France?" }],
  });
  assert.equal(text, "Be brief.\nuser: What is the capital of France?");
});
