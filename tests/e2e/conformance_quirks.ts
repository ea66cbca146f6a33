/**
 * @module Conformance checks outside the matrix: mid-stream upstream failures, vendor headers on Anthropic
 * pass-through, and the shapes real coding CLIs send (Claude Code, Codex, Cline, Gemini CLI; see
 * shared/reference/clients.md), each through the official SDK where the CLI uses one.
 */
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { ANTHROPIC_FAKE, ANTHROPIC_TOTAL_INPUT } from "../helpers/fake_anthropic.ts";
import { OPENAI_FAKE } from "../helpers/fake_openai_conformance.ts";
import type { Scenario, Vendor } from "../helpers/fake_upstreams.ts";
import { makeDrivers, sdkError, SURFACES, SYSTEM_PROMPT, TOOL_SCHEMA } from "./conformance_clients.ts";
import { GATEWAY_KEY, type Harness, MODELS, UPSTREAM_KEYS } from "./conformance_harness.ts";
import { upstreamView } from "./conformance_upstream.ts";

type Obj = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
type Loose = any;

const VENDORS: Vendor[] = ["openai", "anthropic", "gemini"];

function clients(h: Harness): { openai: OpenAI; anthropic: Anthropic } {
  return {
    openai: new OpenAI({ apiKey: GATEWAY_KEY, baseURL: `${h.url}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: GATEWAY_KEY, baseURL: h.url, maxRetries: 0 }),
  };
}

function only(h: Harness, vendor: Vendor, count = 1): Harness["fakes"][Vendor]["requests"] {
  const reqs = h.fakes[vendor].requests;
  assert.equal(reqs.length, count, `${vendor} upstream received ${reqs.length} requests`);
  return reqs;
}

/**
 * A stream that breaks off (body ends before the vendor's final event, the vendor's in-stream error event, or a reset
 * connection) must make every SDK throw.
 */
async function midStream(h: Harness, t: Deno.TestContext): Promise<void> {
  const drivers = makeDrivers(h.url, GATEWAY_KEY);
  for (const surface of SURFACES) {
    for (const vendor of VENDORS) {
      // A reset connection reads the same for every client format, and Deno.serve logs each one: one surface suffices.
      const modes: Scenario[] = surface === "chat"
        ? ["midstream_close", "midstream_event", "midstream_reset"]
        : ["midstream_close", "midstream_event"];
      for (const mode of modes) {
        await t.step(`${surface} → ${vendor}: ${mode}`, async () => {
          h.resetFakes();
          h.fakes[vendor].queue(mode);
          let caught: unknown;
          try {
            await drivers[surface].send({
              model: MODELS[vendor].gateway,
              system: SYSTEM_PROMPT,
              turns: [{ role: "user", text: "Say hello." }],
            }, true);
          } catch (err) {
            caught = err;
          }
          assert.ok(caught !== undefined, "the SDK stream must throw, not finish cleanly");
          const e = sdkError(surface, caught);
          assert.ok(!e.cls.startsWith("not "), `an error in the client's format, got ${e.cls}: ${e.message}`);
          only(h, vendor);
        });
      }
    }
  }
}

async function anthropicBetaPassThrough(h: Harness): Promise<void> {
  const { anthropic } = clients(h);
  h.fakes.anthropic.queue("text");
  const msg: Loose = await anthropic.beta.messages.create({
    model: MODELS.anthropic.gateway,
    max_tokens: 1024,
    betas: ["interleaved-thinking-2025-05-14", "context-management-2025-06-27"],
    messages: [{ role: "user", content: "Say hello." }],
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
  } as Loose, { query: { beta: "true" } }); // Claude Code's own SDK build adds `?beta=true`; this one needs asking.
  assert.equal(msg.content[0].text, ANTHROPIC_FAKE.text);
  const [req] = only(h, "anthropic");
  assert.equal(req.path, "/v1/messages");
  assert.ok(req.search.split("&").includes("beta=true"), `?beta=true reaches the upstream (got ?${req.search})`);
  assert.equal(req.headers["anthropic-beta"], "interleaved-thinking-2025-05-14,context-management-2025-06-27");
  assert.ok(req.headers["anthropic-version"], "anthropic-version sent upstream (the client's own)");
  assert.equal(req.headers["x-api-key"], UPSTREAM_KEYS.anthropic, "the connection's key, not the client's");
  assert.deepEqual(req.body.context_management, { edits: [{ type: "clear_thinking_20251015", keep: "all" }] });
  assert.equal(req.body.model, MODELS.anthropic.upstream);
}

