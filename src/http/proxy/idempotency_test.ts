/** @module Unit tests for the idempotency store: leaders, waiters, the window, failures and the bounds. */
import assert from "node:assert/strict";
import { createIdempotencyStore } from "./idempotency.ts";

const ok = { status: 200, headers: {}, body: "x".repeat(10), tokensIn: 1, tokensOut: 1 };

Deno.test("claim() makes the first a leader and a duplicate wait for the same outcome within the window", async () => {
  let now = 0;
  const store = createIdempotencyStore({ now: () => now });
  const first = store.claim("k");
  assert.equal(first.leader, true);
  const second = store.claim("k");
  assert.equal(second.leader, false);
  if (!first.leader || second.leader) return;
  now = 50_000; // still pending: the window starts when the answer is complete
  first.settle(ok, 5000);
  assert.equal(await second.outcome, ok);
  now = 54_999;
  const third = store.claim("k");
  assert.equal(third.leader, false);
  now = 55_000;
  assert.equal(store.claim("k").leader, true, "after the window a new request runs");
});

Deno.test("claim(): a failure reaches the waiters but is not kept for later duplicates", async () => {
  const store = createIdempotencyStore({ now: () => 0 });
  const first = store.claim("k");
  const waiter = store.claim("k");
  if (!first.leader || waiter.leader) throw new Error("roles");
  const failed = { ...ok, status: 502 };
  first.settle(failed, 5000);
  assert.equal(await waiter.outcome, failed);
  assert.equal(store.claim("k").leader, true);
});

Deno.test("createIdempotencyStore() stays within its entry and byte bounds", () => {
  const store = createIdempotencyStore({ now: () => 0, maxEntries: 3, maxBytes: 25 });
  for (let i = 0; i < 10; i++) {
    const c = store.claim(`k${i}`);
    if (c.leader) c.settle(ok, 5000);
  }
  assert.ok(store.size <= 2, `size ${store.size}: 25 bytes hold two 10-byte answers`);
  assert.equal(store.claim("k9").leader, false, "the newest is kept");
  assert.equal(store.claim("k0").leader, true, "the oldest went first");
});
