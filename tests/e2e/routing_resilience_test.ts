/**
 * @module Routing end to end, resilience (docs/routing.md §4, §5): a circuit breaker opened by 500s, its single
 * half-open probe and its closing, seen in /api/health; per-connection queue overflow and queue timeout as 429s;
 * a quota lockout that survives a restart on the same DATA_DIR, /api/resilience/unlock and /reset.
 */
import assert from "node:assert/strict";
import { type RoutingStack, sleep, startRoutingStack } from "../helpers/routing_stack.ts";

const ERR_500 = { kind: "error", status: 500, message: "upstream exploded", type: "server_error" } as const;

Deno.test("routing e2e: breakers, queues and lockouts through the real gateway", async (t) => {
  const s: RoutingStack = await startRoutingStack();
  try {
    await t.step("PATCH /api/settings takes a partial nested profile and keeps the rest", async () => {
      const before = await s.api("/api/settings");
      const patched = await s.api("/api/settings", {
        method: "PATCH",
        json: { resilience: { profiles: { local: { failureThreshold: 2, openMs: 300 } } } },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const local = patched.body.resilience.profiles.local;
      assert.equal(local.failureThreshold, 2);
      assert.equal(local.openMs, 300);
      assert.equal(local.maxOpenMs, before.body.resilience.profiles.local.maxOpenMs, "untouched keys kept");
      assert.deepEqual(patched.body.resilience.profiles.apikey, before.body.resilience.profiles.apikey);
      assert.equal(patched.body.resilience.requestTimeoutMs, before.body.resilience.requestTimeoutMs);
      const again = await s.api("/api/settings");
      assert.deepEqual(again.body.resilience, patched.body.resilience, "stored as merged");
    });

    await t.step("two 500s open the breaker; it is skipped, probed once after openMs, closed by success", async () => {
      s.script("a", ERR_500);
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=500, openai:b/gpt-4.1=200");
      assert.equal((await s.health()).a.state, "closed");
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=500, openai:b/gpt-4.1=200");
      assert.equal((await s.health()).a.state, "open");
      const calls = s.hits("a");
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:b/gpt-4.1=200", "open breaker skipped");
      assert.equal(s.hits("a"), calls, "a was not called while open");

      s.clearRules();
      s.script("a", { kind: "hang", delayMs: 400 }); // the probe answers 200, slowly
      await sleep(350);
      assert.equal((await s.health()).a.state, "half_open");
      const probe = s.chat("openai/gpt-4.1");
      await s.fake.waitFor(() => s.hits("a") === calls + 1, 2000, "the probe");
      const during = await Promise.all([s.chat("openai/gpt-4.1"), s.chat("openai/gpt-4.1")]);
      for (const r of during) assert.equal(r.route, "openai:b/gpt-4.1=200", "no second request during the probe");
      assert.equal(s.hits("a"), calls + 1, "exactly one probe");
      assert.equal((await probe).route, "openai:a/gpt-4.1=200");
      assert.equal((await s.health()).a.state, "closed");
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=200");
    });

    await t.step("a failed probe opens the breaker again", async () => {
      s.script("a", ERR_500);
      await s.chat("openai/gpt-4.1");
      await s.chat("openai/gpt-4.1");
      assert.equal((await s.health()).a.state, "open");
      await sleep(350);
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=500, openai:b/gpt-4.1=200");
      assert.equal((await s.health()).a.state, "open");
      await s.reset();
      assert.equal((await s.health()).a.state, "closed");
    });

    await t.step("a full queue answers 429 with Retry-After; so does an expired wait", async () => {
      const limits = await s.api("/api/settings", {
        method: "PATCH",
        json: { resilience: { rateLimits: { maxConcurrent: 1, queueSize: 1, queueTimeoutMs: 5000 } } },
      });
      assert.equal(limits.status, 200, JSON.stringify(limits.body));
      assert.equal(limits.body.resilience.rateLimits.rpm, 0, "rpm kept");
      // groq has one connection: nothing to fall back to.
      s.script("solo", { kind: "hang", delayMs: 500 });
      const first = s.chat("groq/llama-3.3-70b-versatile");
      await s.fake.waitFor(() => s.hits("solo") === 1, 2000, "the first request");
      const second = s.chat("groq/llama-3.3-70b-versatile");
      await sleep(50);
      const third = await s.chat("groq/llama-3.3-70b-versatile");
      assert.equal(third.status, 429);
      assert.equal((third.body.error as { code: string }).code, "rate_limited");
      assert.ok(Number(third.retryAfter) >= 1, `Retry-After ${third.retryAfter}`);
      assert.equal(third.route, "groq:solo/llama-3.3-70b-versatile=429");
      assert.equal((await first).status, 200);
      assert.equal((await second).status, 200, "the queued request ran after the first");
      assert.equal(s.hits("solo"), 2);

      await s.api("/api/settings", { method: "PATCH", json: { resilience: { rateLimits: { queueTimeoutMs: 200 } } } });
      const slow = s.chat("groq/llama-3.3-70b-versatile");
      await s.fake.waitFor(() => s.hits("solo") === 3, 2000, "the slow request");
      const started = Date.now();
      const waited = await s.chat("groq/llama-3.3-70b-versatile");
      assert.equal(waited.status, 429);
      assert.ok(waited.retryAfter, "Retry-After on a queue timeout");
      assert.ok(Date.now() - started >= 150, "it waited in the queue first");
      assert.equal((await slow).status, 200);
      await s.api("/api/settings", {
        method: "PATCH",
        json: { resilience: { rateLimits: { maxConcurrent: 0, queueSize: 100, queueTimeoutMs: 30000 } } },
      });
      await s.reset();
    });

    await t.step("a 402 quota lockout survives a restart; unlock and reset clear it", async () => {
      s.script("a", { kind: "error", status: 402, message: "You exceeded your current quota" });
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=402, openai:b/gpt-4.1=200");
      s.clearRules();
      const h = await s.health();
      assert.match(h.a.cooldown?.reason ?? "", /quota/);
      await s.restart();
      const after = await s.health();
      assert.match(after.a.cooldown?.reason ?? "", /quota/, "the lockout survived the restart");
      assert.ok(after.a.cooldown!.secondsLeft > 30);
      const calls = s.hits("a");
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:b/gpt-4.1=200");
      assert.equal(s.hits("a"), calls);

      const unlocked = await s.api("/api/resilience/unlock", { json: { connectionId: after.a.id } });
      assert.equal(unlocked.status, 200);
      assert.equal((await s.health()).a.cooldown, null);
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=200", "a reached again");

      s.script("a", { kind: "error", status: 402, message: "quota" });
      s.script("b", { kind: "error", status: 402, message: "quota" });
      await s.chat("openai/gpt-4.1");
      const both = await s.health();
      assert.ok(both.a.cooldown && both.b.cooldown);
      s.clearRules();
      assert.equal((await s.api("/api/resilience/reset", { json: {} })).status, 200);
      const cleared = await s.health();
      assert.equal(cleared.a.cooldown, null);
      assert.equal(cleared.b.cooldown, null);
      assert.equal((await s.chat("openai/gpt-4.1")).route, "openai:a/gpt-4.1=200");
      assert.equal((await s.api("/api/resilience/unlock", { json: { connectionId: "nope" } })).status, 404);
    });
  } finally {
    await s.stop();
  }
});
