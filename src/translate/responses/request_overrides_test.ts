/** @module Unit tests for the Responses system prompt and thinking edits. */
import assert from "node:assert/strict";
import { injectSystemPrompt, overrideThinking } from "./request_overrides.ts";

Deno.test("injectSystemPrompt() fills or joins `instructions`", () => {
  assert.equal(injectSystemPrompt({ input: "hi" }, "G", "append").instructions, "G");
  assert.equal(injectSystemPrompt({ input: "hi", instructions: "own" }, "G", "prepend").instructions, "G\n\nown");
  assert.equal(injectSystemPrompt({ input: "hi", instructions: "own" }, "G", "append").instructions, "own\n\nG");
});

Deno.test("overrideThinking() sets reasoning.effort and keeps the summary request", () => {
  const body = { input: "hi", reasoning: { effort: "high", summary: "auto" } };
  assert.deepEqual(overrideThinking(body, { mode: "off" }).reasoning, { effort: "none", summary: "auto" });
  assert.deepEqual(overrideThinking({ input: "hi" }, { mode: "budget", budgetTokens: 3000 }).reasoning, {
    effort: "low",
  });
});