async function claudeCodeSystemMessage(h: Harness): Promise<void> {
  const { anthropic } = clients(h);
  h.fakes.openai.queue("text");
  const env = "<env>Working directory: /tmp/project\nPlatform: linux</env>";
  const stream = anthropic.messages.stream({
    model: MODELS.openai.gateway,
    max_tokens: 32000,
    system: [{ type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: "hi" },
      { role: "system", content: env },
      { role: "assistant", content: "Hello! What can I do?" },
      { role: "user", content: "Read the file." },
    ],
  } as Loose);
  const msg = await stream.finalMessage();
  assert.equal((msg.content[0] as Loose).text, OPENAI_FAKE.text);
  const [req] = only(h, "openai");
  const messages = req.body.messages as Obj[];
  assert.deepEqual(messages.map((m) => m.role), ["system", "user", "system", "assistant", "user"]);
  assert.equal(messages[2].content, env, "Claude Code's system message stays a system message, in place");
  assert.ok(!messages.some((m) => m.role === "assistant" && JSON.stringify(m.content).includes("Working directory")));
}

async function codexDeveloperMessages(h: Harness): Promise<void> {
  const { openai } = clients(h);
  h.fakes.anthropic.queue("text");
  const dev1 = "You are Codex, a coding agent. Follow the repository's AGENTS.md.";
  const dev2 = "<permissions instructions>sandbox: read-only; approval: never</permissions instructions>";
  const s: Loose = await openai.responses.create({
    model: MODELS.anthropic.gateway,
    stream: true,
    store: false,
    input: [
      { type: "message", role: "developer", content: [{ type: "input_text", text: dev1 }] },
      { type: "message", role: "developer", content: [{ type: "input_text", text: dev2 }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "List the files." }] },
    ],
    tools: [{ type: "function", name: "exec_command", parameters: TOOL_SCHEMA, strict: false }],
    tool_choice: "auto",
    parallel_tool_calls: true,
    reasoning: { summary: "auto" },
    include: ["reasoning.encrypted_content"],
    prompt_cache_key: "conformance-session",
  } as Loose);
  let completed = false;
  for await (const ev of s) if (ev.type === "response.completed") completed = true;
  assert.ok(completed, "response.completed");
  const [req] = only(h, "anthropic");
  const v = upstreamView("anthropic", req);
  assert.deepEqual(v.system, [dev1, dev2], "both developer messages in Anthropic's system, in order");
  assert.deepEqual(v.roles, ["user"]);
  assert.ok(!JSON.stringify(req.body.messages).includes("Codex"), "developer text is not a message");
}

