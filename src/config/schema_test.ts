/** @module Unit tests for mergeSettings(): nested fixed-shape objects merge key by key, records and arrays replace. */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS, mergeSettings, settingsPatchSchema, settingsSchema } from "./schema.ts";

Deno.test("mergeSettings() merges a partial profile and partial rateLimits, keeping the other keys", () => {
  const patch = settingsPatchSchema.parse({
    resilience: { profiles: { local: { failureThreshold: 2, openMs: 300 } }, rateLimits: { maxConcurrent: 1 } },
  });
  const merged = mergeSettings(DEFAULT_SETTINGS, patch);
  assert.equal(merged.resilience.profiles.local.failureThreshold, 2);
  assert.equal(merged.resilience.profiles.local.openMs, 300);
  assert.equal(merged.resilience.profiles.local.maxOpenMs, DEFAULT_SETTINGS.resilience.profiles.local.maxOpenMs);
  assert.deepEqual(merged.resilience.profiles.apikey, DEFAULT_SETTINGS.resilience.profiles.apikey);
  assert.deepEqual(merged.resilience.rateLimits, { ...DEFAULT_SETTINGS.resilience.rateLimits, maxConcurrent: 1 });
  assert.equal(settingsSchema.safeParse(merged).success, true);
  assert.equal(DEFAULT_SETTINGS.resilience.profiles.local.failureThreshold, 3, "the base is not mutated");
});

Deno.test("mergeSettings() replaces records and arrays whole, so a patch can drop an entry", () => {
  const base = mergeSettings(DEFAULT_SETTINGS, {
    routing: { providerStrategies: { openai: "p2c", groq: "random" }, fallbackChain: ["a/b", "c/d"] },
  });
  const merged = mergeSettings(base, { routing: { providerStrategies: { openai: "p2c" }, fallbackChain: ["c/d"] } });
  assert.deepEqual(merged.routing.providerStrategies, { openai: "p2c" });
  assert.deepEqual(merged.routing.fallbackChain, ["c/d"]);
  assert.equal(merged.routing.accountStrategy, DEFAULT_SETTINGS.routing.accountStrategy);
});

Deno.test("settingsPatchSchema refuses unknown nested keys", () => {
  assert.equal(settingsPatchSchema.safeParse({ resilience: { profiles: { local: { nope: 1 } } } }).success, false);
  assert.equal(settingsPatchSchema.safeParse({ resilience: { profiles: { cloud: {} } } }).success, false);
});
