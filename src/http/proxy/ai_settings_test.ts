/** @module Unit tests for applying the AI settings to a client body. */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../config/schema.ts";
import type { ApiKeyRow } from "../../store/mod.ts";
import { applyAiSettings } from "./ai_settings.ts";

const body = { model: "m", messages: [{ role: "user", content: "hi" }] };

Deno.test("applyAiSettings() leaves the body alone by default (the same object: no copy on the hot path)", () => {
  const out = applyAiSettings(DEFAULT_SETTINGS.ai, { surface: "openai", body, key: undefined });
  assert.equal(out.body, body);
  assert.equal(out.thinking, undefined);
});

Deno.test("applyAiSettings() injects the system prompt unless the key opts out, and applies the thinking mode", () => {
  const ai = { ...DEFAULT_SETTINGS.ai, systemPrompt: "Be brief.", thinkingMode: "effort" as const };
  const out = applyAiSettings(ai, { surface: "openai", body, key: undefined });
  assert.deepEqual(out.body.messages, [{ role: "system", content: "Be brief." }, ...body.messages]);
  assert.equal(out.body.reasoning_effort, "medium");
  assert.deepEqual(out.thinking, { mode: "effort", effort: "medium" });
  const key = { options: { noSystemPrompt: true } } as ApiKeyRow;
  const optedOut = applyAiSettings(ai, { surface: "anthropic", body, key });
  assert.equal("system" in optedOut.body, false);
});
