/**
 * @module `deno bench` of the gateway's own work per request, in process: the full Hono app with a fake upstream
 * fetch (no network), against a bare Hono route doing the floor proxy's work with the same fake fetch.
 * Run: deno bench --allow-read --allow-write --allow-env --allow-sys src/http/proxy/proxy_bench.ts
 */
import { Hono } from "hono";
import { loadConfig } from "../../config/mod.ts";
import { createApp } from "../app.ts";
import { createGateway, dbPathOf } from "../gateway.ts";
import { startCheckpointer } from "../../store/mod.ts";

const upstreamBody = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1,
  model: "gpt-4.1",
  choices: [{
    index: 0,
    message: { role: "assistant", content: "Hello! This is a mock response." },
    finish_reason: "stop",
  }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});
const anthropicBody = JSON.stringify({
  id: "msg_bench",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "Hello! This is a mock response." }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 8 },
});
/** Answers in the format of whichever upstream the URL names: Anthropic's `/v1/messages`, else OpenAI's. */
const fakeFetch: typeof fetch = (input) =>
  Promise.resolve(
    new Response(String(input).endsWith("/v1/messages") ? anthropicBody : upstreamBody, {
      headers: { "content-type": "application/json" },
    }),
  );

const dir = Deno.makeTempDirSync({ prefix: "sy-bench-" });
Deno.writeTextFileSync(
  `${dir}/config.json`,
  JSON.stringify({
    connections: [
      { provider: "openai", name: "bench", apiKey: "sk-bench-0000000000", baseUrl: "http://127.0.0.1:9/v1" },
      { provider: "anthropic", name: "bench", apiKey: "sk-ant-bench-00000000", baseUrl: "http://127.0.0.1:9" },
    ],
  }),
);
const config = loadConfig({
  args: ["serve", "--data-dir", dir, "--config", `${dir}/config.json`],
  env: () => undefined,
});
const gw = await createGateway(config, { fetch: fakeFetch, logger: { log() {}, enabled: () => false } });
// As in main.ts: WAL checkpoints run on a worker, not inside request commits.
startCheckpointer(gw.db, dbPathOf(dir));
const app = createApp(gw);

const floor = new Hono();
floor.post("/v1/chat/completions", async (c) => {
  const body = await c.req.arrayBuffer();
  const reply = await fakeFetch("http://127.0.0.1:9/v1/chat/completions", { method: "POST", body });
  return new Response(reply.body, { headers: { "content-type": "application/json" } });
});

const request = JSON.stringify({ model: "openai/gpt-4.1", messages: [{ role: "user", content: "hi" }] });
const init = (): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "content-length": String(request.length) },
  body: request,
});

Deno.bench("floor: bare Hono proxy route", { group: "proxy", baseline: true }, async () => {
  const res = await floor.request("/v1/chat/completions", init());
  await res.text();
});

Deno.bench("gateway: POST /v1/chat/completions (auth, routing, usage row, headers)", { group: "proxy" }, async () => {
  const res = await app.request("/v1/chat/completions", init());
  const text = await res.text();
  if (res.status !== 200) throw new Error(`gateway bench answered ${res.status}: ${text}`);
});

const translated = JSON.stringify({
  model: "anthropic/claude-sonnet-4-5",
  messages: [{ role: "user", content: "hi" }],
});
Deno.bench("gateway translating: Chat client → Anthropic upstream and back", { group: "proxy" }, async () => {
  const res = await app.request("/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(translated.length) },
    body: translated,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`translating bench answered ${res.status}: ${text}`);
});
