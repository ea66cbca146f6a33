/** @module Unit tests for the Chat Completions system prompt and thinking edits. */
import assert from "node:assert/strict";
import { injectSystemPrompt, overrideThinking } from "./request_overrides.ts";

const body = {
  model: "m",
  messages: [{ role: "system", content: "client" }, { role: "developer", content: "dev" }, {
    role: "user",
    content: "hi",
  }],
  tool_x: 1,
};

Deno.test("injectSystemPrompt() prepends a system message, or appends it after the leading system messages", () => {
  const pre = injectSystemPrompt(body, "G", "prepend");
  assert.deepEqual((pre.messages as Array<{ content: string }>).map((m) => m.content), ["G", "client", "dev", "hi"]);
  const post = injectSystemPrompt(body, "G", "append");
  assert.deepEqual((post.messages as Array<{ content: string }>).map((m) => m.content), ["client", "dev", "G", "hi"]);
  assert.equal(post.tool_x, 1, "unknown fields survive");
  assert.equal(body.messages.length, 3, "the client's body is not mutated");
  const bare = injectSystemPrompt({ messages: [{ role: "user", content: "x" }] }, "G", "append");
  assert.deepEqual(bare.messages, [{ role: "system", content: "G" }, { role: "user", content: "x" }]);
});

Deno.test("overrideThinking() sets reasoning_effort; off only rewrites an effort the client sent", () => {
  assert.equal(overrideThinking(body, { mode: "effort", effort: "low" }).reasoning_effort, "low");
  assert.equal(overrideThinking(body, { mode: "budget", budgetTokens: 30000 }).reasoning_effort, "high");
  assert.equal(overrideThinking(body, { mode: "off" }), body);
  assert.equal(overrideThinking({ ...body, reasoning_effort: "high" }, { mode: "off" }).reasoning_effort, "none");
});
