/**
 * @module Streams keep clients alive and fail honestly: heartbeats in the client's own format while the upstream
 * is silent, and an idle upstream becomes the format's error event, never a clean finish.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";

const enc = new TextEncoder();

function chunk(content: string): string {
  return `data: ${
    JSON.stringify({
      id: "chatcmpl-hb",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })
  }\n\n`;
}

/** An OpenAI-format upstream that pauses `gapMs` between its two chunks, and never finishes when `hang`. */
function slowUpstream(gapMs: number, hang: boolean): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(enc.encode(chunk("Hel")));
        timer = setTimeout(() => {
          if (hang) return;
          controller.enqueue(enc.encode(chunk("lo")));
          controller.enqueue(enc.encode(`data: ${
            JSON.stringify({
              id: "chatcmpl-hb",
              object: "chat.completion.chunk",
              created: 1,
              model: "m",
              choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
              usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
            })
          }\n\ndata: [DONE]\n\n`));
          controller.close();
        }, gapMs);
      },
      cancel() {
        clearTimeout(timer);
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
}

async function withGateway(
  upstream: Deno.HttpServer<Deno.NetAddr>,
  resilience: Record<string, number>,
  fn: (url: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sy-hb-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      connections: [{
        provider: "openai",
        name: "slow",
        apiKey: "sk-heartbeat-test-0000",
        baseUrl: `http://127.0.0.1:${upstream.addr.port}/v1`,
      }],
      settings: { resilience },
    }),
  );
  const config = loadConfig({ args: ["serve", "--data-dir", dir, "--config", file], env: () => undefined });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, createApp(gw).fetch);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
    await upstream.shutdown();
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a silent upstream gets heartbeats to the client: SSE comments for OpenAI, `event: ping` for Anthropic", async () => {
  const upstream = slowUpstream(450, false);
  await withGateway(upstream, { heartbeatMs: 100 }, async (url) => {
    const chat = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/m", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await chat.text();
    assert.match(text, /^: ping$/m, "an SSE comment heartbeat while the upstream paused");
    assert.match(text, /"content":"Hel"/);
    assert.match(text, /"content":"lo"/);
    assert.match(text, /data: \[DONE\]/);

    const messages = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "openai/m",
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const anthropic = await messages.text();
    assert.match(anthropic, /event: ping\ndata: \{"type":"ping"\}/, "Anthropic's own ping event");
    assert.match(anthropic, /event: message_stop/);
    assert.ok(anthropic.indexOf("event: ping") > anthropic.indexOf("message_start"), "no ping before message_start");
  });
});

Deno.test("an upstream idle past streamIdleTimeoutMs ends the client stream with an error event, not a finish", async () => {
  const upstream = slowUpstream(10_000, true);
  await withGateway(upstream, { heartbeatMs: 0, streamIdleTimeoutMs: 300 }, async (url) => {
    const res = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "openai/m",
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const text = await res.text();
    assert.match(text, /event: error\ndata: \{"type":"error","error":\{"type":"timeout_error"/);
    assert.doesNotMatch(text, /message_stop/);
  });
});
