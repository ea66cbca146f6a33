/**
 * @module Usage estimates, request logs (bodies redacted), /metrics and /api/health latency, in process: the real
 * app with an upstream fake injected as `fetch` that reports no usage at all.
 */
import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- a test-only parser; the import map (deno.json) is not edited for it
import parsePrometheusTextFormat from "npm:parse-prometheus-text-format@1.1.1";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import type { Gateway } from "../../src/http/context.ts";

const ADMIN = "sy-admin-observability-0123456789";
const ANSWER = "The quick brown fox jumps over the lazy dog, twice over.";

/** An OpenAI-format upstream without any usage in its answers. */
const upstream: typeof fetch = async (_input, init) => {
  const body = JSON.parse(String(init?.body ?? "{}"));
  if (body.stream) {
    const words = ANSWER.split(" ");
    const events = words.map((w, i) =>
      `data: ${
        JSON.stringify({
          id: "c1",
          object: "chat.completion.chunk",
          created: 1,
          model: "gpt-4.1",
          choices: [{ index: 0, delta: { content: (i ? " " : "") + w }, finish_reason: null }],
        })
      }\n\n`
    );
    events.push(
      `data: ${
        JSON.stringify({
          id: "c1",
          object: "chat.completion.chunk",
          created: 1,
          model: "gpt-4.1",
          choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
        })
      }\n\ndata: [DONE]\n\n`,
    );
    return new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
  }
  await Promise.resolve();
  return Response.json({
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4.1",
    choices: [{ index: 0, message: { role: "assistant", content: ANSWER }, finish_reason: "stop" }],
  });
};

async function withApp(
  options: { host?: string; logs?: boolean },
  fn: (app: ReturnType<typeof createApp>, gw: Gateway) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sy-obs-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      requireApiKey: false,
      apiKeys: [{ name: "ops", key: ADMIN, scopes: ["admin"] }],
      connections: [{
        provider: "openai",
        name: "work",
        apiKey: "sk-upstream-secret-0000",
        baseUrl: "http://127.0.0.1:9/v1",
      }],
    }),
  );
  const env: Record<string, string> = { ENABLE_REQUEST_LOGS: options.logs ? "true" : "false" };
  const config = loadConfig({
    args: ["serve", "--data-dir", dir, "--config", file, "--host", options.host ?? "127.0.0.1"],
    env: (name) => env[name],
  });
  const gw = await createGateway(config, { fetch: upstream, logger: { log() {}, enabled: () => false } });
  try {
    await fn(createApp(gw), gw);
  } finally {
    gw.requestLog.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const admin = { headers: { authorization: `Bearer ${ADMIN}` } };

function chat(stream: boolean): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "openai/gpt-4.1",
      stream,
      messages: [{ role: "user", content: "Say something; my key is sk-client-leak-1234567890." }],
      metadata: { password: "hunter2-hunter2" },
    }),
  };
}

Deno.test("an upstream without usage gets an estimate marked as such, for JSON and streams", async () => {
  await withApp({}, async (app, gw) => {
    for (const stream of [false, true]) {
      const res = await app.request("/v1/chat/completions", chat(stream));
      assert.equal(res.status, 200);
      await res.text();
      const id = res.headers.get("x-request-id")!;
      const row = gw.db.prepare("SELECT * FROM usage WHERE request_id = ?").get(id) as Record<string, number>;
      assert.equal(row.estimated, 1, `stream=${stream}`);
      assert.ok(row.tokens_in >= 10 && row.tokens_in < 40, `input ${row.tokens_in}`);
      assert.equal(row.tokens_out, Math.ceil(ANSWER.length / 4), `stream=${stream}`);
      assert.ok(row.cost > 0);
    }
  });
});