async function clineSystemMessage(h: Harness): Promise<void> {
  const { openai } = clients(h);
  h.fakes.anthropic.queue("text");
  const system = "You are Cline, a highly skilled software engineer.";
  const s: Loose = await openai.chat.completions.create({
    model: MODELS.anthropic.gateway,
    messages: [{ role: "system", content: system }, { role: "user", content: "Read README.md" }],
    tools: [{ type: "function", function: { name: "read_files", parameters: TOOL_SCHEMA } }],
    tool_choice: "auto",
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  for await (const c of s) text += c.choices[0]?.delta?.content ?? "";
  assert.equal(text, ANTHROPIC_FAKE.text);
  const [req] = only(h, "anthropic");
  const v = upstreamView("anthropic", req);
  assert.deepEqual(v.system, [system], "Cline's system message in Anthropic's system");
  assert.deepEqual(v.roles, ["user"]);
  assert.equal(v.tools[0].name, "read_files");
}

async function webSearchDropped(h: Harness): Promise<void> {
  const { openai } = clients(h);
  h.fakes.openai.queue("text");
  const { data, response } = await openai.responses.create({
    model: MODELS.openai.gateway,
    input: "What happened today?",
    tools: [
      { type: "function", name: "get_weather", parameters: TOOL_SCHEMA, strict: false },
      { type: "web_search", external_web_access: false } as Loose,
    ],
  }).withResponse();
  assert.equal(data.output_text, OPENAI_FAKE.text);
  const dropped = response.headers.get("x-switchyard-dropped") ?? "";
  assert.ok(dropped.includes("web_search"), `x-switchyard-dropped names web_search (got "${dropped}")`);
  const [req] = only(h, "openai");
  const tools = req.body.tools as Obj[];
  assert.deepEqual(tools.map((t) => (t.function as Obj)?.name), ["get_weather"], "only the function tool upstream");
}

async function geminiCliPathForm(h: Harness): Promise<void> {
  h.fakes.openai.queue("text");
  const res = await fetch(`${h.url}/v1beta/models/openai/gpt-4.1:streamGenerateContent?alt=sse`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-goog-api-key": GATEWAY_KEY,
      "x-goog-api-client": "google-genai-sdk/1.30.0 gl-node/v20.20.2",
    },
    body: JSON.stringify({
      contents: [{ role: "user", parts: [{ text: "Read the README." }] }],
      systemInstruction: { role: "user", parts: [{ text: SYSTEM_PROMPT }] },
      tools: [{ functionDeclarations: [{ name: "read_file", parametersJsonSchema: TOOL_SCHEMA }] }],
      generationConfig: { temperature: 1, topP: 0.95, topK: 64, thinkingConfig: { includeThoughts: true } },
    }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const body = await res.text();
  let text = "";
  let finish = "";
  for (const line of body.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    const chunk = JSON.parse(line.slice(5)) as Loose;
    assert.ok(!chunk.error, `no error chunk: ${line}`);
    for (const p of chunk.candidates?.[0]?.content?.parts ?? []) text += p.text ?? "";
    finish = chunk.candidates?.[0]?.finishReason ?? finish;
  }
  assert.equal(text, OPENAI_FAKE.text);
  assert.equal(finish, "STOP");
  const [req] = only(h, "openai");
  const v = upstreamView("openai", req);
  assert.equal(v.model, "gpt-4.1");
  assert.deepEqual(v.system, [SYSTEM_PROMPT]);
  assert.deepEqual(v.tools.map((t) => t.name), ["read_file"]);
}

async function anthropicUsageForChat(h: Harness): Promise<void> {
  const { openai } = clients(h);
  h.fakes.anthropic.queue("text", "text");
  const params = { model: MODELS.anthropic.gateway, messages: [{ role: "user" as const, content: "hi" }] };
  const { data, response } = await openai.chat.completions.create(params).withResponse();
  assert.equal(data.usage?.prompt_tokens, ANTHROPIC_TOTAL_INPUT, "prompt_tokens counts cache reads and writes");
  assert.equal(data.usage?.prompt_tokens_details?.cached_tokens, ANTHROPIC_FAKE.usage.cache_read_input_tokens);
  assert.equal(data.usage?.completion_tokens, ANTHROPIC_FAKE.usage.output_tokens);
  assert.equal(response.headers.get("x-switchyard-tokens-in"), String(ANTHROPIC_TOTAL_INPUT));
  const s = await openai.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  let streamed: Loose;
  for await (const c of s) if (c.usage) streamed = c.usage;
  assert.equal(streamed?.prompt_tokens, ANTHROPIC_TOTAL_INPUT, "streamed prompt_tokens counts the cache too");
  const rows = h.gw.db.prepare("SELECT tokens_in, tokens_cached, stream FROM usage ORDER BY id DESC LIMIT 2")
    .all() as Array<{ tokens_in: number; tokens_cached: number; stream: number }>;
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.equal(row.tokens_in, ANTHROPIC_TOTAL_INPUT, `usage row (stream=${row.stream}) logs the real input`);
    assert.equal(row.tokens_cached, ANTHROPIC_FAKE.usage.cache_read_input_tokens);
  }
}

export const QUIRKS: Array<{ name: string; run: (h: Harness, t: Deno.TestContext) => Promise<void> }> = [
  {
    name: "a mid-stream upstream failure reaches every SDK as its format's error, never a clean finish",
    run: midStream,
  },
  { name: "anthropic-beta and ?beta=true pass through on Anthropic → Anthropic", run: anthropicBetaPassThrough },
  {
    name: "Claude Code's role:system message reaches an OpenAI upstream as a system message",
    run: claudeCodeSystemMessage,
  },
  { name: "Codex's two developer messages reach an Anthropic upstream in system", run: codexDeveloperMessages },
  { name: "Cline's system message reaches Anthropic's system", run: clineSystemMessage },
  {
    name: "a Responses web_search tool to a Chat upstream is dropped and named in x-switchyard-dropped",
    run: webSearchDropped,
  },
  { name: "Gemini CLI's path form /v1beta/models/openai/gpt-4.1:streamGenerateContent works", run: geminiCliPathForm },
  {
    name: "usage from an Anthropic upstream serving a Chat client counts cache tokens as input",
    run: anthropicUsageForChat,
  },
];
