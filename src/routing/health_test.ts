import assert from "node:assert/strict";
import { createHealthRegistry, PROFILE_PRESETS } from "./health.ts";

const profile = { ...PROFILE_PRESETS.apikey, failureThreshold: 2, openMs: 1000, maxOpenMs: 8000 };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

Deno.test("breaker opens after the threshold, goes half-open after openMs, admits exactly one probe, closes on success", () => {
  const c = clock();
  const h = createHealthRegistry({ now: c.now, random: () => 0.5 });
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(h.admit("x", "m", profile), { ok: true, probe: false });
    h.begin("x");
    h.onFailure("x", { action: "upstream", model: "m" }, profile);
  }
  const refused = h.admit("x", "m", profile);
  assert.equal(refused.ok, false);
  assert.equal(h.get("x")!.state, "open");
  c.advance(1000);
  assert.equal(h.get("x")!.state, "half_open");
  assert.deepEqual(h.admit("x", "m", profile), { ok: true, probe: true });
  assert.equal(h.admit("x", "m", profile).ok, false, "a second request while the probe is out is refused");
  h.begin("x");
  h.onSuccess("x", 12);
  assert.equal(h.get("x")!.state, "closed");
  assert.deepEqual(h.admit("x", "m", profile), { ok: true, probe: false });
});

Deno.test("a failed probe reopens the breaker with the open time doubled, capped", () => {
  const c = clock();
  const h = createHealthRegistry({ now: c.now, random: () => 0.5 });
  for (let i = 0; i < 2; i++) h.onFailure("x", { action: "upstream", model: "m" }, profile);
  let openFor = 1000;
  for (let round = 0; round < 5; round++) {
    c.advance(openFor);
    assert.equal(h.admit("x", "m", profile).ok, true);
    h.onFailure("x", { action: "upstream", model: "m" }, profile);
    openFor = Math.min(8000, openFor * 2);
    assert.equal(h.get("x")!.openUntil, c.now() + openFor);
  }
});

Deno.test("429 cools the connection down for Retry-After, then lets it through again", () => {
  const c = clock();
  const h = createHealthRegistry({ now: c.now, random: () => 0.5 });
  h.onFailure("x", { action: "rate_limit", model: "m", retryAfterMs: 5000 }, profile);
  const a = h.admit("x", "m", profile);
  assert.equal(a.ok, false);
  if (!a.ok) assert.equal(a.until, c.now() + 5000);
  c.advance(5000);
  assert.equal(h.admit("x", "m", profile).ok, true);
});

Deno.test("400 neither cools down nor counts toward the breaker; 404 locks out only that model", () => {
  const h = createHealthRegistry({ now: clock().now, random: () => 0.5 });
  for (let i = 0; i < 5; i++) h.onFailure("x", { action: "return", model: "m" }, profile);
  assert.equal(h.admit("x", "m", profile).ok, true);
  h.onFailure("x", { action: "model", model: "gone" }, profile);
  assert.equal(h.admit("x", "gone", profile).ok, false);
  assert.equal(h.admit("x", "m", profile).ok, true);
});

Deno.test("snapshot() and restore() keep a long quota cooldown across a restart; unlock() clears it", () => {
  const c = clock();
  const h = createHealthRegistry({ now: c.now, random: () => 0.5 });
  h.onFailure("x", { action: "quota", model: "m" }, profile);
  const snap = JSON.parse(JSON.stringify(h.snapshot()));
  const fresh = createHealthRegistry({ now: c.now, random: () => 0.5 });
  fresh.restore(snap);
  const a = fresh.admit("x", "m", profile);
  assert.equal(a.ok, false);
  if (!a.ok) assert.equal(a.until, c.now() + profile.quotaCooldownMs);
  assert.equal(fresh.unlock("x"), true);
  assert.equal(fresh.admit("x", "m", profile).ok, true);
});
