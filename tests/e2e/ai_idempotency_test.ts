/**
 * @module End to end through the real gateway process with the official OpenAI SDK: Idempotency-Key and
 * X-Request-Id dedupe (a sequential and a concurrent duplicate get the first answer, streams included),
 * per-key scope, the window, and usage rows of replays (cached, cost 0).
 */
import assert from "node:assert/strict";
import { CI_KEY, DEV_KEY, startStack } from "../helpers/stack.ts";
import { withStore } from "../helpers/usage_db.ts";

const USER = [{ role: "user" as const, content: "Book one table." }];

Deno.test("idempotency: duplicates within the window get the first answer, once upstream", async (t) => {
  const stack = await startStack({ settings: { advanced: { idempotencyWindowMs: 1500 } } });
  const upstreamCalls = () => stack.fake.requests.filter((r) => r.path === "/v1/chat/completions").length;
  const chat = (key: string, headers: Record<string, string>) =>
    stack.client(key).chat.completions.create({ model: "openai/gpt-4.1", messages: USER }, { headers })
      .withResponse();
  try {
    await t.step("a sequential duplicate is replayed with x-switchyard-idempotent-replay", async () => {
      const calls = upstreamCalls();
      const first = await chat(DEV_KEY, { "Idempotency-Key": "order-1" });
      const second = await chat(DEV_KEY, { "Idempotency-Key": "order-1" });
      assert.equal(upstreamCalls(), calls + 1);
      assert.equal(second.data.id, first.data.id);
      assert.equal(second.response.headers.get("x-switchyard-idempotent-replay"), "true");
      assert.equal(first.response.headers.get("x-switchyard-idempotent-replay"), null);
      assert.equal(second.response.headers.get("x-switchyard-route"), "openai:a/gpt-4.1=200");
      const id = second.response.headers.get("x-request-id")!;
      const row = withStore(stack.gw.dataDir, (db) => db.prepare("SELECT * FROM usage WHERE request_id = ?").get(id));
      assert.equal((row as { cached: number }).cached, 1);
      assert.equal((row as { cost: number }).cost, 0);
    });

    await t.step("X-Request-Id dedupes too; another key with the same id is not a duplicate", async () => {
      const calls = upstreamCalls();
      const a = await chat(DEV_KEY, { "X-Request-Id": "client-req-77" });
      const b = await chat(DEV_KEY, { "X-Request-Id": "client-req-77" });
      assert.equal(b.data.id, a.data.id);
      const other = await chat(CI_KEY, { "X-Request-Id": "client-req-77" });
      assert.notEqual(other.data.id, a.data.id);
      assert.equal(upstreamCalls(), calls + 2);
    });

    await t.step("a concurrent duplicate waits for the first and gets the same answer", async () => {
      const remove = stack.fake.on({ model: "gpt-4.1", behavior: { kind: "delay", delayMs: 600 } });
      try {
        const calls = upstreamCalls();
        const first = chat(DEV_KEY, { "Idempotency-Key": "slow-1" });
        await stack.fake.waitFor(() => upstreamCalls() === calls + 1, 5000, "the first request upstream");
        const started = Date.now();
        const second = await chat(DEV_KEY, { "Idempotency-Key": "slow-1" });
        const firstDone = await first;
        assert.equal(second.data.id, firstDone.data.id);
        assert.equal(second.response.headers.get("x-switchyard-idempotent-replay"), "true");
        assert.ok(Date.now() - started >= 200, "the duplicate waited for the first");
        assert.equal(upstreamCalls(), calls + 1, "one upstream call for both");
      } finally {
        remove();
      }
    });

    await t.step("a concurrent streamed duplicate gets the same events", async () => {
      const remove = stack.fake.on({
        model: "gpt-4.1",
        behavior: { kind: "delay", delayMs: 80, text: "one two three" },
      });
      try {
        const calls = upstreamCalls();
        const read = async () => {
          const res = await fetch(`${stack.gw.url}/v1/chat/completions`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${DEV_KEY}`,
              "content-type": "application/json",
              "idempotency-key": "stream-1",
            },
            body: JSON.stringify({ model: "openai/gpt-4.1", messages: USER, stream: true }),
          });
          return { replay: res.headers.get("x-switchyard-idempotent-replay"), text: await res.text() };
        };
        const first = read();
        await stack.fake.waitFor(() => upstreamCalls() === calls + 1, 5000, "the first stream upstream");
        const [a, b] = await Promise.all([first, read()]);
        assert.equal(upstreamCalls(), calls + 1);
        assert.equal(b.text, a.text);
        assert.match(a.text, /data: \[DONE\]/);
        assert.deepEqual([a.replay, b.replay], [null, "true"]);
      } finally {
        remove();
      }
    });

    await t.step("a failure is not kept: a retry with the same key runs again", async () => {
      const remove = stack.fake.on({ model: "gpt-4.1", behavior: { kind: "error", status: 400, message: "bad" } });
      const calls = upstreamCalls();
      await assert.rejects(chat(DEV_KEY, { "Idempotency-Key": "fails-1" }));
      remove();
      const ok = await chat(DEV_KEY, { "Idempotency-Key": "fails-1" });
      assert.equal(ok.response.headers.get("x-switchyard-idempotent-replay"), null);
      assert.equal(upstreamCalls(), calls + 2);
    });

    await t.step("after the window the same key runs again", async () => {
      const calls = upstreamCalls();
      const first = await chat(DEV_KEY, { "Idempotency-Key": "window-1" });
      await new Promise((r) => setTimeout(r, 1600));
      const later = await chat(DEV_KEY, { "Idempotency-Key": "window-1" });
      assert.notEqual(later.data.id, first.data.id);
      assert.equal(upstreamCalls(), calls + 2);
    });
  } finally {
    await stack.stop();
  }
});
