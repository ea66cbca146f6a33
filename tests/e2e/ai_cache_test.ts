/**
 * @module End to end through the real gateway process with the official OpenAI SDK: the exact-match response
 * cache (miss, hit, bypass by header, per-key scope and opt-out, streams and non-zero temperatures never
 * cached), its usage rows (cached, cost 0, no budget spend) and /api/cache.
 */
import assert from "node:assert/strict";
import { DEFAULT_TEXT } from "../helpers/fake_openai.ts";
import { ADMIN_KEY, CI_KEY, DEV_KEY, json, startStack } from "../helpers/stack.ts";
import { withStore } from "../helpers/usage_db.ts";

const USER = [{ role: "user" as const, content: "What is 2 + 2?" }];
const BUDGET_KEY = "sy-budget-e2e-key-5566778899aabbcc";
const NOCACHE_KEY = "sy-nocache-e2e-key-aabbccddeeff0011";

function usageRow(dataDir: string, requestId: string): Record<string, unknown> {
  return withStore(dataDir, (db) => db.prepare("SELECT * FROM usage WHERE request_id = ?").get(requestId)) as Record<
    string,
    unknown
  >;
}

Deno.test("response cache: deterministic requests hit, per key, with bypass, opt-out and stats", async (t) => {
  const stack = await startStack({
    config: {
      apiKeys: [
        { name: "ops", key: ADMIN_KEY, scopes: ["admin"] },
        { name: "ci", key: CI_KEY, scopes: ["inference"] },
        { name: "dev", key: DEV_KEY, scopes: ["inference"] },
        { name: "budgeted", key: BUDGET_KEY, scopes: ["inference"], budget: { daily: 100 } },
        { name: "nocache", key: NOCACHE_KEY, scopes: ["inference"], options: { noCache: true } },
      ],
    },
  });
  const upstreamCalls = () => stack.fake.requests.filter((r) => r.path === "/v1/chat/completions").length;
  try {
    const client = stack.client();
    let firstId = "";
    await t.step(
      "the first deterministic request is a miss, the same again a hit without an upstream call",
      async () => {
        const first = await client.chat.completions.create({ model: "openai/gpt-4.1", messages: USER, temperature: 0 })
          .withResponse();
        assert.equal(first.response.headers.get("x-switchyard-cache"), "miss");
        firstId = first.data.id;
        const calls = upstreamCalls();
        // Key order and `user` do not split the cache.
        const second = await client.chat.completions.create({
          temperature: 0,
          messages: USER,
          model: "openai/gpt-4.1",
          user: "someone",
        }).withResponse();
        assert.equal(second.response.headers.get("x-switchyard-cache"), "hit");
        assert.equal(upstreamCalls(), calls, "a hit does not reach the upstream");
        assert.equal(second.data.id, firstId, "the same answer");
        assert.equal(second.data.choices[0].message.content, DEFAULT_TEXT);
        assert.equal(second.response.headers.get("x-switchyard-cost"), "0.00000000");
        assert.notEqual(second.response.headers.get("x-request-id"), first.response.headers.get("x-request-id"));
        const row = usageRow(stack.gw.dataDir, second.response.headers.get("x-request-id")!);
        assert.equal(row.cached, 1);
        assert.equal(row.cost, 0);
        assert.equal(row.status, 200);
        assert.equal(usageRow(stack.gw.dataDir, first.response.headers.get("x-request-id")!).cached, 0);
      },
    );

    await t.step("x-switchyard-no-cache and Cache-Control: no-cache bypass the cache", async () => {
      for (const headers of [{ "x-switchyard-no-cache": "true" }, { "cache-control": "no-cache" }]) {
        const calls = upstreamCalls();
        const { response } = await client.chat.completions.create(
          { model: "openai/gpt-4.1", messages: USER, temperature: 0 },
          { headers },
        ).withResponse();
        assert.equal(response.headers.get("x-switchyard-cache"), "miss");
        assert.equal(upstreamCalls(), calls + 1);
      }
    });

    await t.step("streams, other temperatures and other prompts are not served from the cache", async () => {
      let calls = upstreamCalls();
      const stream = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        temperature: 0,
        stream: true,
      });
      for await (const _ of stream) { /* drain */ }
      assert.equal(upstreamCalls(), ++calls);
      for (const temperature of [0.7, undefined]) {
        await client.chat.completions.create({ model: "openai/gpt-4.1", messages: USER, temperature });
        await client.chat.completions.create({ model: "openai/gpt-4.1", messages: USER, temperature });
        calls += 2;
        assert.equal(upstreamCalls(), calls, `temperature ${temperature} is not cached`);
      }
      const other = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: [{ role: "user", content: "Another question" }],
        temperature: 0,
      }).withResponse();
      assert.equal(other.response.headers.get("x-switchyard-cache"), "miss");
    });

    await t.step("entries are scoped per API key; a key may opt out", async () => {
      const calls = upstreamCalls();
      const ci = await stack.client(CI_KEY).chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        temperature: 0,
      }).withResponse();
      assert.equal(ci.response.headers.get("x-switchyard-cache"), "miss", "another key's entry is not shared");
      assert.equal(upstreamCalls(), calls + 1);
      const nocache = stack.client(NOCACHE_KEY);
      for (let i = 0; i < 2; i++) {
        const { response } = await nocache.chat.completions.create({
          model: "openai/gpt-4.1",
          messages: USER,
          temperature: 0,
        }).withResponse();
        assert.equal(response.headers.get("x-switchyard-cache"), "miss");
      }
      assert.equal(upstreamCalls(), calls + 3, "the opted-out key always reaches the upstream");
    });

    await t.step("a hit costs 0 and does not count toward the key's budget", async () => {
      const budgeted = stack.client(BUDGET_KEY);
      await budgeted.chat.completions.create({ model: "openai/gpt-4.1", messages: USER, temperature: 0 });
      const spent = async () => {
        const { body } = await json<{ data: Array<{ period: string; spent: number }> }>(
          await stack.api("/api/usage/budget"),
        );
        return body.data.find((d) => d.period === "daily")!.spent;
      };
      const before = await spent();
      assert.ok(before > 0, "the miss was charged");
      const { response } = await budgeted.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        temperature: 0,
      }).withResponse();
      assert.equal(response.headers.get("x-switchyard-cache"), "hit");
      assert.equal(await spent(), before);
    });

    await t.step(
      "GET /api/cache/stats reports entries, hits, misses, bypasses; DELETE /api/cache empties it",
      async () => {
        const { status, body } = await json<Record<string, number>>(await stack.api("/api/cache/stats"));
        assert.equal(status, 200);
        assert.equal(body.hits, 2);
        assert.equal(body.bypasses, 2);
        assert.ok(body.misses >= 4, `misses ${body.misses}`);
        assert.ok(body.entries >= 3);
        assert.equal(body.hitRate, body.hits / (body.hits + body.misses));
        const denied = await stack.api("/api/cache/stats", { headers: { authorization: `Bearer ${DEV_KEY}` } });
        assert.equal(denied.status, 403, "admin only");
        await denied.body?.cancel();
        const cleared = await json<{ cleared: number }>(await stack.api("/api/cache", { method: "DELETE" }));
        assert.equal(cleared.body.cleared, body.entries);
        const { response } = await client.chat.completions.create({
          model: "openai/gpt-4.1",
          messages: USER,
          temperature: 0,
        }).withResponse();
        assert.equal(response.headers.get("x-switchyard-cache"), "miss", "emptied");
      },
    );

    await t.step("advanced.cacheEnabled: false turns the cache off", async () => {
      const patched = await stack.api("/api/settings", {
        method: "PATCH",
        json: { advanced: { cacheEnabled: false } },
      });
      assert.equal(patched.status, 200);
      await patched.body?.cancel();
      const calls = upstreamCalls();
      const { response } = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        temperature: 0,
      }).withResponse();
      assert.equal(response.headers.get("x-switchyard-cache"), "miss");
      assert.equal(upstreamCalls(), calls + 1);
    });
  } finally {
    await stack.stop();
  }
});
