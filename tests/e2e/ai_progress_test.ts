/**
 * @module End to end through the real gateway process: `x-switchyard-progress: true` gives a streaming client
 * its format's progress events (SSE comments; Anthropic `ping`) before the first token while the gateway falls
 * back from a hung connection, and a failure after that point arrives as the format's error event.
 */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { DEFAULT_TEXT } from "../helpers/fake_openai.ts";
import { DEV_KEY, KEY_A, KEY_B, startStack } from "../helpers/stack.ts";

const USER = [{ role: "user" as const, content: "Say hello." }];

Deno.test("progress events arrive before the first token during a slow fallback", async (t) => {
  // Connection a hangs past the 1 s request timeout; the gateway then falls back to b.
  const stack = await startStack({ settings: { resilience: { requestTimeoutMs: 1000, heartbeatMs: 300 } } });
  const post = (path: string, body: unknown, progress = true) =>
    fetch(`${stack.gw.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${DEV_KEY}`,
        "content-type": "application/json",
        ...(progress ? { "x-switchyard-progress": "true" } : {}),
      },
      body: JSON.stringify(body),
    });
  try {
    await t.step("without the header nothing changes: a failure is a JSON error with its status", async () => {
      const removeA = stack.fake.on({ key: KEY_A, behavior: { kind: "error", status: 503, message: "down a" } });
      const removeB = stack.fake.on({ key: KEY_B, behavior: { kind: "error", status: 503, message: "down b" } });
      try {
        const res = await post(
          "/v1/chat/completions",
          { model: "openai/gpt-4.1", messages: USER, stream: true },
          false,
        );
        assert.equal(res.status, 503);
        assert.match(res.headers.get("content-type") ?? "", /application\/json/);
        await res.body?.cancel();
      } finally {
        removeA();
        removeB();
      }
    });
    await t.step("OpenAI: SSE comments at once, on the fallback, then the answer", async () => {
      const remove = stack.fake.on({ key: KEY_A, behavior: { kind: "hang", delayMs: 5000 } });
      try {
        const started = Date.now();
        const res = await post("/v1/chat/completions", { model: "openai/gpt-4.1", messages: USER, stream: true });
        assert.equal(res.status, 200);
        assert.ok(Date.now() - started < 900, "headers before the first attempt timed out");
        const text = await res.text();
        const firstData = text.indexOf("data: ");
        const before = text.slice(0, firstData);
        assert.match(before, /^: progress waiting/);
        assert.match(before, /: progress attempt 2: openai\/gpt-4\.1/, "the fallback is announced");
        assert.match(before, /: progress still waiting/, "periodic events while the hung attempt waits");
        assert.match(text, /data: \[DONE\]/);
      } finally {
        remove();
      }
    });

    await t.step("the official SDKs read through progress events (OpenAI comments, Anthropic ping)", async () => {
      const remove = stack.fake.on({ key: KEY_A, behavior: { kind: "hang", delayMs: 5000 } });
      try {
        const openai = new OpenAI({
          apiKey: DEV_KEY,
          baseURL: `${stack.gw.url}/v1`,
          maxRetries: 0,
          defaultHeaders: { "x-switchyard-progress": "true" },
        });
        let text = "";
        const stream = await openai.chat.completions.create({ model: "openai/gpt-4.1", messages: USER, stream: true });
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
        assert.equal(text, DEFAULT_TEXT);

        const raw = await post("/v1/messages", {
          model: "openai/gpt-4.1",
          max_tokens: 100,
          stream: true,
          messages: USER,
        });
        const sse = await raw.text();
        assert.match(sse.slice(0, sse.indexOf("message_start")), /^event: ping\ndata: \{"type":"ping"\}/);

        const anthropic = new Anthropic({
          apiKey: DEV_KEY,
          baseURL: stack.gw.url,
          maxRetries: 0,
          defaultHeaders: { "x-switchyard-progress": "true" },
        });
        const message = await anthropic.messages.stream({ model: "openai/gpt-4.1", max_tokens: 100, messages: USER })
          .finalMessage();
        assert.equal(message.content[0].type === "text" ? message.content[0].text : "", DEFAULT_TEXT);
      } finally {
        remove();
      }
    });

    await t.step(
      "when every candidate fails after progress went out, the stream ends with an error event",
      async () => {
        const removeA = stack.fake.on({ key: KEY_A, behavior: { kind: "hang", delayMs: 5000 } });
        const removeB = stack.fake.on({ key: KEY_B, behavior: { kind: "error", status: 503, message: "overloaded" } });
        try {
          const res = await post("/v1/chat/completions", { model: "openai/gpt-4.1", messages: USER, stream: true });
          assert.equal(res.status, 200, "the status line went out with the first progress event");
          const text = await res.text();
          assert.match(text, /^: progress/);
          assert.match(text, /data: \{"error":\{"message":"overloaded"/);
          assert.doesNotMatch(text, /\[DONE\]/);

          const anthropic = await post("/v1/messages", {
            model: "openai/gpt-4.1",
            max_tokens: 100,
            stream: true,
            messages: USER,
          });
          assert.match(
            await anthropic.text(),
            /event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"overloaded"/,
          );

          const openai = new OpenAI({
            apiKey: DEV_KEY,
            baseURL: `${stack.gw.url}/v1`,
            maxRetries: 0,
            defaultHeaders: { "x-switchyard-progress": "true" },
          });
          await assert.rejects(async () => {
            const stream = await openai.chat.completions.create({
              model: "openai/gpt-4.1",
              messages: USER,
              stream: true,
            });
            for await (const _ of stream) { /* drain */ }
          }, (err: unknown) => err instanceof OpenAI.APIError && /overloaded/.test(err.message));
        } finally {
          removeA();
          removeB();
        }
      },
    );
  } finally {
    await stack.stop();
  }
});
