import assert from "node:assert/strict";
import { createLru } from "./lru.ts";

Deno.test("createLru() evicts the least recently used past maxEntries", () => {
  const lru = createLru<number>({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
  lru.set("a", 1);
  lru.set("b", 2);
  assert.equal(lru.get("a"), 1); // a is now most recent
  lru.set("c", 3);
  assert.equal(lru.get("b"), undefined);
  assert.equal(lru.get("a"), 1);
  assert.equal(lru.get("c"), 3);
  assert.equal(lru.size, 2);
});

Deno.test("createLru() expires entries after their TTL", () => {
  let now = 0;
  const lru = createLru<string>({ maxEntries: 10, ttlMs: 100, now: () => now });
  lru.set("k", "v");
  lru.set("short", "s", 10);
  now = 50;
  assert.equal(lru.get("short"), undefined);
  assert.equal(lru.get("k"), "v");
  now = 100;
  assert.equal(lru.get("k"), undefined);
  assert.equal(lru.size, 0);
});

Deno.test("createLru() with maxEntries 0 stores nothing", () => {
  const lru = createLru<number>({ maxEntries: 0, ttlMs: 100, now: () => 0 });
  lru.set("a", 1);
  assert.equal(lru.get("a"), undefined);
});
