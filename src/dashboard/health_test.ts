import assert from "node:assert/strict";
import { healthModel } from "./health.ts";

const NOW = 10_000_000;
const conn = {
  id: "c1",
  provider: "openai",
  name: "work",
  profile: "apikey",
  state: "closed",
  failures: 0,
  openUntil: null,
  cooldownUntil: null,
  cooldownReason: null,
  lockouts: [],
  inFlight: 0,
  requests: 1234,
  latencyEwmaMs: 151.6,
  queue: { active: 1, waiting: 2, rpm: 60, maxConcurrent: 0, queueSize: 100 },
};

Deno.test("healthModel() shows time left on open breakers, cooldowns and live lockouts only", () => {
  const m = healthModel({
    now: NOW,
    version: "1.0.0",
    startedAt: NOW - 90_000,
    storeOk: true,
    memory: { rss: 100 * 1048576, heapUsed: 40 * 1048576 },
    inFlight: 3,
    connections: [conn, {
      ...conn,
      id: "c2",
      name: "b",
      state: "open",
      failures: 5,
      openUntil: NOW + 30_000,
      cooldownUntil: NOW + 120_000,
      cooldownReason: "quota",
      lockouts: [{ model: "gpt-4.1", until: NOW + 60_000 }, { model: "old", until: NOW - 1 }],
    }],
    latency: [{ series: "openai/gpt-4.1", count: 10, p50: 100, p95: 200, p99: 300 }, {
      series: "idle",
      count: 0,
      p50: null,
      p95: null,
      p99: null,
    }],
  });
  assert.deepEqual(m.stats.map((s) => s.value), ["ok", "1.0.0", "1m 30s", "100 / 40 MiB", "3"]);
  const [ok, open] = m.connections;
  assert.equal(ok.locked, false);
  assert.equal(ok.requests, "1,234");
  assert.equal(ok.ewma, "152 ms");
  assert.equal(open.state, "open");
  assert.equal(open.stateClass, "bad");
  assert.equal(open.open, "30s");
  assert.equal(open.cooldown, "2m 0s (quota)");
  assert.deepEqual(open.lockouts, [{ model: "gpt-4.1", left: "1m 0s" }]);
  assert.equal(m.anyLocked, true);
  assert.equal(m.queues[0].limits, "60 rpm, queue 100");
  assert.deepEqual(m.latency.map((l) => l.series), ["openai/gpt-4.1"]);
});
