/**
 * @module Routing end to end, failure classification (docs/routing.md §3, §6): fallback on 500 across connections
 * and combo entries with the route trace in the header and the usage row, 429 cooldowns from Retry-After, the
 * all-cooling-down 429 in each client's format (OpenAI, Anthropic, Gemini), 400 not retried, 401 cooling a connection down, 404 moving to the
 * next combo entry, and a mid-stream cut that must not pass for success.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { DEV, type RoutingStack, sleep, startRoutingStack } from "../helpers/routing_stack.ts";

const ERR_500 = { kind: "error", status: 500, message: "upstream exploded", type: "server_error" } as const;

Deno.test("routing e2e: fallback, cooldowns and classification through the real gateway", async (t) => {
  const s: RoutingStack = await startRoutingStack();
  const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
    await t.step(name, async () => {
      try {
        await fn();
      } finally {
        await s.reset();
      }
    });
  };
  try {
    await s.api("/api/combos", {
      json: { name: "twoproviders", strategy: "priority", models: ["openai/gpt-4.1", "ds/deepseek-chat"] },
    });
    await s.api("/api/combos", {
      json: { name: "missingfirst", strategy: "priority", models: ["openai/no-such-model", "ds/deepseek-chat"] },
    });

    await step("a 500 falls back to the next connection; route header and usage row list every attempt", async () => {
      s.script("a", ERR_500);
      const r = await s.chat("openai/gpt-4.1");
      assert.equal(r.status, 200);
      assert.equal(r.route, "openai:a/gpt-4.1=500, openai:b/gpt-4.1=200");
      const row = await s.usage(r.requestId);
      assert.equal(row.attempts, r.route);
      assert.equal(row.status, 200);
      assert.equal(row.provider, "openai");
    });

    await step("500s on every connection of the first entry fall through to the next combo entry", async () => {
      for (const name of ["a", "b", "c"] as const) s.script(name, ERR_500);
      const r = await s.chat("twoproviders");
      assert.equal(r.status, 200);
      assert.equal(
        r.route,
        "openai:a/gpt-4.1=500, openai:b/gpt-4.1=500, openai:c/gpt-4.1=500, deepseek:d1/deepseek-chat=200",
      );
      assert.equal((await s.usage(r.requestId)).attempts, r.route);
    });

    await step("every candidate failing returns the last failure with its status and the full trace", async () => {
      for (const name of ["a", "b", "c"] as const) s.script(name, ERR_500);
      const r = await s.chat("openai/gpt-4.1");
      assert.equal(r.status, 500);
      assert.equal((r.body.error as { code: string }).code, "upstream_error");
      assert.match((r.body.error as { message: string }).message, /upstream exploded/);
      assert.equal(r.route, "openai:a/gpt-4.1=500, openai:b/gpt-4.1=500, openai:c/gpt-4.1=500");
      const row = await s.usage(r.requestId);
      assert.equal(row.attempts, r.route);
      assert.equal(row.status, 500);
    });

    await step("429 with Retry-After: 1 cools the connection down, then it is used again", async () => {
      s.script("a", { kind: "error", status: 429, message: "slow down", type: "requests" });
      const first = await s.chat("openai/gpt-4.1");
      assert.equal(first.status, 200);
      assert.equal(first.route, "openai:a/gpt-4.1=429, openai:b/gpt-4.1=200");
      const before = s.hits("a");
      s.clearRules();
      const second = await s.chat("openai/gpt-4.1");
      assert.equal(second.route, "openai:b/gpt-4.1=200", "a is skipped while cooling down");
      assert.equal(s.hits("a"), before, "a was not called during its cooldown");
      const h = (await s.health()).a;
      assert.ok(h.cooldown, "health shows a's cooldown");
      assert.match(h.cooldown.reason, /429/);
      await sleep(1100);
      const third = await s.chat("openai/gpt-4.1");
      assert.equal(third.route, "openai:a/gpt-4.1=200", "a is used again after ~1 s");
      assert.equal((await s.health()).a.cooldown, null);
    });

    await step("every candidate cooling down: 429 rate_limited with Retry-After, in each client's format", async () => {
      for (const name of ["a", "b", "c"] as const) {
        s.script(name, { kind: "error", status: 429, message: "slow down", type: "requests" });
      }
      const first = await s.chat("openai/gpt-4.1");
      assert.equal(first.status, 429);
      assert.equal(first.retryAfter, "1");
      const calls = s.fake.requests.length;
      const openai = await s.chat("openai/gpt-4.1");
      assert.equal(openai.status, 429);
      assert.equal((openai.body.error as { code: string }).code, "rate_limited");
      assert.ok(Number(openai.retryAfter) >= 1, `Retry-After ${openai.retryAfter}`);
      assert.equal(openai.route, "", "no attempt was made");
      const anthropic = await s.messages("openai/gpt-4.1");
      assert.equal(anthropic.status, 429);
      assert.equal(anthropic.body.type, "error");
      assert.equal((anthropic.body.error as { type: string }).type, "rate_limit_error");
      assert.ok(Number(anthropic.retryAfter) >= 1);
      const gemini = await fetch(`${s.gw.url}/v1beta/models/openai/gpt-4.1:generateContent`, {
        method: "POST",
        headers: { authorization: `Bearer ${DEV}`, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
      });
      const gbody = await gemini.json() as { error: { code: number; status: string } };
      assert.equal(gemini.status, 429);
      assert.deepEqual([gbody.error.code, gbody.error.status], [429, "RESOURCE_EXHAUSTED"]);
      assert.ok(Number(gemini.headers.get("retry-after")) >= 1);
      assert.equal(s.fake.requests.length, calls, "no upstream was called");
      assert.equal((await s.usage(openai.requestId)).status, 429);
    });

    await step("a 400 is returned as is and not retried on another connection", async () => {
      s.script("a", { kind: "error", status: 400, message: "messages[0] is bad", param: "messages" });
      const [b, d1] = [s.hits("b"), s.hits("d1")];
      const r = await s.chat("twoproviders");
      assert.equal(r.status, 400);
      assert.match((r.body.error as { message: string }).message, /messages\[0\] is bad/);
      assert.equal(r.route, "openai:a/gpt-4.1=400");
      assert.equal(s.hits("b"), b, "the second connection saw nothing");
      assert.equal(s.hits("d1"), d1, "nor the next combo entry");
      assert.equal((await s.health()).a.cooldown, null, "a 400 cools nothing down");
    });

    await step("a 401 moves to the next connection and cools the first one down", async () => {
      s.script("a", { kind: "error", status: 401, message: "Incorrect API key provided: sk-route-conn-a-00000" });
      const r = await s.chat("openai/gpt-4.1");
      assert.equal(r.status, 200);
      assert.equal(r.route, "openai:a/gpt-4.1=401, openai:b/gpt-4.1=200");
      const h = (await s.health()).a;
      assert.ok(h.cooldown && /credential/.test(h.cooldown.reason), JSON.stringify(h.cooldown));
      const a = s.hits("a");
      const next = await s.chat("openai/gpt-4.1");
      assert.equal(next.route, "openai:b/gpt-4.1=200");
      assert.equal(s.hits("a"), a);
    });

    await step("a 404 for the model moves to the next combo entry and locks the model out", async () => {
      s.script(
        "a",
        { kind: "error", status: 404, message: "The model `no-such-model` does not exist" },
        "no-such-model",
      );
      const b = s.hits("b");
      const r = await s.chat("missingfirst");
      assert.equal(r.status, 200);
      assert.equal(r.route, "openai:a/no-such-model=404, deepseek:d1/deepseek-chat=200");
      assert.equal(s.hits("b"), b, "the entry's other connections are not asked for the same missing model");
      const h = (await s.health()).a;
      assert.deepEqual(h.lockouts.map((l) => l.model), ["no-such-model"]);
      assert.equal(h.cooldown, null, "only the model is locked, not the connection");
      const other = await s.chat("openai/gpt-4.1");
      assert.equal(other.route, "openai:a/gpt-4.1=200");
    });

    await step("a mid-stream cut is not a success: the SDK iterator throws, the usage row is not 200", async () => {
      s.script("a", { kind: "cut", afterChunks: 3 });
      const { data: stream, response } = await s.client().chat.completions.create({
        model: "openai/gpt-4.1",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }).withResponse();
      assert.equal(response.headers.get("x-switchyard-route"), "openai:a/gpt-4.1=200");
      let text = "";
      let thrown: unknown;
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      } catch (err) {
        thrown = err;
      }
      assert.ok(thrown, "the stream must not end cleanly");
      assert.ok(thrown instanceof OpenAI.APIError || thrown instanceof Error, String(thrown));
      assert.match(text, /part0/, "the chunks before the cut were delivered");
      const row = await s.usage(response.headers.get("x-request-id")!);
      assert.notEqual(row.status, 200);
      assert.equal(row.attempts, "openai:a/gpt-4.1=200");
    });
  } finally {
    await s.stop();
  }
});
