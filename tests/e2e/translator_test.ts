/** @module /api/translator/translate: the playground endpoint uses the proxy's codecs, with admin auth. */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";

const ADMIN = "sy-translator-admin-key-000000000001";

async function withApp(fn: (request: (body: unknown) => Promise<Response>) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sy-translator-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(file, JSON.stringify({ apiKeys: [{ name: "adm", key: ADMIN, scopes: ["admin"] }] }));
  const config = loadConfig({ args: ["serve", "--data-dir", dir, "--config", file], env: () => undefined });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const app = createApp(gw);
  try {
    await fn(async (body) =>
      await app.request("/api/translator/translate", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify(body),
      })
    );
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("translator turns a Chat request into Anthropic with the system text in `system` and tools kept", async () => {
  await withApp(async (request) => {
    const res = await request({
      from: "openai",
      to: "anthropic",
      body: {
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "system", content: "Be terse." }, { role: "user", content: "Weather in Paris?" }],
        tools: [{
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
        }],
        max_tokens: 100,
      },
    });
    assert.equal(res.status, 200);
    const out = await res.json();
    assert.equal(out.kind, "request");
    assert.equal(out.body.model, "claude-sonnet-4-5");
    assert.equal(out.body.system, "Be terse.");
    assert.deepEqual(out.body.messages, [{ role: "user", content: "Weather in Paris?" }]);
    assert.equal(out.body.tools[0].name, "get_weather");
    assert.deepEqual(out.body.tools[0].input_schema.properties, { city: { type: "string" } });
    assert.equal(out.canonical.system[0].text, "Be terse.");
  });
});

Deno.test("translator translates a response with kind: response, and refuses bad input with 400 naming the field", async () => {
  await withApp(async (request) => {
    const res = await request({
      from: "anthropic",
      to: "openai",
      kind: "response",
      body: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text: "Hi!" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 2 },
      },
    });
    assert.equal(res.status, 200);
    const out = await res.json();
    assert.equal(out.body.choices[0].message.content, "Hi!");
    assert.equal(out.body.choices[0].finish_reason, "stop");
    assert.equal(out.body.usage.prompt_tokens, 3);

    const bad = await request({ from: "openai", to: "gemini", body: { model: "x", messages: "nope" } });
    assert.equal(bad.status, 400);
    const err = await bad.json();
    assert.equal(err.error.code, "invalid_request");
    assert.match(err.error.message, /messages/);

    const badFormat = await request({ from: "openai", to: "cohere", body: {} });
    assert.equal(badFormat.status, 400);
  });
});
