import assert from "node:assert/strict";
import { loadConfig } from "../../config/mod.ts";
import { createApp } from "../app.ts";
import type { ChunkSource, UpstreamReply } from "../client/mod.ts";
import { createGateway } from "../gateway.ts";
import { openaiChunk } from "./stream_fixture.ts";

/** An upstream stream answer as the gateway's own client gives it: a reader, and a `body` that counts its readers. */
function clientStyleReply(text: string): { reply: UpstreamReply; bodyReads: () => number } {
  let bodyReads = 0;
  let given = false;
  const source: ChunkSource = {
    read: () => {
      if (given) return Promise.resolve({ done: true, value: undefined });
      given = true;
      return Promise.resolve({ done: false, value: new TextEncoder().encode(text) });
    },
    cancel: () => Promise.resolve(),
  };
  const headers = new Headers({ "content-type": "text/event-stream" });
  const reply: UpstreamReply = {
    status: 200,
    ok: true,
    headers,
    get body() {
      bodyReads++;
      return ReadableStream.from([new TextEncoder().encode(text)]);
    },
    bytes: () => Promise.reject(new Error("not used")),
    text: () => Promise.reject(new Error("not used")),
    json: () => Promise.reject(new Error("not used")),
    reader: () => source,
    hasBody: () => true,
  };
  return { reply, bodyReads: () => bodyReads };
}

Deno.test("a stream answer is read through the client's reader: the attempt never builds a stream from its body", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-execute-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      connections: [{ provider: "openai", name: "a", apiKey: "sk-test-key", baseUrl: "http://127.0.0.1:9/v1" }],
    }),
  );
  const sse = openaiChunk({ role: "assistant", content: "" }) + openaiChunk({ content: "Hi" }) +
    openaiChunk({}, "stop") +
    openaiChunk({}, null, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }) + "data: [DONE]\n\n";
  const upstream = clientStyleReply(sse);
  const env = (name: string) => (name === "REQUIRE_API_KEY" ? "false" : undefined);
  const gw = await createGateway(loadConfig({ args: ["serve", "--data-dir", dir, "--config", file], env }), {
    fetch: () => Promise.resolve(upstream.reply),
    logger: { log() {}, enabled: () => false },
  });
  try {
    const res = await createApp(gw).request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /"content":"Hi"/);
    assert.match(text, /data: \[DONE\]/);
    assert.equal(upstream.bodyReads(), 0, "the attempt read `body`, turning the client's reader into a stream");
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