Deno.test("/api/logs lists requests with filters, and the detail has the attempt trace and redacted bodies", async () => {
  await withApp({ logs: true }, async (app, gw) => {
    const ids: string[] = [];
    for (const stream of [false, true]) {
      const res = await app.request("/v1/chat/completions", chat(stream));
      await res.text();
      ids.push(res.headers.get("x-request-id")!);
    }
    gw.requestLog.flush();
    const list = await (await app.request("/api/logs?statusClass=2xx&provider=openai&limit=1", admin)).json();
    assert.equal(list.data.length, 1);
    assert.equal(list.data[0].requestId, ids[1]);
    const next = await (await app.request(`/api/logs?limit=5&cursor=${list.nextCursor}`, admin)).json();
    assert.deepEqual(next.data.map((r: { requestId: string }) => r.requestId), [ids[0]]);
    assert.equal(next.nextCursor, null);
    const none = await (await app.request("/api/logs?status=500", admin)).json();
    assert.deepEqual(none.data, []);
    assert.equal((await app.request("/api/logs?statusClass=9xx", admin)).status, 400);

    for (const [i, id] of ids.entries()) {
      const detail = await (await app.request(`/api/logs/${id}`, admin)).json();
      assert.deepEqual(detail.usage[0].attempts, [{
        provider: "openai",
        connection: "work",
        model: "gpt-4.1",
        status: 200,
      }]);
      assert.equal(detail.usage[0].tokens.estimated, true);
      const bodies = JSON.stringify(detail.bodies);
      assert.ok(!bodies.includes("1234567890") && !bodies.includes("hunter2"), bodies);
      assert.ok(!bodies.includes("sk-upstream-secret"));
      assert.ok(detail.bodies.response.includes(i === 0 ? "quick brown fox" : "data: "), detail.bodies.response);
    }
    assert.equal((await app.request("/api/logs/req_nope", admin)).status, 404);
    assert.equal((await app.request("/api/logs")).status, 401);
  });
});

Deno.test("without ENABLE_REQUEST_LOGS no bodies are kept", async () => {
  await withApp({}, async (app, gw) => {
    const res = await app.request("/v1/chat/completions", chat(false));
    await res.text();
    gw.requestLog.flush();
    const detail = await (await app.request(`/api/logs/${res.headers.get("x-request-id")}`, admin)).json();
    assert.equal(detail.bodies, null);
    assert.equal((gw.db.prepare("SELECT COUNT(*) AS n FROM request_bodies").get() as { n: number }).n, 0);
  });
});

Deno.test("/metrics is Prometheus text on loopback, and needs an admin key when bound elsewhere", async () => {
  await withApp({}, async (app) => {
    await (await app.request("/v1/chat/completions", chat(false))).text();
    await (await app.request("/v1/chat/completions", chat(true))).text();
    const res = await app.request("/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text()) as Array<
      { name: string; metrics: Array<{ labels?: Record<string, string>; value?: string }> }
    >;
    const byName = new Map(families.map((f) => [f.name, f]));
    const req = byName.get("switchyard_requests_total")!.metrics[0];
    assert.deepEqual(req.labels, { surface: "openai", provider: "openai", status_class: "2xx" });
    assert.equal(req.value, "2");
    assert.equal(byName.get("switchyard_usage_estimated_total")!.metrics[0].value, "2");
    const breaker = byName.get("switchyard_breaker_state")!.metrics[0];
    assert.deepEqual([breaker.labels, breaker.value], [{ provider: "openai", connection: "work" }, "0"]);
    for (const name of ["switchyard_request_duration_seconds", "switchyard_ttft_seconds", "switchyard_in_flight"]) {
      assert.ok(byName.has(name), name);
    }
    assert.equal((await app.request("/metrics", { headers: { "x-forwarded-for": "203.0.113.9" } })).status, 401);
  });
  await withApp({ host: "0.0.0.0" }, async (app) => {
    assert.equal((await app.request("/metrics")).status, 401);
    assert.equal((await app.request("/metrics", admin)).status, 200);
  });
});

Deno.test("/api/health reports p50/p95/p99 of latency and TTFT per provider/model over 5 and 60 minutes", async () => {
  await withApp({}, async (app) => {
    for (let i = 0; i < 3; i++) await (await app.request("/v1/chat/completions", chat(i === 2))).text();
    const health = await (await app.request("/api/health", admin)).json();
    assert.deepEqual(health.latency.windowsMinutes, [5, 60]);
    const entry = health.latency.models.find((m: { model: string }) => m.model === "gpt-4.1");
    assert.equal(entry.provider, "openai");
    assert.equal(entry.total["5m"].count, 3);
    assert.equal(entry.ttft["60m"].count, 3);
    for (const k of ["p50", "p95", "p99"]) assert.equal(typeof entry.total["60m"][k], "number");
    assert.ok(Array.isArray(health.connections));
  });
});
