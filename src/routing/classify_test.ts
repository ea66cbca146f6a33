import assert from "node:assert/strict";
import { backoffMs, classifyFailure, parseGoDuration, retryAfterSeconds } from "./classify.ts";

Deno.test("classifyFailure() follows the table: 400 returns, 401 credential, 402 quota, 404 model, 429 rate limit, 5xx upstream", () => {
  assert.deepEqual(classifyFailure(400), { action: "return", fallback: false });
  assert.deepEqual(classifyFailure(422), { action: "return", fallback: false });
  assert.equal(classifyFailure(401).action, "credential");
  assert.equal(classifyFailure(403).action, "credential");
  assert.equal(classifyFailure(402).action, "quota");
  assert.equal(classifyFailure(429, "You exceeded your current quota, please check your plan").action, "quota");
  assert.equal(classifyFailure(404).action, "model");
  assert.equal(classifyFailure(408).action, "rate_limit");
  assert.equal(classifyFailure(429, "Rate limit reached").action, "rate_limit");
  assert.equal(classifyFailure(500).action, "upstream");
  assert.equal(classifyFailure(529).action, "upstream");
  assert.equal(classifyFailure(0).action, "upstream");
});

Deno.test("retryAfterSeconds() reads seconds, HTTP dates, Anthropic and OpenAI reset headers; the longest wins", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterSeconds(new Headers({ "retry-after": "7" }), now), 7);
  assert.equal(retryAfterSeconds(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now), 30);
  assert.equal(
    retryAfterSeconds(new Headers({ "anthropic-ratelimit-requests-reset": "2026-01-01T00:01:00Z" }), now),
    60,
  );
  assert.equal(
    retryAfterSeconds(new Headers({ "x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s" }), now),
    360,
  );
  assert.equal(retryAfterSeconds(new Headers({}), now), undefined);
  assert.equal(retryAfterSeconds(new Headers({ "retry-after": "soon" }), now), undefined);
});

Deno.test("parseGoDuration() reads OpenAI's duration strings and refuses others", () => {
  assert.equal(parseGoDuration("250ms"), 0.25);
  assert.equal(parseGoDuration("1h2m3.5s"), 3723.5);
  assert.equal(parseGoDuration("abc"), undefined);
  assert.equal(parseGoDuration("5s later"), undefined);
});

Deno.test("backoffMs() doubles per failure within jitter and stays under the cap", () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  assert.equal(backoffMs(1, { ...opts, random: () => 1 }), 1000);
  assert.equal(backoffMs(3, { ...opts, random: () => 1 }), 4000);
  assert.equal(backoffMs(3, { ...opts, random: () => 0 }), 2000);
  assert.equal(backoffMs(30, { ...opts, random: () => 1 }), 60_000);
});
