/**
 * @module End to end: the gateway's own HTTP client against an HTTPS upstream (the production case), trusting a test
 * CA through DENO_CERT as a user's private CA would be: answers, streams and usage arrive, and calls share one pooled
 * TLS connection.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startFakeOpenAI } from "../helpers/fake_openai.ts";
import { defaultConfig, DEV_KEY } from "../helpers/stack.ts";
import { makeRoot, removeRoot, startGateway } from "../helpers/server.ts";

const TLS = new URL("../helpers/tls/", import.meta.url);

Deno.test("an HTTPS upstream: answers, streams with usage, one kept-alive TLS connection", async () => {
  const fake = startFakeOpenAI({
    tls: {
      cert: Deno.readTextFileSync(new URL("cert.pem", TLS)),
      key: Deno.readTextFileSync(new URL("key.pem", TLS)),
    },
  });
  assert.ok(fake.baseUrl.startsWith("https://"));
  const root = await makeRoot();
  const gw = await startGateway({
    root,
    config: defaultConfig(fake),
    env: { LOG_LEVEL: "warn", DENO_CERT: new URL("ca.pem", TLS).pathname },
  }).catch(async (err) => {
    await fake.close();
    await removeRoot(root);
    throw err;
  });
  try {
    const client = new OpenAI({ apiKey: DEV_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 15_000 });
    for (let i = 0; i < 3; i++) {
      const { data, response } = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: [{ role: "user", content: `hello ${i}` }],
      }).withResponse();
      assert.equal(data.choices[0].message.content, "Hello from the fake upstream.");
      assert.equal(response.headers.get("x-switchyard-route"), "openai:a/gpt-4.1=200");
      assert.equal(response.headers.get("x-switchyard-tokens-in"), "11");
    }
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4.1",
      messages: [{ role: "user", content: "stream it" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, "Hello from the fake upstream.");
    assert.equal(usage?.prompt_tokens, 11);
    assert.equal(fake.requests.length, 4);
    // Sequential calls: the gateway kept its TLS connection to the upstream open and used it for each of them.
    assert.equal(new Set(fake.requests.map((r) => r.clientPort)).size, 1, gw.output());
  } finally {
    await gw.stop();
    await fake.close();
    await removeRoot(root);
  }
});
