/**
 * @module The cells of the conformance matrix: one function per behaviour, run for every (client surface ×
 * upstream vendor) pair. Each asserts what the client SDK got and what the fake upstream received.
 */
import assert from "node:assert/strict";
import { ANTHROPIC_FAKE, ANTHROPIC_TOTAL_INPUT } from "../helpers/fake_anthropic.ts";
import { GEMINI_FAKE } from "../helpers/fake_gemini.ts";
import { OPENAI_FAKE } from "../helpers/fake_openai_conformance.ts";
import type { RecordedRequest, Vendor } from "../helpers/fake_upstreams.ts";
import { SHARED } from "../helpers/fake_wire.ts";
import {
  type ClientDriver,
  IMAGE_URL,
  PNG_BASE64,
  sdkError,
  SYSTEM_PROMPT,
  THINKING_BUDGET,
  TOOL_SCHEMA,
  type Turn,
} from "./conformance_clients.ts";
import { type Harness, MODELS } from "./conformance_harness.ts";
import { type UpstreamView, upstreamView } from "./conformance_upstream.ts";

export interface CellContext {
  h: Harness;
  driver: ClientDriver;
  vendor: Vendor;
}

/** What each fake answers, as a client should see it (input counts cache reads/writes; output counts reasoning). */
export const EXPECT: Record<Vendor, {
  text: string;
  toolCallId: string;
  usage: { input: number; output: number };
  thinkingUsage: { input: number; output: number };
  thinking: string;
  error429: string;
  error400: string;
}> = {
  openai: {
    text: OPENAI_FAKE.text,
    toolCallId: OPENAI_FAKE.toolCallId,
    usage: { input: OPENAI_FAKE.usage.prompt_tokens, output: OPENAI_FAKE.usage.completion_tokens },
    thinkingUsage: {
      input: OPENAI_FAKE.usage.prompt_tokens,
      output: OPENAI_FAKE.usage.completion_tokens + OPENAI_FAKE.reasoningTokens,
    },
    thinking: OPENAI_FAKE.reasoning,
    error429: OPENAI_FAKE.error429,
    error400: OPENAI_FAKE.error400,
  },
  anthropic: {
    text: ANTHROPIC_FAKE.text,
    toolCallId: ANTHROPIC_FAKE.toolCallId,
    usage: { input: ANTHROPIC_TOTAL_INPUT, output: ANTHROPIC_FAKE.usage.output_tokens },
    thinkingUsage: { input: ANTHROPIC_TOTAL_INPUT, output: ANTHROPIC_FAKE.usage.output_tokens },
    thinking: ANTHROPIC_FAKE.thinking,
    error429: ANTHROPIC_FAKE.error429,
    error400: ANTHROPIC_FAKE.error400,
  },
  gemini: {
    text: GEMINI_FAKE.text,
    toolCallId: GEMINI_FAKE.toolCallId,
    usage: { input: GEMINI_FAKE.usage.promptTokenCount, output: GEMINI_FAKE.usage.candidatesTokenCount },
    thinkingUsage: {
      input: GEMINI_FAKE.usage.promptTokenCount,
      output: GEMINI_FAKE.usage.candidatesTokenCount + GEMINI_FAKE.thoughtsTokenCount,
    },
    thinking: GEMINI_FAKE.thought,
    error429: GEMINI_FAKE.error429,
    error400: GEMINI_FAKE.error400,
  },
};

/** The requests the vendor's fake received since the last reset, exactly `count` of them. */
function received(ctx: CellContext, count: number): RecordedRequest[] {
  const reqs = ctx.h.fakes[ctx.vendor].requests;
  assert.equal(reqs.length, count, `upstream ${ctx.vendor} received ${reqs.length} requests, expected ${count}`);
  return reqs;
}

function view(ctx: CellContext, req: RecordedRequest): UpstreamView {
  return upstreamView(ctx.vendor, req);
}

/** Model without prefix, system text in the system slot and nowhere else. */
function assertBasics(ctx: CellContext, v: UpstreamView, stream: boolean): void {
  assert.equal(v.model, MODELS[ctx.vendor].upstream, "upstream model id (prefix stripped)");
  assert.deepEqual(v.system, [SYSTEM_PROMPT], "system prompt in the upstream's system slot");
  assert.equal(v.stream, stream, "upstream stream flag");
  const leaked = v.items.filter((i) => i.kind === "text" && i.text.includes(SYSTEM_PROMPT));
  assert.equal(leaked.length, 0, "system prompt must not appear as a message");
}

function assertTools(v: UpstreamView): void {
  assert.equal(v.tools.length, 1, "one tool upstream");
  assert.equal(v.tools[0].name, SHARED.toolName, "tool name");
  assert.deepEqual(v.tools[0].schema, TOOL_SCHEMA, "tool schema intact");
}

