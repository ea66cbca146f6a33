import assert from "node:assert/strict";
import { startMemoryReducer, takeExposedGc } from "./memory_reducer.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` or `ms` pass. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await sleep(5);
}

Deno.test("startMemoryReducer() collects once start-up has settled, and only once", async () => {
  let collected = 0;
  const r = startMemoryReducer(() => collected++, { activity: () => 0, busy: () => false, settleMs: 30, tickMs: 5 });
  try {
    await until(() => collected > 0, 1000);
    assert.equal(collected, 1);
    assert.ok(r.done());
    await sleep(100);
    assert.equal(collected, 1);
  } finally {
    r.stop();
  }
});

Deno.test("startMemoryReducer() waits while a request is in flight and while requests keep starting", async () => {
  let collected = 0;
  let started = 0;
  let busy = true;
  const r = startMemoryReducer(() => collected++, {
    activity: () => started,
    busy: () => busy,
    settleMs: 50,
    tickMs: 5,
  });
  try {
    await sleep(120);
    assert.equal(collected, 0, "a stream still being answered holds it off");
    busy = false;
    // A request starting every 10 ms holds it off too; the quiet counts from the last one.
    for (let i = 0; i < 12; i++) {
      started++;
      await sleep(10);
    }
    assert.equal(collected, 0);
    const lastAt = Date.now();
    await until(() => collected > 0, 1000);
    assert.equal(collected, 1);
    assert.ok(Date.now() - lastAt >= 45, `collected ${Date.now() - lastAt} ms after the last request`);
  } finally {
    r.stop();
  }
});

Deno.test("startMemoryReducer().stop() before it has run means it never runs", async () => {
  let collected = 0;
  const r = startMemoryReducer(() => collected++, { activity: () => 0, busy: () => false, settleMs: 20, tickMs: 5 });
  r.stop();
  await sleep(60);
  assert.equal(collected, 0);
  assert.equal(r.done(), false);
});

Deno.test("takeExposedGc() returns undefined without --expose-gc, and otherwise takes gc off the global object", () => {
  const holder = globalThis as { gc?: unknown };
  assert.equal(typeof holder.gc, "undefined", "deno test runs without --expose-gc");
  assert.equal(takeExposedGc(), undefined);
  const calls: unknown[] = [];
  holder.gc = (options: unknown) => calls.push(options);
  try {
    const collect = takeExposedGc();
    assert.ok(collect);
    assert.equal(holder.gc, undefined, "no dependency can call it any more");
    collect();
    assert.deepEqual(calls, [{ type: "major", execution: "sync", flavor: "last-resort" }]);
  } finally {
    delete holder.gc;
  }
});
