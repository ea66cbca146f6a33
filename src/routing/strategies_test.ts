import assert from "node:assert/strict";
import fc from "fast-check";
import { createRoundRobin, orderComboEntries, orderConnections, rotate, weightedOrder } from "./strategies.ts";

/** A deterministic random source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("weightedOrder() picks the first entry in proportion to its weight (within 3 points over 20k draws)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
      fc.integer(),
      (weights, seed) => {
        const random = seeded(seed);
        const items = weights.map((weight, id) => ({ id, weight }));
        const counts = new Array(items.length).fill(0);
        const draws = 20_000;
        for (let i = 0; i < draws; i++) counts[weightedOrder(items, random)[0].id]++;
        const total = weights.reduce((s, w) => s + w, 0);
        weights.forEach((w, i) =>
          assert.ok(Math.abs(counts[i] / draws - w / total) < 0.03, `weight ${w}: ${counts[i]}`)
        );
      },
    ),
    { numRuns: 15 },
  );
});

Deno.test("weightedOrder() returns every entry exactly once", () => {
  fc.assert(fc.property(fc.array(fc.nat(5), { maxLength: 8 }), fc.integer(), (weights, seed) => {
    const items = weights.map((weight, id) => ({ id, weight }));
    const out = weightedOrder(items, seeded(seed)).map((x) => x.id).sort((a, b) => a - b);
    assert.deepEqual(out, items.map((x) => x.id));
  }));
});

Deno.test("round-robin is exact and the sticky limit holds: each connection takes `sticky` requests in a row", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (size, sticky) => {
    const rr = createRoundRobin();
    const seen: number[] = [];
    for (let i = 0; i < size * sticky * 3; i++) seen.push(rr.next("p", size, sticky));
    seen.forEach((idx, i) => assert.equal(idx, Math.floor(i / sticky) % size));
  }));
});

Deno.test("rotate() keeps every item and starts at the cursor", () => {
  assert.deepEqual(rotate(["a", "b", "c"], 1), ["b", "c", "a"]);
  assert.deepEqual(rotate(["a", "b", "c"], 5), ["c", "a", "b"]);
  assert.deepEqual(rotate([], 3), []);
});

Deno.test("orderComboEntries() cost-optimized puts the cheapest first and unknown prices last", () => {
  const entries = [
    { id: "a", weight: 1, recentRequests: 5, price: 10 },
    { id: "b", weight: 1, recentRequests: 1, price: undefined },
    { id: "c", weight: 1, recentRequests: 3, price: 2 },
  ];
  const ctx = { random: seeded(1), cursor: () => 0 };
  assert.deepEqual(orderComboEntries(entries, "cost-optimized", ctx).map((e) => e.id), ["c", "a", "b"]);
  assert.deepEqual(orderComboEntries(entries, "least-used", ctx).map((e) => e.id), ["b", "c", "a"]);
  assert.deepEqual(orderComboEntries(entries, "priority", ctx).map((e) => e.id), ["a", "b", "c"]);
});

Deno.test("orderConnections() p2c prefers the less loaded of two; fill-first keeps priority order", () => {
  const conns = [
    { id: "x", priority: 1, inFlight: 5, latencyEwmaMs: 10, lastUsedAt: 3 },
    { id: "y", priority: 2, inFlight: 0, latencyEwmaMs: 50, lastUsedAt: 1 },
  ];
  const ctx = { random: seeded(7), cursor: () => 0 };
  assert.equal(orderConnections(conns, "p2c", ctx)[0].id, "y");
  assert.deepEqual(orderConnections(conns, "fill-first", ctx).map((c) => c.id), ["x", "y"]);
  assert.deepEqual(orderConnections(conns, "least-used", ctx).map((c) => c.id), ["y", "x"]);
});