function assertAnswer(ctx: CellContext, turn: Turn, usage = EXPECT[ctx.vendor].usage): void {
  assert.equal(turn.text, EXPECT[ctx.vendor].text, "client text");
  assert.equal(turn.finish, "stop", "client finish reason");
  assert.equal(turn.toolCalls.length, 0, "no tool calls");
  assert.ok(turn.usage.input > 0 && turn.usage.output > 0, `usage non-zero: ${JSON.stringify(turn.usage)}`);
  assert.deepEqual(turn.usage, usage, "client usage matches the upstream's");
}

const model = (ctx: CellContext): string => MODELS[ctx.vendor].gateway;

async function textCell(ctx: CellContext, stream: boolean): Promise<void> {
  ctx.h.resetFakes();
  ctx.h.fakes[ctx.vendor].queue("text");
  const turn = await ctx.driver.send({
    model: model(ctx),
    system: SYSTEM_PROMPT,
    turns: [{ role: "user", text: "Say hello." }],
  }, stream);
  assertAnswer(ctx, turn);
  if (stream) assert.ok(turn.textDeltas >= 2, `text streamed in several deltas (got ${turn.textDeltas})`);
  const [req] = received(ctx, 1);
  const v = view(ctx, req);
  assertBasics(ctx, v, stream);
  assert.deepEqual(v.roles, ["user"], "upstream turns");
  assert.deepEqual(v.items, [{ kind: "text", role: "user", text: "Say hello." }], "upstream content");
}

async function toolCell(ctx: CellContext): Promise<void> {
  ctx.h.resetFakes();
  ctx.h.fakes[ctx.vendor].queue("tool", "text");
  const question = { role: "user" as const, text: "What is the weather in Paris?" };
  const base = { model: model(ctx), system: SYSTEM_PROMPT, tools: true };
  const first = await ctx.driver.send({ ...base, turns: [question] }, true);
  const expectedId = EXPECT[ctx.vendor].toolCallId;
  assert.equal(first.toolCalls.length, 1, `one tool call, got ${JSON.stringify(first.toolCalls)}`);
  const call = first.toolCalls[0];
  assert.equal(call.id, expectedId, "tool call id");
  assert.equal(call.name, SHARED.toolName, "tool call name");
  assert.equal(call.arguments, SHARED.toolArguments, "tool call arguments (exact JSON)");
  assert.equal(first.finish, "tool", "finish reason says tool use");
  assert.deepEqual(first.usage, EXPECT[ctx.vendor].usage, "tool turn usage matches the upstream's");
  const second = await ctx.driver.send({
    ...base,
    turns: [question, { role: "assistant", turn: first }, {
      role: "tool",
      callId: call.id,
      name: call.name,
      result: SHARED.toolResult,
    }],
  }, true);
  assertAnswer(ctx, second);
  const [r1, r2] = received(ctx, 2);
  const v1 = view(ctx, r1);
  assertBasics(ctx, v1, true);
  assertTools(v1);
  const v2 = view(ctx, r2);
  assertBasics(ctx, v2, true);
  assertTools(v2);
  const kinds = v2.items.filter((i) => i.kind !== "text" || i.role === "user").map((i) => i.kind);
  assert.deepEqual(kinds.filter((k) => k !== "thinking"), ["text", "tool_call", "tool_result"], "turns in order");
  const tc = v2.items.find((i) => i.kind === "tool_call");
  const tr = v2.items.find((i) => i.kind === "tool_result");
  assert.ok(tc?.kind === "tool_call" && tr?.kind === "tool_result");
  assert.equal(tc.id, expectedId, "upstream tool call keeps the id");
  assert.equal(tc.name, SHARED.toolName);
  assert.deepEqual(tc.args, JSON.parse(SHARED.toolArguments), "upstream tool call arguments");
  assert.equal(tr.id, expectedId, "upstream tool result linked to the same call id");
  if (ctx.vendor === "gemini") assert.equal(tr.name, SHARED.toolName, "functionResponse.name");
  assert.equal(tr.text, SHARED.toolResult, "tool result content");
}

async function imageCell(ctx: CellContext): Promise<void> {
  for (const kind of ["base64", "url"] as const) {
    ctx.h.resetFakes();
    ctx.h.fakes[ctx.vendor].queue("text");
    const turn = await ctx.driver.send({
      model: model(ctx),
      system: SYSTEM_PROMPT,
      turns: [{ role: "user", text: "Describe this image.", image: kind }],
    }, false);
    assertAnswer(ctx, turn);
    const [req] = received(ctx, 1);
    const v = view(ctx, req);
    assertBasics(ctx, v, false);
    const images = v.items.filter((i) => i.kind === "image");
    assert.equal(images.length, 1, `one ${kind} image upstream`);
    const img = images[0];
    assert.ok(img.kind === "image");
    assert.equal(img.role, "user");
    if (kind === "base64") {
      assert.equal(img.base64, PNG_BASE64, "image bytes");
      assert.equal(img.mediaType, "image/png", "image media type");
    } else assert.equal(img.url, IMAGE_URL, "image URL passed as a URL");
    assert.ok(v.items.some((i) => i.kind === "text" && i.text === "Describe this image."), "image prompt text");
  }
}

