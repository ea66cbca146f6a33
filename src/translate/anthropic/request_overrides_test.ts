/** @module Unit tests for the Messages system prompt and thinking edits. */
import assert from "node:assert/strict";
import { injectSystemPrompt, overrideThinking } from "./request_overrides.ts";

const msgs = [{ role: "user", content: "hi" }];

Deno.test("injectSystemPrompt() fills, joins a string system, or adds a block to an array system", () => {
  assert.equal(injectSystemPrompt({ messages: msgs }, "G", "prepend").system, "G");
  assert.equal(injectSystemPrompt({ system: "client", messages: msgs }, "G", "prepend").system, "G\n\nclient");
  assert.equal(injectSystemPrompt({ system: "client", messages: msgs }, "G", "append").system, "client\n\nG");
  const blocks = [{ type: "text", text: "client", cache_control: { type: "ephemeral" } }];
  assert.deepEqual(injectSystemPrompt({ system: blocks, messages: msgs }, "G", "prepend").system, [
    { type: "text", text: "G" },
    ...blocks,
  ]);
  assert.deepEqual(injectSystemPrompt({ system: blocks, messages: msgs }, "G", "append").system, [
    ...blocks,
    { type: "text", text: "G" },
  ]);
});

Deno.test("overrideThinking() disables, or enables with a budget that fits max_tokens", () => {
  assert.deepEqual(overrideThinking({ max_tokens: 100 }, { mode: "off" }).thinking, { type: "disabled" });
  const on = overrideThinking({ max_tokens: 20000, temperature: 0, top_k: 5 }, { mode: "budget", budgetTokens: 4000 });
  assert.deepEqual(on.thinking, { type: "enabled", budget_tokens: 4000 });
  assert.equal(on.max_tokens, 20000);
  assert.equal("temperature" in on, false, "temperature changes are refused while thinking");
  assert.equal("top_k" in on, false);
  const small = overrideThinking({ max_tokens: 1500 }, { mode: "effort", effort: "high" });
  assert.deepEqual(small.thinking, { type: "enabled", budget_tokens: 1024 });
  assert.equal(small.max_tokens, 2524);
  const forced = { max_tokens: 9000, tool_choice: { type: "any" } };
  assert.equal(overrideThinking(forced, { mode: "effort", effort: "low" }), forced);
});
