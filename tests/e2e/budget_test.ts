/**
 * @module Budgets end to end: a key's daily budget is enforced before the upstream call with 429 `budget_exceeded`
 * in the client's format, a concurrent burst against a nearly spent budget overspends by at most the requests
 * already in flight, and GET/POST /api/usage/budget report and set limits.
 */
import assert from "node:assert/strict";
import { ADMIN_KEY, DEV_KEY, startStack } from "../helpers/stack.ts";

const CAPPED = "sy-budget-capped-key-000000000001";
const BURST = "sy-budget-burst-key-0000000000002";
/** With the price set below, every fake answer (11 in, 7 out) costs 18 × 1000 / 1e6 = $0.018. */
const COST = 0.018;

Deno.test("budgets: enforced before the call, bounded under a burst, visible in /api/usage/budget", async (t) => {
  const stack = await startStack({
    config: {
      apiKeys: [
        { name: "ops", key: ADMIN_KEY, scopes: ["admin"] },
        { name: "dev", key: DEV_KEY, scopes: ["inference"] },
        { name: "capped", key: CAPPED, scopes: ["inference"], budget: { daily: 0.05 } },
        { name: "burst", key: BURST, scopes: ["inference"], budget: { daily: 0.05, warnAt: 0.5 } },
      ],
    },
  });
  try {
    const price = await stack.api("/api/pricing", {
      method: "POST",
      json: { provider: "openai", model: "gpt-4.1", input: 1000, output: 1000 },
    });
    assert.equal(price.status, 200);
    await price.body?.cancel();

    const chat = (key: string) =>
      fetch(`${stack.gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "openai/gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
      });

    await t.step("sequential requests stop at the limit with 429 budget_exceeded and Retry-After", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await chat(CAPPED);
        statuses.push(res.status);
        assert.equal(Number(res.headers.get("x-switchyard-cost")), COST);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 200], "0, 0.018 and 0.036 are under $0.05");
      const before = stack.fake.requests.length;
      const refused = await chat(CAPPED);
      assert.equal(refused.status, 429);
      const body = await refused.json();
      assert.equal(body.error.code, "budget_exceeded");
      assert.match(body.error.message, /daily budget/);
      assert.ok(Number(refused.headers.get("retry-after")) > 0);
      assert.equal(stack.fake.requests.length, before, "no upstream call for a refused request");

      const anthropic = await fetch(`${stack.gw.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": CAPPED },
        body: JSON.stringify({ model: "openai/gpt-4.1", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
      });
      assert.equal(anthropic.status, 429);
      const err = await anthropic.json();
      assert.equal(err.type, "error");
      assert.equal(err.error.type, "rate_limit_error");
    });

    await t.step(
      "a concurrent burst against a nearly spent budget overspends by at most the requests in flight",
      async () => {
        const first = await chat(BURST);
        assert.equal(first.status, 200);
        await first.body?.cancel();
        // 0.018 spent of 0.05: a burst of 5 slow requests all start before any of them is recorded.
        const off = stack.fake.on({ behavior: { kind: "hang", delayMs: 300 } });
        const burst = await Promise.all(Array.from({ length: 5 }, () => chat(BURST)));
        off();
        const statuses = burst.map((r) => r.status);
        await Promise.all(burst.map((r) => r.body?.cancel()));
        assert.deepEqual(statuses, [200, 200, 200, 200, 200], "every request of the burst was already in flight");
        const list = await stack.api("/api/usage/budget");
        const status = (await list.json()).data.find((s: { keyName: string }) => s.keyName === "burst");
        assert.equal(status.period, "daily");
        assert.equal(status.limit, 0.05);
        assert.ok(Math.abs(status.spent - 6 * COST) < 1e-9, `spent ${status.spent}`);
        assert.ok(status.spent <= 0.05 + 5 * COST, "overspend ≤ the in-flight requests' cost");
        assert.equal(status.exceeded, true);
        assert.equal(status.warning, true);
        assert.match(status.resetsAt, /T00:00:00.000Z$/);
        const after = await chat(BURST);
        assert.equal(after.status, 429, "once recorded, the spend stops the next request");
        await after.body?.cancel();
      },
    );

    await t.step("POST /api/usage/budget sets a limit on an API key; config-file keys are read-only", async () => {
      const created = await stack.api("/api/keys", { method: "POST", json: { name: "api-made" } });
      const key = await created.json();
      const set = await stack.api("/api/usage/budget", {
        method: "POST",
        json: { keyId: key.id, limit: 0.01, period: "monthly" },
      });
      assert.equal(set.status, 200);
      const setBody = await set.json();
      assert.equal(setBody.budget.monthly, 0.01);
      const first = await chat(key.key);
      assert.equal(first.status, 200);
      await first.body?.cancel();
      const second = await chat(key.key);
      assert.equal(second.status, 429, "$0.018 spent is over $0.01");
      await second.body?.cancel();
      const fileKey = (await (await stack.api("/api/keys")).json()).data.find((k: { name: string }) =>
        k.name === "capped"
      );
      const refused = await stack.api("/api/usage/budget", {
        method: "POST",
        json: { keyId: fileKey.id, limit: 1, period: "daily" },
      });
      assert.equal(refused.status, 409);
      await refused.body?.cancel();
      const unauth = await fetch(`${stack.gw.url}/api/usage/budget`);
      assert.equal(unauth.status, 401);
      await unauth.body?.cancel();
    });
  } finally {
    await stack.stop();
  }
});
