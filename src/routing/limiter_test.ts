import assert from "node:assert/strict";
import { GatewayError } from "../core/errors.ts";
import { createLimiter, type Limits } from "./limiter.ts";

const base: Limits = { rpm: 0, minGapMs: 0, maxConcurrent: 0, queueSize: 10, queueTimeoutMs: 1000 };

Deno.test("acquire() without limits starts at once", async () => {
  const limiter = createLimiter({ now: Date.now });
  const release = await limiter.acquire("c", base);
  release();
  assert.equal(limiter.list().length, 0);
});

Deno.test("maxConcurrent queues the excess and starts it on release, in order", async () => {
  const limiter = createLimiter({ now: Date.now });
  const limits = { ...base, maxConcurrent: 1 };
  const first = await limiter.acquire("c", limits);
  const order: number[] = [];
  const second = limiter.acquire("c", limits).then((r) => (order.push(2), r));
  const third = limiter.acquire("c", limits).then((r) => (order.push(3), r));
  assert.equal(limiter.list()[0].queued, 2);
  first();
  (await second)();
  (await third)();
  assert.deepEqual(order, [2, 3]);
});

Deno.test("a full queue is refused with 429 rate_limited and Retry-After", async () => {
  const limiter = createLimiter({ now: Date.now });
  const limits = { ...base, maxConcurrent: 1, queueSize: 1 };
  const first = await limiter.acquire("c", limits);
  const queued = limiter.acquire("c", limits);
  await assert.rejects(limiter.acquire("c", limits), (err: unknown) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 429);
    assert.equal(err.code, "rate_limited");
    assert.ok((err.retryAfter ?? 0) >= 1);
    return true;
  });
  first();
  (await queued)();
});

Deno.test("a queued request times out with 429 after queueTimeoutMs", async () => {
  const limiter = createLimiter({ now: Date.now });
  const limits = { ...base, maxConcurrent: 1, queueTimeoutMs: 30 };
  const first = await limiter.acquire("c", limits);
  const started = Date.now();
  await assert.rejects(limiter.acquire("c", limits), /waited 30 ms/);
  assert.ok(Date.now() - started >= 25);
  first();
});

Deno.test("minGapMs spaces request starts", async () => {
  const limiter = createLimiter({ now: Date.now });
  const limits = { ...base, minGapMs: 40 };
  const t0 = Date.now();
  (await limiter.acquire("c", limits))();
  (await limiter.acquire("c", limits))();
  assert.ok(Date.now() - t0 >= 35, `second start after ${Date.now() - t0} ms`);
});

Deno.test("rpm lets `rpm` requests through in a minute and queues the next", async () => {
  let now = 1_000_000;
  const limiter = createLimiter({ now: () => now });
  const limits = { ...base, rpm: 2, queueTimeoutMs: 50 };
  (await limiter.acquire("c", limits))();
  (await limiter.acquire("c", limits))();
  await assert.rejects(limiter.acquire("c", limits), /rate limit/);
  now += 60_001;
  (await limiter.acquire("c", limits))();
});
