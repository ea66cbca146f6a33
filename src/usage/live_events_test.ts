import assert from "node:assert/strict";
import { createEventBus } from "./live_events.ts";

Deno.test("createEventBus() delivers to every subscriber, waiting and buffered", async () => {
  const bus = createEventBus<number>();
  const a = bus.subscribe();
  const b = bus.subscribe();
  const waiting = a.next();
  bus.publish(1);
  bus.publish(2);
  assert.equal(await waiting, 1);
  assert.equal(await a.next(), 2);
  assert.equal(await b.next(), 1);
  assert.equal(await b.next(), 2);
});

Deno.test("createEventBus() drops the oldest events of a slow subscriber", async () => {
  const bus = createEventBus<number>({ bufferSize: 3 });
  const s = bus.subscribe();
  for (let i = 1; i <= 5; i++) bus.publish(i);
  assert.equal(s.dropped(), 2);
  assert.deepEqual([await s.next(), await s.next(), await s.next()], [3, 4, 5]);
});

Deno.test("createEventBus() close() ends a pending next() and unsubscribes", async () => {
  const bus = createEventBus<number>({ maxSubscribers: 2 });
  const s = bus.subscribe();
  const pending = s.next();
  s.close();
  assert.equal(await pending, undefined);
  assert.equal(bus.size(), 0);
  bus.publish(1);
  assert.equal(await s.next(), undefined);
  const x = bus.subscribe();
  bus.subscribe();
  bus.subscribe();
  assert.equal(bus.size(), 2, "the oldest subscriber is closed beyond the cap");
  assert.equal(await x.next(), undefined);
});
