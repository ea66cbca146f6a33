/** @module Unit tests for the thinking override on canonical reasoning. */
import assert from "node:assert/strict";
import { overrideBudget, overrideEffort, overrideReasoning } from "./request_overrides.ts";

Deno.test("overrideReasoning() turns thinking off, or sets a budget or an effort, keeping includeThoughts", () => {
  assert.deepEqual(overrideReasoning({ enabled: true, effort: "high" }, { mode: "off" }), { enabled: false });
  assert.deepEqual(
    overrideReasoning({ enabled: false, includeThoughts: true }, { mode: "budget", budgetTokens: 2000 }),
    { enabled: true, budgetTokens: 2000, effort: "low", includeThoughts: true },
  );
  assert.deepEqual(overrideReasoning(undefined, { mode: "effort", effort: "minimal" }), {
    enabled: true,
    effort: "minimal",
  });
  assert.deepEqual(overrideReasoning(undefined, { mode: "budget", budgetTokens: 0 }), { enabled: false });
});

Deno.test("overrideBudget() and overrideEffort() map through the one effort table", () => {
  assert.equal(overrideBudget({ mode: "effort", effort: "medium" }), 12288);
  assert.equal(overrideBudget({ mode: "off" }), 0);
  assert.equal(overrideEffort({ mode: "budget", budgetTokens: 40000 }), "high");
  assert.equal(overrideEffort({ mode: "off" }), undefined);
});
