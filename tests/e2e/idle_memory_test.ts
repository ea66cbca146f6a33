/**
 * @module The idle memory reducer in the real server (started with `deno task start`'s V8 flags, `--expose-gc`
 * among them): once requests stop, the gateway runs V8's memory-reducing collection and its heap shrinks (the young
 * generation start-up grew to its cap is given back), and it answers as before afterwards.
 */
import assert from "node:assert/strict";
import { startStack } from "../helpers/stack.ts";

/** The fields of the text log line `... DEBUG memory reduced ms=.. heapBefore=.. heapAfter=.. rssBefore=.. rssAfter=..`. */
function reductions(output: string): Array<Record<string, number>> {
  const lines = output.split("\n").filter((l) => l.includes(" DEBUG memory reduced "));
  return lines.map((l) => Object.fromEntries([...l.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])])));
}

Deno.test("the gateway gives memory back once requests stop, and keeps answering", async () => {
  const stack = await startStack({ env: { LOG_LEVEL: "debug" } });
  try {
    const client = stack.client();
    const first = await client.chat.completions.create({
      model: "openai/gpt-4.1-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.ok(first.choices[0].message.content);
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4.1-mini",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
    });
    for await (const _ of stream) { /* drain */ }

    const end = Date.now() + 8000;
    while (reductions(stack.gw.output()).length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const [r] = reductions(stack.gw.output());
    assert.ok(r, `no "memory reduced" line within 8 s:\n${stack.gw.output().slice(-2000)}`);
    assert.ok(r.heapAfter < r.heapBefore - 2 * 1024 * 1024, `heap ${r.heapBefore} -> ${r.heapAfter} bytes`);
    assert.ok(r.ms < 1000, `the collection took ${r.ms} ms`);

    const after = await client.chat.completions.create({
      model: "openai/gpt-4.1-mini",
      messages: [{ role: "user", content: "still there?" }],
    });
    assert.ok(after.choices[0].message.content);
  } finally {
    await stack.stop();
  }
});
