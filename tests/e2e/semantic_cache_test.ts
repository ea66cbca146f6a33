/**
 * @module The response cache's semantic mode end to end: an embeddings connection turns prompts into vectors; a
 * reworded prompt close enough to a cached one is served from the cache, an unrelated one goes upstream.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";

const ADMIN = "sy-semantic-admin-key-0000000001";
const WORDS = ["capital", "france", "paris", "poem", "sea", "write", "what", "is", "the", "of", "a", "about"];

/** A bag-of-words embedding: similar wording gives similar vectors (what a real embeddings model approximates). */
function embedText(text: string): number[] {
  const tokens = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return WORDS.map((w) => tokens.filter((t) => t === w).length + 0.01);
}

Deno.test("semantic cache: a reworded prompt is a hit with its similarity, an unrelated prompt goes upstream", async () => {
  const seen = { chat: 0, embeddings: 0 };
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    if (new URL(req.url).pathname.endsWith("/embeddings")) {
      seen.embeddings++;
      return Response.json({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: embedText(body.input) }],
      });
    }
    seen.chat++;
    return Response.json({
      id: `chatcmpl-${seen.chat}`,
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: `answer ${seen.chat}` }, finish_reason: "stop" }],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    });
  });
  const dir = await Deno.makeTempDir({ prefix: "sy-semantic-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      apiKeys: [{ name: "adm", key: ADMIN, scopes: ["admin"] }],
      connections: [{
        provider: "openai",
        name: "fake",
        apiKey: "sk-semantic-test-000000",
        baseUrl: `http://127.0.0.1:${upstream.addr.port}/v1`,
      }],
    }),
  );
  const config = loadConfig({ args: ["serve", "--data-dir", dir, "--config", file], env: () => undefined });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const app = createApp(gw);
  const auth = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
  const ask = (content: string) =>
    app.request("/v1/chat/completions", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ model: "openai/gpt-4.1", temperature: 0, messages: [{ role: "user", content }] }),
    });
  try {
    const refused = await app.request("/api/settings", {
      method: "PATCH",
      headers: auth,
      body: JSON.stringify({ advanced: { semanticCache: { enabled: true } } }),
    });
    assert.equal(refused.status, 400, "enabling without an embeddings model is refused");
    await refused.body?.cancel();
    const patched = await app.request("/api/settings", {
      method: "PATCH",
      headers: auth,
      body: JSON.stringify({
        advanced: { semanticCache: { enabled: true, model: "openai/text-embedding-3-small", threshold: 0.95 } },
      }),
    });
    assert.equal(patched.status, 200);
    await patched.body?.cancel();

    const first = await ask("What is the capital of France?");
    assert.equal(first.headers.get("x-switchyard-cache"), "miss");
    assert.equal((await first.json()).choices[0].message.content, "answer 1");
    assert.equal(seen.chat, 1);

    const reworded = await ask("what is the capital of FRANCE");
    assert.equal(reworded.headers.get("x-switchyard-cache"), "hit");
    assert.ok(Number(reworded.headers.get("x-switchyard-cache-similarity")) >= 0.95);
    assert.equal((await reworded.json()).choices[0].message.content, "answer 1");
    assert.equal(seen.chat, 1, "no upstream chat call for a semantic hit");

    const other = await ask("Write a poem about the sea.");
    assert.equal(other.headers.get("x-switchyard-cache"), "miss");
    assert.equal((await other.json()).choices[0].message.content, "answer 2");
    assert.equal(seen.chat, 2);
    assert.equal(seen.embeddings, 3);

    const stats = await (await app.request("/api/cache/stats", { headers: auth })).json();
    assert.equal(stats.semantic.enabled, true);
    assert.equal(stats.semantic.hits, 1);
    assert.equal(stats.semantic.entries, 2);
  } finally {
    gw.usage.flush();
    gw.db.close();
    await upstream.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
