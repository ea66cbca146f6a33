/**
 * @module Memory under sustained routing: an in-process gateway with 50 connections (built-in and custom providers,
 * all on one fast fake upstream) takes 20,000 requests over HTTP on 127.0.0.1 (JSON and streams, round-robin, p2c
 * and least-used, rate limits on, a few upstream 500s); heap growth after warm-up stays bounded and the per-connection
 * health and limiter maps never hold more entries than there are connections.
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";

const TOTAL = 20_000;
const WARMUP = 2_000;
const WIDTH = 20;
const MAX_GROWTH_MB = 15;
const BUILTIN = ["openai", "deepseek", "groq", "together"];
const PER_BUILTIN = 11;
const CUSTOM = ["lm1", "lm2", "lm3", "lm4", "lm5", "lm6"];

/** A real collection when V8 lets us turn `--expose-gc` on at run time (deno test takes no V8 flags). */
function gcFunction(): (() => void) | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

/** The smallest OpenAI-shaped upstream: constant bodies, a 500 about every 97th call (built-ins), counts by key (≤ 50 entries). */
function startFastFake(): { port: number; byKey: Map<string, number>; close: () => Promise<void> } {
  const byKey = new Map<string, number>();
  let n = 0;
  const json = JSON.stringify({
    id: "chatcmpl-mem",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  });
  const chunk = (delta: unknown, finish: string | null) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-mem",
        object: "chat.completion.chunk",
        created: 1_700_000_000,
        model: "m",
        choices: [{ index: 0, delta, finish_reason: finish }],
      })
    }\n\n`;
  const sse = chunk({ role: "assistant", content: "ok" }, null) + chunk({}, "stop") +
    `data: ${
      JSON.stringify({
        id: "chatcmpl-mem",
        object: "chat.completion.chunk",
        created: 1_700_000_000,
        model: "m",
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      })
    }\n\ndata: [DONE]\n\n`;
  const abort = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
    async (req) => {
      const body = await req.text();
      const key = req.headers.get("authorization") ?? "none";
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
      // Custom providers have a single connection, nothing to fall back to: only built-ins fail.
      if (++n % 97 === 0 && !key.includes("-lm")) {
        return Response.json({ error: { message: "boom", type: "server_error", param: null, code: null } }, {
          status: 500,
        });
      }
      if (body.includes('"stream":true')) {
        return new Response(sse, {
          headers: { "content-type": "text/event-stream" },
        });
      }
      return new Response(json, { headers: { "content-type": "application/json" } });
    },
  );
  return {
    port: server.addr.port,
    byKey,
    close: async () => {
      abort.abort();
      await server.finished;
    },
  };
}

Deno.test("routing memory: 20,000 requests over 50 connections keep the heap and routing maps bounded", async () => {
  const gc = gcFunction();
  const fake = startFastFake();
  const dir = await Deno.makeTempDir({ prefix: "sy-routing-mem-" });
  const baseUrl = `http://127.0.0.1:${fake.port}/v1`;
  const connections = BUILTIN.flatMap((provider) =>
    Array.from({ length: PER_BUILTIN }, (_, i) => ({
      provider,
      name: `c${i}`,
      apiKey: `sk-mem-${provider}-${i}-000000000000`,
      baseUrl,
      priority: 1 + (i % 3),
    }))
  );
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      connections,
      customProviders: CUSTOM.map((id) => ({ id, format: "openai", baseUrl, apiKey: `sk-mem-${id}-0000000000` })),
      settings: {
        routing: {
          accountStrategy: "round-robin",
          stickyLimit: 1,
          providerStrategies: { deepseek: "p2c", groq: "least-used" },
        },
        resilience: { rateLimits: { rpm: 1_000_000, minGapMs: 0, maxConcurrent: 50, queueSize: 100 } },
      },
    }),
  );
  const config = loadConfig({
    args: ["serve", "--port", "0", "--data-dir", dir, "--config", file],
    env: (name) => (name === "REQUIRE_API_KEY" ? "false" : undefined),
  });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const app = createApp(gw);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/v1/chat/completions`;
  const models = [...BUILTIN.map((p) => `${p}/m-${p}`), ...CUSTOM.map((p) => `${p}/local-model`)];
  let sent = 0;
  const failures: string[] = [];
  const run = async (until: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (sent < until) {
        const i = sent++;
        const stream = i % 10 === 0;
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: models[i % models.length],
            messages: [{ role: "user", content: "hi" }],
            stream,
          }),
        });
        const text = await res.text();
        if (res.status !== 200 && failures.length < 5) failures.push(`${res.status} ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: WIDTH }, worker));
  };
  const heapMb = async (): Promise<number> => {
    await new Promise((r) => setTimeout(r, 200));
    gc?.();
    gc?.();
    return Deno.memoryUsage().heapUsed / 1_048_576;
  };
  try {
    const started = Date.now();
    await run(WARMUP);
    const before = await heapMb();
    await run(TOTAL);
    const after = await heapMb();
    const seconds = (Date.now() - started) / 1000;
    const health = gw.routing.health.list();
    const queues = gw.routing.limiter.list();
    console.log(
      `routing memory: ${TOTAL} requests in ${seconds.toFixed(1)} s; heapUsed ${before.toFixed(1)} MB after ` +
        `warm-up → ${after.toFixed(1)} MB (${(after - before).toFixed(1)} MB; forced GC: ${gc ? "yes" : "no"}); ` +
        `health entries ${health.length}, limiter entries ${queues.length}, upstream keys ${fake.byKey.size}`,
    );
    assert.deepEqual(failures, [], "every request answered 200 (a 500 falls back)");
    assert.ok(after - before < MAX_GROWTH_MB, `heap grew ${(after - before).toFixed(1)} MB`);
    assert.ok(health.length <= 50, `${health.length} health entries`);
    assert.ok(queues.length <= 50, `${queues.length} limiter entries`);
    assert.equal(fake.byKey.size, 50, "every connection was used");
    assert.ok(health.every((h) => h.inFlight === 0), "nothing left in flight");
    assert.ok(queues.every((q) => q.active === 0 && q.queued === 0), "no slot leaked");
    assert.equal(gw.inFlight, 0);
  } finally {
    await server.shutdown();
    await fake.close();
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