/** Signatures on any part of the Gemini model turns a request carried. */
function geminiSignatures(req: RecordedRequest): string[] {
  const out: string[] = [];
  for (const c of (req.body.contents ?? []) as Array<Record<string, unknown>>) {
    for (const p of (c.parts ?? []) as Array<Record<string, unknown>>) {
      if (typeof p.thoughtSignature === "string") out.push(p.thoughtSignature);
    }
  }
  return out;
}

async function thinkingCell(ctx: CellContext): Promise<void> {
  ctx.h.resetFakes();
  ctx.h.fakes[ctx.vendor].queue("thinking", "text");
  const hello = { role: "user" as const, text: "Say hello." };
  const base = { model: model(ctx), system: SYSTEM_PROMPT, thinking: true };
  const first = await ctx.driver.send({ ...base, turns: [hello] }, true);
  assertAnswer(ctx, first, EXPECT[ctx.vendor].thinkingUsage);
  assert.equal(first.thinking, EXPECT[ctx.vendor].thinking, "thinking text reaches the client");
  const [r1] = received(ctx, 1);
  const v1 = view(ctx, r1);
  assertBasics(ctx, v1, true);
  if (ctx.vendor === "openai") assert.equal(v1.effort, "low", "reasoning_effort upstream");
  else assert.equal(v1.budget, THINKING_BUDGET, "thinking budget upstream");
  // Chat's reasoning_effort does not ask for thought text; Anthropic thinking, Responses summary and Gemini do.
  if (ctx.vendor === "gemini" && ctx.driver.surface !== "chat") {
    assert.equal(v1.includeThoughts, true, "Gemini includeThoughts");
  }
  // Reasoning state must come back to the vendor that made it, where the client's format can carry it.
  const carries = ctx.driver.surface !== "chat" && ctx.vendor !== "openai";
  if (!carries) return;
  assert.ok(first.signature, "the client got the reasoning signature");
  if (ctx.driver.surface === "anthropic" && ctx.vendor === "anthropic") {
    assert.equal(first.signature, ANTHROPIC_FAKE.signature, "Anthropic signature verbatim");
  }
  await ctx.driver.send({
    ...base,
    turns: [hello, { role: "assistant", turn: first }, { role: "user", text: "Thanks!" }],
  }, false);
  const [, r2] = received(ctx, 2);
  const v2 = view(ctx, r2);
  assert.deepEqual(v2.roles, ctx.vendor === "gemini" ? ["user", "model", "user"] : ["user", "assistant", "user"]);
  if (ctx.vendor === "anthropic") {
    const th = v2.items.find((i) => i.kind === "thinking");
    assert.ok(th?.kind === "thinking", "thinking block sent back upstream");
    assert.equal(th.signature, ANTHROPIC_FAKE.signature, "signature back upstream verbatim");
    assert.equal(th.text, ANTHROPIC_FAKE.thinking, "thinking text back upstream");
    assert.equal(th.role, "assistant");
  } else {
    assert.ok(
      geminiSignatures(r2).includes(GEMINI_FAKE.thoughtSignature),
      `thoughtSignature back upstream (got ${JSON.stringify(geminiSignatures(r2))})`,
    );
  }
}

async function errorCell(ctx: CellContext): Promise<void> {
  for (const [status, stream] of [[429, false], [400, true]] as const) {
    ctx.h.resetFakes();
    // The 429 cools its connection down (docs/routing.md §3); the 400 must still reach that connection.
    ctx.h.gw.routing.health.reset();
    ctx.h.fakes[ctx.vendor].queue(status === 429 ? "error429" : "error400");
    let caught: unknown;
    try {
      await ctx.driver.send(
        { model: model(ctx), system: SYSTEM_PROMPT, turns: [{ role: "user", text: "Hi" }] },
        stream,
      );
    } catch (err) {
      caught = err;
    }
    assert.ok(caught !== undefined, `the SDK raised on upstream ${status}`);
    const e = sdkError(ctx.driver.surface, caught);
    const wantCls = ctx.driver.surface === "gemini"
      ? "ApiError"
      : status === 429
      ? "RateLimitError"
      : "BadRequestError";
    assert.equal(e.cls, wantCls, `SDK error class (${e.message})`);
    assert.equal(e.status, status, "SDK error status");
    const want = status === 429 ? EXPECT[ctx.vendor].error429 : EXPECT[ctx.vendor].error400;
    // SDKs quote the error body as JSON, so the message may appear JSON-escaped.
    const escaped = JSON.stringify(want).slice(1, -1);
    assert.ok(
      e.message.includes(want) || e.message.includes(escaped),
      `upstream message reaches the client: ${e.message}`,
    );
    received(ctx, 1);
  }
}

export const CELLS: Array<{ name: string; run: (ctx: CellContext) => Promise<void> }> = [
  { name: "text", run: (ctx) => textCell(ctx, false) },
  { name: "stream", run: (ctx) => textCell(ctx, true) },
  { name: "tool round trip", run: toolCell },
  { name: "image", run: imageCell },
  { name: "thinking", run: thinkingCell },
  { name: "error 429/400", run: errorCell },
];
