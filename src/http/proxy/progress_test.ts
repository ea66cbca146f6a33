/** @module Unit tests for progress events and the JSON-error-to-stream-event conversion. */
import assert from "node:assert/strict";
import { errorEventText, progressText, wantsProgress } from "./progress.ts";

Deno.test("progressText() is Anthropic's ping, or an SSE comment on one line elsewhere", () => {
  assert.equal(progressText("anthropic", "x"), 'event: ping\ndata: {"type":"ping"}\n\n');
  assert.equal(progressText("openai", "attempt 2:\nopenai/m"), ": progress attempt 2: openai/m\n\n");
  assert.equal(progressText("gemini", "waiting"), ": progress waiting\n\n");
  assert.equal(wantsProgress(new Headers({ "x-switchyard-progress": "TRUE" })), true);
  assert.equal(wantsProgress(new Headers()), false);
});

Deno.test("errorEventText() turns the attempt loop's JSON error into the format's error event", () => {
  const body = JSON.stringify({ error: { message: "down", type: "api_error", param: null, code: "upstream_error" } });
  assert.equal(
    errorEventText("openai", 503, body),
    `data: {"error":{"message":"down","type":"api_error","param":null,"code":"upstream_error"}}\n\n`,
  );
  const anthropic = JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down" } });
  assert.equal(
    errorEventText("anthropic", 429, anthropic),
    `event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}\n\n`,
  );
  assert.match(errorEventText("gemini", 502, "not json"), /"status":"UNAVAILABLE"|"code":502/);
  assert.match(errorEventText("responses", 400, body), /^event: error\ndata: \{"type":"error","code":"upstream_error"/);
});
