import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../config/schema.ts";
import { settingsFieldViews, settingsPatch } from "./settings.ts";

function reader(fields: Record<string, string | string[]>) {
  return {
    text: (n: string) => String([fields[n] ?? ""].flat()[0]).trim(),
    all: (n: string) => [fields[n] ?? []].flat(),
    has: (n: string) => n in fields,
  };
}

Deno.test("settingsFieldViews() shows current values and marks file-locked fields read-only", () => {
  const groups = settingsFieldViews({
    tab: "routing",
    settings: DEFAULT_SETTINGS,
    locked: new Set(["routing.accountStrategy"]),
  });
  const fields = groups.flatMap((g) => g.fields);
  const strategy = fields.find((f) => f.name === "routing.accountStrategy")!;
  assert.equal(strategy.value, "fill-first");
  assert.equal(strategy.locked, true);
  assert.equal(fields.find((f) => f.name === "routing.stickyLimit")!.locked, false);
  const res = settingsFieldViews({ tab: "resilience", settings: DEFAULT_SETTINGS, locked: new Set() });
  assert.ok(res.some((g) => g.group === "Breaker profile: local"));
});

Deno.test("settingsPatch() maps a form to a PATCH body, skipping locked keys, naming bad JSON", () => {
  const { patch, errors } = settingsPatch(
    "routing",
    reader({ "routing.accountStrategy": "p2c", "routing.stickyLimit": "5", "routing.fallbackChain": "a\n\n b " }),
    new Set(["routing.comboStrategy"]),
  );
  assert.deepEqual(errors, {});
  assert.deepEqual(patch, { routing: { accountStrategy: "p2c", stickyLimit: 5, fallbackChain: ["a", "b"] } });
  const bad = settingsPatch("resilience", reader({ "resilience.rateLimitOverrides": "{nope" }), new Set());
  assert.match(bad.errors["resilience.rateLimitOverrides"], /Not valid JSON/);
  const adv = settingsPatch("advanced", reader({ "advanced.maxBodyMb": "" }), new Set());
  assert.ok(Number.isNaN((adv.patch.advanced as Record<string, unknown>).maxBodyMb), "blank number → NaN");
  assert.equal((adv.patch.advanced as Record<string, unknown>).cacheEnabled, false, "unchecked box → false");
});
