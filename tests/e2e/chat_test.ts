/**
 * @module End to end through the real gateway process with the official OpenAI SDK as the client: chat
 * completions (JSON and SSE), tool-call deltas, errors in OpenAI's shape, fallback, limits, timeouts, aborts.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { DEFAULT_TEXT, DEFAULT_USAGE } from "../helpers/fake_openai.ts";
import { json, KEY_A, KEY_B, startStack } from "../helpers/stack.ts";
import { assertApiError } from "../helpers/openai_errors.ts";
import { usageFor } from "../helpers/usage_db.ts";

const USER = [{ role: "user" as const, content: "Say hello." }];

Deno.test("gateway proxies OpenAI chat completions end to end", async (t) => {
  const stack = await startStack({
    env: { MAX_BODY_MB: "1" },
    config: { aliases: { fast: "openai/gpt-4.1-mini" } },
  });
  const client = stack.client();
  try {
    await t.step("non-stream chat returns the upstream text, usage and switchyard headers", async () => {
      const { data, response } = await client.chat.completions.create({ model: "openai/gpt-4.1", messages: USER })
        .withResponse();
      assert.equal(data.choices[0].message.content, DEFAULT_TEXT);
      assert.equal(data.usage?.prompt_tokens, DEFAULT_USAGE.prompt_tokens);
      assert.equal(data.usage?.completion_tokens, DEFAULT_USAGE.completion_tokens);
      assert.match(response.headers.get("x-request-id") ?? "", /\S/);
      assert.equal(response.headers.get("x-switchyard-route"), "openai:a/gpt-4.1=200");
      assert.equal(response.headers.get("x-switchyard-tokens-in"), "11");
      const upstream = stack.fake.requests.at(-1)!;
      assert.equal((upstream.body as { model: string }).model, "gpt-4.1", "prefix stripped upstream");
      assert.equal(upstream.headers["authorization"], `Bearer ${KEY_A}`);
      const rows = usageFor(stack.gw.dataDir, response.headers.get("x-request-id")!);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].status, 200);
      assert.equal(rows[0].tokens_in, 11);
    });

    await t.step("an alias resolves to its target", async () => {
      const res = await client.chat.completions.create({ model: "fast", messages: USER });
      assert.equal(res.choices[0].message.content, DEFAULT_TEXT);
      assert.equal((stack.fake.requests.at(-1)!.body as { model: string }).model, "gpt-4.1-mini");
    });

    await t.step("stream chat assembles the text; the usage chunk is hidden unless asked, but recorded", async () => {
      const { data: stream, response } = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        stream: true,
      }).withResponse();
      let text = "";
      let usageChunks = 0;
      let finish: string | null = null;
      for await (const chunk of stream) {
        if (chunk.choices.length === 0 || chunk.usage) usageChunks++;
        for (const choice of chunk.choices) {
          text += choice.delta.content ?? "";
          finish = choice.finish_reason ?? finish;
        }
      }
      assert.equal(text, DEFAULT_TEXT);
      assert.equal(finish, "stop");
      assert.equal(usageChunks, 0, "client did not ask for usage but got a usage chunk");
      const upstream = stack.fake.requests.at(-1)!.body as { stream_options?: { include_usage?: boolean } };
      assert.equal(upstream.stream_options?.include_usage, true, "gateway must ask the upstream for usage");
      const rows = usageFor(stack.gw.dataDir, response.headers.get("x-request-id")!);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].stream, 1);
      assert.equal(rows[0].tokens_in, DEFAULT_USAGE.prompt_tokens);
      assert.equal(rows[0].tokens_out, DEFAULT_USAGE.completion_tokens);
    });

    await t.step("stream chat shows the usage chunk when the client asks for it", async () => {
      const stream = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: USER,
        stream: true,
        stream_options: { include_usage: true },
      });
      const usage = [];
      for await (const chunk of stream) if (chunk.usage) usage.push({ choices: chunk.choices.length, ...chunk.usage });
      assert.equal(usage.length, 1);
      assert.equal(usage[0].choices, 0);
      assert.equal(usage[0].prompt_tokens, DEFAULT_USAGE.prompt_tokens);
      assert.equal(usage[0].completion_tokens, DEFAULT_USAGE.completion_tokens);
    });

    await t.step("streamed tool-call deltas arrive intact through the SDK", async () => {
      const args = ['{"loc', 'ation": "Pa', 'ris", "unit"', ': "celsius"}'];
      const off = stack.fake.on({
        model: "tool-model",
        behavior: { kind: "tool_call", id: "call_abc123", name: "get_weather", argumentChunks: args },
      });
      try {
        const stream = await client.chat.completions.create({
          model: "openai/tool-model",
          messages: [{ role: "user", content: "Weather in Paris?" }],
          tools: [{
            type: "function",
            function: {
              name: "get_weather",
              parameters: { type: "object", properties: { location: { type: "string" } } },
            },
          }],
          stream: true,
        });
        const ids: string[] = [];
        const names: string[] = [];
        let joined = "";
        let finish: string | null = null;
        for await (const chunk of stream) {
          for (const choice of chunk.choices) {
            finish = choice.finish_reason ?? finish;
            for (const call of choice.delta.tool_calls ?? []) {
              assert.equal(call.index, 0);
              if (call.id) ids.push(call.id);
              if (call.function?.name) names.push(call.function.name);
              joined += call.function?.arguments ?? "";
            }
          }
        }
        assert.deepEqual(ids, ["call_abc123"]);
        assert.deepEqual(names, ["get_weather"]);
        assert.equal(joined, args.join(""));
        assert.deepEqual(JSON.parse(joined), { location: "Paris", unit: "celsius" });
        assert.equal(finish, "tool_calls");
      } finally {
        off();
      }
    });

    await t.step("an unknown bare model is a 404 model_not_found in OpenAI's shape", async () => {
      const before = stack.fake.requests.length;
      const err = await assertApiError(
        client.chat.completions.create({ model: "no-such-model", messages: USER }),
        404,
        "model_not_found",
      );
      assert.match(err.message, /no-such-model/);
      assert.equal(stack.fake.requests.length, before, "no upstream call for an unknown model");
    });

    await t.step("an upstream 400 passes through with its status and message, without fallback", async () => {
      const off = stack.fake.on({
        model: "bad-model",
        behavior: {
          kind: "error",
          status: 400,
          message: "Invalid 'messages[0].content': too long.",
          code: "context_length_exceeded",
        },
      });
      try {
        const before = stack.fake.requests.length;
        const err = await assertApiError(
          client.chat.completions.create({ model: "openai/bad-model", messages: USER }),
          400,
          "invalid_request",
        );
        assert.match(err.message, /Invalid 'messages\[0\]\.content': too long\./);
        assert.equal(err.headers?.get("x-switchyard-route"), "openai:a/bad-model=400");
        assert.equal(stack.fake.requests.length, before + 1);
      } finally {
        off();
      }
    });

    await t.step("an upstream 429 on the first connection falls back to the second", async () => {
      const off = stack.fake.on({
        model: "m",
        key: KEY_A,
        behavior: {
          kind: "error",
          status: 429,
          message: "Rate limit reached",
          type: "requests",
          code: "rate_limit_exceeded",
        },
      });
      try {
        const { data, response } = await client.chat.completions.create({ model: "openai/m", messages: USER })
          .withResponse();
        assert.equal(data.choices[0].message.content, DEFAULT_TEXT);
        assert.equal(response.headers.get("x-switchyard-route"), "openai:a/m=429, openai:b/m=200");
        const keys = stack.fake.requestsFor("m").map((r) => r.headers["authorization"]);
        assert.deepEqual(keys, [`Bearer ${KEY_A}`, `Bearer ${KEY_B}`]);
      } finally {
        off();
      }
    });

    await t.step("malformed JSON is a 400 invalid_request", async () => {
      const { status, body } = await json<{ error: Record<string, unknown> }>(
        await fetch(`${stack.gw.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"model": "openai/gpt-4.1", "messages": [',
        }),
      );
      assert.equal(status, 400);
      assert.equal(body.error.code, "invalid_request");
      assert.equal(body.error.type, "invalid_request_error");
    });

    await t.step("a schema violation (messages missing) is a 400 naming the field", async () => {
      const err = await assertApiError(
        client.chat.completions.create(
          { model: "openai/gpt-4.1" } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
        ),
        400,
        "invalid_request",
      );
      assert.match(err.message, /messages/);
      assert.equal((err.error as { param: string }).param, "messages");
    });

    await t.step("a body over MAX_BODY_MB is a 413 payload_too_large", async () => {
      const before = stack.fake.requests.length;
      const big = "x".repeat(1024 * 1024 + 10);
      const err = await assertApiError(
        client.chat.completions.create({ model: "openai/gpt-4.1", messages: [{ role: "user", content: big }] }),
        413,
        "payload_too_large",
      );
      assert.ok(err);
      assert.equal(stack.fake.requests.length, before);
      // Just under the limit passes.
      const ok = await client.chat.completions.create({
        model: "openai/gpt-4.1",
        messages: [{ role: "user", content: "y".repeat(900 * 1024) }],
      });
      assert.equal(ok.choices[0].message.content, DEFAULT_TEXT);
    });

    /** An upstream that sends no headers for 8 s: requestTimeoutMs must end the wait with a 504 well before. */
    const assertTimesOut = async (model: string, stream: boolean): Promise<void> => {
      const off = stack.fake.on({ model, behavior: { kind: "hang", delayMs: 8000 } });
      try {
        const started = Date.now();
        const err = await assertApiError(
          client.chat.completions.create({ model: `openai/${model}`, messages: USER, stream }),
          504,
          "upstream_timeout",
        );
        assert.ok(err);
        assert.ok(Date.now() - started < 6000, "the timeout did not cut the wait short");
      } finally {
        off();
      }
    };

    await t.step("an upstream that does not answer in requestTimeoutMs is a 504 upstream_timeout", async () => {
      await assertTimesOut("slow-model", false);
    });

    await t.step("a stream whose upstream sends no headers in requestTimeoutMs is a 504 too", async () => {
      await assertTimesOut("slow-stream", true);
    });

    await t.step("every response carries x-request-id", async () => {
      const responses = await Promise.all([
        fetch(`${stack.gw.url}/healthz`),
        fetch(`${stack.gw.url}/v1/models`),
        fetch(`${stack.gw.url}/nope`),
        fetch(`${stack.gw.url}/api/keys`),
        fetch(`${stack.gw.url}/`, { redirect: "manual" }),
        fetch(`${stack.gw.url}/v1/chat/completions`, { method: "POST", body: "{" }),
      ]);
      const ids = new Set<string>();
      for (const res of responses) {
        await res.body?.cancel();
        const id = res.headers.get("x-request-id");
        assert.ok(id, `${res.url} (${res.status}) has no x-request-id`);
        ids.add(id);
      }
      assert.equal(ids.size, responses.length, "request ids must differ");
    });

    await t.step("GET /v1/models lists openai/ models (with a connection), not providers without one", async () => {
      const models = await client.models.list();
      const ids = models.data.map((m) => m.id);
      assert.ok(ids.includes("openai/gpt-4.1"), "openai/gpt-4.1 missing");
      assert.ok(ids.includes("fast"), "alias missing");
      assert.ok(!ids.some((id) => id.startsWith("anthropic/") || id.startsWith("ds/")), ids.join(", "));
    });

    await t.step("a client abort reaches the upstream", async () => {
      const off = stack.fake.on({ model: "trickle-model", behavior: { kind: "trickle", intervalMs: 100, count: 200 } });
      try {
        const controller = new AbortController();
        const stream = await client.chat.completions.create(
          { model: "openai/trickle-model", messages: USER, stream: true },
          { signal: controller.signal },
        );
        let chunks = 0;
        try {
          for await (const _chunk of stream) {
            if (++chunks === 3) controller.abort();
          }
        } catch (err) {
          assert.ok(err instanceof Error && /abort/i.test(`${err.name} ${err.message}`), String(err));
        }
        const upstream = stack.fake.requestsFor("trickle-model");
        assert.equal(upstream.length, 1);
        await stack.fake.waitFor(() => upstream[0].aborted, 5000, "the upstream stream to be aborted");
        assert.equal(upstream[0].completed, false);
      } finally {
        off();
      }
    });
  } finally {
    await stack.stop();
  }
});
