/** @module Unit tests for the generateContent system prompt and thinking edits. */
import assert from "node:assert/strict";
import { injectSystemPrompt, overrideThinking } from "./request_overrides.ts";

const contents = [{ role: "user", parts: [{ text: "hi" }] }];

Deno.test("injectSystemPrompt() adds a part to systemInstruction, creating it when absent", () => {
  assert.deepEqual(injectSystemPrompt({ contents }, "G", "append").systemInstruction, { parts: [{ text: "G" }] });
  const si = { role: "system", parts: [{ text: "client" }] };
  assert.deepEqual(injectSystemPrompt({ contents, systemInstruction: si }, "G", "prepend").systemInstruction, {
    role: "system",
    parts: [{ text: "G" }, { text: "client" }],
  });
  assert.deepEqual(injectSystemPrompt({ contents, systemInstruction: "client" }, "G", "append").systemInstruction, {
    parts: [{ text: "client" }, { text: "G" }],
  });
  const snake = injectSystemPrompt({ contents, system_instruction: { parts: [{ text: "c" }] } }, "G", "append");
  assert.deepEqual(snake.system_instruction, { parts: [{ text: "c" }, { text: "G" }] });
  assert.equal("systemInstruction" in snake, false);
});

Deno.test("overrideThinking() sets thinkingBudget, drops thinkingLevel, keeps includeThoughts", () => {
  const body = {
    contents,
    generationConfig: { temperature: 0, thinkingConfig: { thinkingLevel: "HIGH", includeThoughts: true } },
  };
  assert.deepEqual(overrideThinking(body, { mode: "off" }).generationConfig, {
    temperature: 0,
    thinkingConfig: { includeThoughts: true, thinkingBudget: 0 },
  });
  assert.deepEqual(overrideThinking({ contents }, { mode: "effort", effort: "low" }).generationConfig, {
    thinkingConfig: { thinkingBudget: 4096 },
  });
});
