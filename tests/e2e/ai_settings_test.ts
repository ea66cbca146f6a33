/**
 * @module End to end with the official SDKs against fake OpenAI, Anthropic and Gemini upstreams (in-process
 * gateway on 127.0.0.1): the global system prompt lands in each format's own system slot (pass-through and
 * translated, prepend and append, per-key opt-out), thinking modes reach each format's thinking controls, and
 * prompt-cache tokens read/written are reported per provider.
 */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import { type FakeUpstream, startFakeUpstream, type Vendor } from "../helpers/fake_upstreams.ts";

const ADMIN = "sy-admin-ai-settings-0123456789abcd";
const DEV = "sy-dev-ai-settings-00112233445566778";
const OPTOUT = "sy-optout-ai-settings-998877665544332";
const RULES = "GATEWAY-RULES: answer in English.";
const HI = "Hi there";

type Obj = Record<string, unknown>;

async function withVendors(
  fn: (ctx: {
    url: string;
    fakes: Record<Vendor, FakeUpstream>;
    patch(settings: Obj): Promise<void>;
  }) => Promise<void>,
): Promise<void> {
  const vendors: Vendor[] = ["openai", "anthropic", "gemini"];
  const fakes = Object.fromEntries(vendors.map((v) => [v, startFakeUpstream(v)])) as Record<Vendor, FakeUpstream>;
  const dir = await Deno.makeTempDir({ prefix: "switchyard-ai-settings-" });
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      apiKeys: [
        { name: "ops", key: ADMIN, scopes: ["admin"] },
        { name: "dev", key: DEV, scopes: ["inference"] },
        { name: "optout", key: OPTOUT, scopes: ["inference"], options: { noSystemPrompt: true } },
      ],
      connections: vendors.map((v) => ({
        provider: v,
        name: "fake",
        apiKey: `fake-${v}-key-0000`,
        baseUrl: fakes[v].baseUrl,
      })),
    }),
  );
  const config = loadConfig({
    args: ["serve", "--port", "0", "--data-dir", `${dir}/data`, "--config", `${dir}/config.json`],
    env: (name) => ({ LOG_LEVEL: "error" } as Record<string, string>)[name],
  });
  const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, createApp(gw).fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    await fn({
      url,
      fakes,
      async patch(settings) {
        const res = await fetch(`${url}/api/settings`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
          body: JSON.stringify(settings),
        });
        assert.equal(res.status, 200, await res.text());
      },
    });
  } finally {
    await server.shutdown();
    for (const v of vendors) await fakes[v].close();
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function clients(url: string, key: string) {
  return {
    openai: new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 }),
    gemini: new GoogleGenAI({
      apiKey: key,
      httpOptions: { baseUrl: url, apiVersion: "v1beta", retryOptions: { attempts: 1 } },
    }),
  };
}

function lastBody(fake: FakeUpstream): Obj {
  return fake.requests.at(-1)!.body;
}

