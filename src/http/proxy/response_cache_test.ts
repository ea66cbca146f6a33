/** @module Unit tests for the response cache: qualification, keys, LRU bound, TTL and counters. */
import assert from "node:assert/strict";
import { cacheKey, createResponseCache, isDeterministic, stableJson, wantsNoCache } from "./response_cache.ts";

const answer = { status: 200, headers: {}, body: "{}", tokensIn: 1, tokensOut: 2 };

Deno.test("createResponseCache() counts hits, misses and bypasses, expires entries and stays bounded", () => {
  let now = 0;
  const cache = createResponseCache({ maxEntries: 2, now: () => now });
  assert.equal(cache.lookup("a"), undefined);
  cache.store("a", answer, 1000);
  assert.equal(cache.lookup("a"), answer);
  cache.noteBypass();
  cache.store("b", answer, 1000);
  cache.store("c", answer, 1000);
  assert.equal(cache.stats().entries, 2, "bounded");
  assert.equal(cache.lookup("a"), undefined, "the least recently used went first");
  now = 1000;
  assert.equal(cache.lookup("c"), undefined, "expired");
  assert.deepEqual(cache.stats(), { entries: 1, hits: 1, misses: 3, bypasses: 1, hitRate: 0.25 });
  cache.clear();
  assert.deepEqual(cache.stats(), { entries: 0, hits: 0, misses: 0, bypasses: 0, hitRate: 0 });
});

Deno.test("isDeterministic() and wantsNoCache() read the client's own fields and headers", () => {
  assert.equal(isDeterministic("openai", { temperature: 0 }), true);
  assert.equal(isDeterministic("openai", {}), false);
  assert.equal(isDeterministic("anthropic", { temperature: 0.2 }), false);
  assert.equal(isDeterministic("gemini", { generationConfig: { temperature: 0 } }), true);
  assert.equal(isDeterministic("gemini", { temperature: 0 }), false);
  assert.equal(wantsNoCache(new Headers({ "x-switchyard-no-cache": "true" })), true);
  assert.equal(wantsNoCache(new Headers({ "cache-control": "max-age=0, no-cache" })), true);
  assert.equal(wantsNoCache(new Headers({ "cache-control": "max-age=0" })), false);
  assert.equal(wantsNoCache(new Headers()), false);
});

Deno.test("cacheKey() ignores key order and transport fields, and separates keys, models and bodies", async () => {
  const base = { keyId: "k1", surface: "openai" as const, model: "m", target: "openai/m", extra: "" };
  const a = await cacheKey({ ...base, body: { temperature: 0, messages: [{ role: "user", content: "x" }] } });
  const b = await cacheKey({
    ...base,
    body: { messages: [{ content: "x", role: "user" }], stream: false, user: "u1", temperature: 0 },
  });
  assert.equal(a, b);
  assert.notEqual(a, await cacheKey({ ...base, keyId: "k2", body: { temperature: 0, messages: [] } }));
  const c = await cacheKey({ ...base, body: { temperature: 0, messages: [{ role: "user", content: "y" }] } });
  assert.notEqual(a, c);
  assert.notEqual(
    a,
    await cacheKey({ ...base, keyId: "k2", body: { temperature: 0, messages: [{ role: "user", content: "x" }] } }),
  );
  assert.equal(stableJson({ b: 1, a: [1, { d: null, c: "x" }] }), '{"a":[1,{"c":"x","d":null}],"b":1}');
});
