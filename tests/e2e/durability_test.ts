/**
 * @module Process-level durability: a SIGKILL during traffic loses no usage row of an answered request, and
 * SIGTERM lets in-flight requests finish and exits 0.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DEV_KEY, startStack } from "../helpers/stack.ts";

const HEADERS = { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" };

/** One request; resolves with its request id when the client got the whole answer, else undefined. */
async function answered(url: string, stream: boolean): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: HEADERS,
      body: JSON.stringify({ model: "openai/busy", messages: [{ role: "user", content: "hi" }], stream }),
    });
    const text = await res.text();
    if (res.status !== 200) return undefined;
    if (stream ? !text.includes("data: [DONE]") : !JSON.parse(text).choices) return undefined;
    return res.headers.get("x-request-id") ?? undefined;
  } catch {
    return undefined;
  }
}

Deno.test("kill -9 during requests loses no usage row of an answered request", async () => {
  const stack = await startStack();
  try {
    stack.fake.on({ model: "busy", behavior: { kind: "delay", delayMs: 15, text: "steady" } });
    const done: string[] = [];
    const inflight = new Set<Promise<void>>();
    let killed = false;
    let n = 0;
    const launch = (): void => {
      const p = answered(stack.gw.url, n++ % 2 === 0).then((id) => {
        if (id) done.push(id);
      });
      const tracked = p.finally(() => {
        inflight.delete(tracked);
        if (!killed) launch();
      });
      inflight.add(tracked);
    };
    for (let i = 0; i < 8; i++) launch();
    // Let traffic run, then crash the gateway in the middle of it.
    while (done.length < 40) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    const status = await stack.gw.kill9();
    assert.equal(status.signal, "SIGKILL");
    await Promise.all([...inflight]);
    assert.ok(done.length >= 40);

    const db = new DatabaseSync(`${stack.gw.dataDir}/switchyard.sqlite`);
    try {
      const rows = db.prepare("SELECT request_id FROM usage WHERE status = 200").all() as Array<{ request_id: string }>;
      const recorded = new Set(rows.map((r) => r.request_id));
      const missing = done.filter((id) => !recorded.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${done.length} answered requests have no usage row`);
      assert.ok(recorded.size >= done.length);
    } finally {
      db.close();
    }
  } finally {
    await stack.stop();
  }
});

Deno.test("SIGTERM lets an in-flight request finish and exits 0", async () => {
  const stack = await startStack();
  try {
    stack.fake.on({ model: "busy", behavior: { kind: "delay", delayMs: 600, text: "late but whole" } });
    const pending = fetch(`${stack.gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: HEADERS,
      body: JSON.stringify({ model: "openai/busy", messages: [{ role: "user", content: "hi" }] }),
    });
    await stack.fake.waitFor(() => stack.fake.requestsFor("busy").length === 1, 5000, "the request to reach upstream");
    const status = await stack.gw.stop();
    const res = await pending;
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(body.choices[0].message.content, "late but whole");
    assert.equal(status.code, 0, stack.gw.output());
    assert.equal(status.signal, null);
    await assert.rejects(() => fetch(`${stack.gw.url}/healthz`), "the gateway still accepts connections");
  } finally {
    await stack.stop();
  }
});