Deno.test("AI settings: system prompt per format, thinking modes, prompt-cache stats", async (t) => {
  await withVendors(async ({ url, fakes, patch }) => {
    const c = clients(url, DEV);
    await t.step("with no settings the bodies pass through untouched", async () => {
      await c.openai.chat.completions.create({ model: "openai/gpt-4.1", messages: [{ role: "user", content: HI }] });
      assert.deepEqual(lastBody(fakes.openai).messages, [{ role: "user", content: HI }]);
    });

    await patch({ ai: { systemPrompt: RULES, systemPromptMode: "prepend" } });

    await t.step("OpenAI pass-through: a system message first (prepend) or after the client's (append)", async () => {
      const messages = [{ role: "system" as const, content: "client system" }, { role: "user" as const, content: HI }];
      await c.openai.chat.completions.create({ model: "openai/gpt-4.1", messages });
      assert.deepEqual(lastBody(fakes.openai).messages, [{ role: "system", content: RULES }, ...messages]);
      await patch({ ai: { systemPromptMode: "append" } });
      await c.openai.chat.completions.create({ model: "openai/gpt-4.1", messages });
      assert.deepEqual(lastBody(fakes.openai).messages, [messages[0], { role: "system", content: RULES }, messages[1]]);
      await patch({ ai: { systemPromptMode: "prepend" } });
    });

    await t.step("Anthropic pass-through: in `system` (string joined, block array extended)", async () => {
      await c.anthropic.messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 200,
        system: "client system",
        messages: [{ role: "user", content: HI }],
      });
      assert.equal(lastBody(fakes.anthropic).system, `${RULES}\n\nclient system`);
      await c.anthropic.messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 200,
        system: [{ type: "text", text: "cached", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: HI }],
      });
      assert.deepEqual(lastBody(fakes.anthropic).system, [
        { type: "text", text: RULES },
        { type: "text", text: "cached", cache_control: { type: "ephemeral" } },
      ]);
    });

    await t.step("Gemini pass-through: a part of systemInstruction", async () => {
      await c.gemini.models.generateContent({
        model: "gemini/gemini-2.5-flash",
        contents: HI,
        config: { systemInstruction: "client system" },
      });
      const si = lastBody(fakes.gemini).systemInstruction as { parts: Array<{ text: string }> };
      assert.deepEqual(si.parts.map((p) => p.text), [RULES, "client system"]);
    });

    await t.step(
      "translated requests get it in the target's system slot (Responses→OpenAI, OpenAI→Anthropic)",
      async () => {
        await c.openai.responses.create({ model: "openai/gpt-4.1", instructions: "client system", input: HI });
        const sent = lastBody(fakes.openai).messages as Array<{ role: string; content: string }>;
        assert.equal(sent[0].role, "system");
        assert.match(JSON.stringify(sent.filter((m) => m.role === "system")), /GATEWAY-RULES[\s\S]*client system/);
        await c.openai.chat.completions.create({
          model: "anthropic/claude-sonnet-4-5",
          messages: [{ role: "user", content: HI }],
        });
        assert.match(JSON.stringify(lastBody(fakes.anthropic).system), /GATEWAY-RULES/);
        assert.doesNotMatch(JSON.stringify(lastBody(fakes.anthropic).messages), /GATEWAY-RULES/, "never in a turn");
      },
    );

    await t.step("a key with options.noSystemPrompt gets none", async () => {
      await clients(url, OPTOUT).anthropic.messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 200,
        messages: [{ role: "user", content: HI }],
      });
      assert.equal(lastBody(fakes.anthropic).system, undefined);
    });

    await patch({ ai: { systemPrompt: "", thinkingMode: "budget", thinkingBudget: 2048 } });

    await t.step("thinkingMode budget: each format's own thinking control", async () => {
      await c.anthropic.messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 8000,
        messages: [{ role: "user", content: HI }],
      });
      assert.deepEqual(lastBody(fakes.anthropic).thinking, { type: "enabled", budget_tokens: 2048 });
      await c.gemini.models.generateContent({ model: "gemini/gemini-2.5-flash", contents: HI });
      const gc = lastBody(fakes.gemini).generationConfig as { thinkingConfig: Obj };
      assert.equal(gc.thinkingConfig.thinkingBudget, 2048);
      await c.openai.chat.completions.create({ model: "openai/gpt-4.1", messages: [{ role: "user", content: HI }] });
      assert.equal(lastBody(fakes.openai).reasoning_effort, "low");
      // Translated: the budget stays exact in the target's terms.
      await c.openai.chat.completions.create({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: HI }],
      });
      assert.deepEqual(lastBody(fakes.anthropic).thinking, { type: "enabled", budget_tokens: 2048 });
    });

    await t.step("thinkingMode off and effort", async () => {
      await patch({ ai: { thinkingMode: "off" } });
      await c.anthropic.messages.create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 8000,
        thinking: { type: "enabled", budget_tokens: 4000 },
        messages: [{ role: "user", content: HI }],
      });
      assert.deepEqual(lastBody(fakes.anthropic).thinking, { type: "disabled" });
      await c.gemini.models.generateContent({ model: "gemini/gemini-2.5-flash", contents: HI });
      assert.equal(
        (lastBody(fakes.gemini).generationConfig as { thinkingConfig: Obj }).thinkingConfig.thinkingBudget,
        0,
      );
      await patch({ ai: { thinkingMode: "effort", thinkingEffort: "high" } });
      await c.openai.responses.create({ model: "openai/gpt-4.1", input: HI });
      assert.equal(lastBody(fakes.openai).reasoning_effort, "high");
      await patch({ ai: { thinkingMode: "passthrough" } });
    });

    await t.step("GET /api/usage/cache-stats: prompt-cache tokens read and written per provider", async () => {
      const res = await fetch(`${url}/api/usage/cache-stats`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(res.status, 200);
      const body = await res.json() as { data: Array<Obj>; total: Obj };
      const anthropic = body.data.find((r) => r.provider === "anthropic")!;
      const n = anthropic.requests as number;
      assert.ok(n >= 5, `anthropic requests ${n}`);
      // The fake reports 1200 tokens read from and 6 written to its prompt cache on every answer.
      assert.equal(anthropic.cacheReadTokens, 1200 * n);
      assert.equal(anthropic.cacheWriteTokens, 6 * n);
      assert.equal(anthropic.id, "anthropic");
      const openai = body.data.find((r) => r.provider === "openai")!;
      assert.equal(openai.cacheWriteTokens, 0);
      assert.equal(body.total.cacheReadTokens, body.data.reduce((s, r) => s + (r.cacheReadTokens as number), 0));
    });
  });
});
