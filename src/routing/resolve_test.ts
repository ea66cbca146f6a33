/** @module Unit tests for model resolution: prefixes, combos, aliases (exact and wildcard), 404s, cycles. */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../config/schema.ts";
import { GatewayError } from "../core/errors.ts";
import { createRegistry } from "../providers/registry.ts";
import type { AliasRow, ComboRow } from "../store/mod.ts";
import { candidatesFor, matchWildcard, resolveTargets, type Target } from "./resolve.ts";
import type { GatewayState, RuntimeConnection } from "./state.ts";

function combo(name: string, models: string[]): ComboRow {
  return {
    id: name,
    name,
    strategy: "priority",
    models: models.map((model) => ({ model, weight: 1 })),
    source: "api",
    createdAt: 0,
    updatedAt: 0,
  };
}

function stateWith(
  options: { combos?: ComboRow[]; aliases?: Record<string, string>; connections?: RuntimeConnection[] } = {},
): GatewayState {
  const connections = new Map<string, RuntimeConnection[]>();
  for (const c of options.connections ?? []) {
    connections.set(c.provider.id, [...(connections.get(c.provider.id) ?? []), c]);
  }
  const aliases: AliasRow[] = Object.entries(options.aliases ?? {}).map(([pattern, target]) => ({
    pattern,
    target,
    source: "api",
    createdAt: 0,
  }));
  return {
    registry: createRegistry([]),
    connections,
    keysByHash: new Map(),
    combos: new Map((options.combos ?? []).map((c) => [c.name, c])),
    aliases,
    customModels: new Map(),
    settings: structuredClone(DEFAULT_SETTINGS),
    prices: new Map(),
    lockedSettings: new Set(),
  };
}

function names(targets: Target[]): string[] {
  return targets.map((t) => `${t.provider.id}:${t.model}`);
}

function assertCode(fn: () => unknown, code: string, status: number): GatewayError {
  let caught: GatewayError | undefined;
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    caught = err;
    return true;
  });
  return caught!;
}

Deno.test("resolveTargets() maps a prefix to its provider and strips it from the model", () => {
  const state = stateWith();
  assert.deepEqual(names(resolveTargets(state, "openai/gpt-4.1")), ["openai:gpt-4.1"]);
  assert.deepEqual(names(resolveTargets(state, "ds/deepseek-chat")), ["deepseek:deepseek-chat"]);
  assert.deepEqual(names(resolveTargets(state, "deepseek/deepseek-chat")), ["deepseek:deepseek-chat"]);
  // Only the first slash separates the prefix: vendor model ids keep theirs.
  assert.deepEqual(names(resolveTargets(state, "openrouter/openai/gpt-4.1")), ["openrouter:openai/gpt-4.1"]);
  // A model no list names under a known prefix goes to the provider as is.
  assert.deepEqual(names(resolveTargets(state, "openai/gpt-99-unknown")), ["openai:gpt-99-unknown"]);
});

Deno.test("resolveTargets() expands a combo in order, through nested combos and aliases", () => {
  const state = stateWith({
    combos: [combo("coding", ["anthropic/claude-sonnet-4-5", "fast", "inner"]), combo("inner", ["xai/grok-4"])],
    aliases: { fast: "groq/llama-3.3-70b-versatile" },
  });
  assert.deepEqual(names(resolveTargets(state, "coding")), [
    "anthropic:claude-sonnet-4-5",
    "groq:llama-3.3-70b-versatile",
    "xai:grok-4",
  ]);
});

Deno.test("resolveTargets() skips a combo entry that no longer resolves", () => {
  const state = stateWith({ combos: [combo("c", ["gone-alias", "openai/gpt-4.1"])] });
  assert.deepEqual(names(resolveTargets(state, "c")), ["openai:gpt-4.1"]);
});

Deno.test("resolveTargets() resolves an exact alias before a wildcard one", () => {
  const state = stateWith({
    aliases: { "claude-*": "anthropic/claude-*", "claude-best": "anthropic/claude-opus-4-5" },
  });
  assert.deepEqual(names(resolveTargets(state, "claude-best")), ["anthropic:claude-opus-4-5"]);
});

Deno.test("resolveTargets() fills wildcard captures into the alias target", () => {
  const state = stateWith({ aliases: { "claude-*": "anthropic/claude-*", "g?-*": "gemini/gemini-?-*" } });
  assert.deepEqual(names(resolveTargets(state, "claude-sonnet-4-5")), ["anthropic:claude-sonnet-4-5"]);
  assert.deepEqual(names(resolveTargets(state, "g2-5-pro")), ["gemini:gemini-2-5-pro"]);
  assert.deepEqual(matchWildcard("a.*", "a.b.c"), ["b.c"]);
  assert.equal(matchWildcard("a.*", "axb"), undefined, "a dot in a pattern is literal");
});

Deno.test("resolveTargets() answers an unknown bare name with 404 model_not_found, never a guess", () => {
  const state = stateWith({ aliases: { "claude-*": "anthropic/claude-*" } });
  const err = assertCode(() => resolveTargets(state, "gpt-4.1"), "model_not_found", 404);
  assert.equal(err.param, "model");
  assert.ok(err.message.includes("gpt-4.1"));
  assertCode(() => resolveTargets(state, "nosuchprefix/model"), "model_not_found", 404);
});

Deno.test("resolveTargets() refuses a cycle with a 400 instead of looping", () => {
  const aliasLoop = stateWith({ aliases: { a: "b", b: "a" } });
  const err = assertCode(() => resolveTargets(aliasLoop, "a"), "invalid_request", 400);
  assert.match(err.message, /cycle/);
  const comboLoop = stateWith({ combos: [combo("x", ["y"]), combo("y", ["x"])] });
  assertCode(() => resolveTargets(comboLoop, "x"), "invalid_request", 400);
  const selfAlias = stateWith({ aliases: { "m-*": "m-*" } });
  assertCode(() => resolveTargets(selfAlias, "m-1"), "invalid_request", 400);
});

Deno.test("candidatesFor() orders connections per target and honours model lists and blocked providers", () => {
  const registry = createRegistry([]);
  const conn = (
    name: string,
    provider: string,
    priority: number,
    models: string[] | null = null,
  ): RuntimeConnection => ({
    id: name,
    provider: registry.get(provider)!,
    name,
    apiKey: "k",
    baseUrl: "http://127.0.0.1:1/v1",
    priority,
    enabled: true,
    models,
    proxy: null,
  });
  const state = stateWith({
    connections: [conn("a", "openai", 1), conn("b", "openai", 2), conn("only-mini", "openai", 3, ["gpt-4.1-mini"])],
    combos: [combo("c", ["openai/gpt-4.1", "xai/grok-4"])],
  });
  const picked = candidatesFor(state, resolveTargets(state, "c")).map((c) => `${c.connection.name}/${c.target.model}`);
  assert.deepEqual(picked, ["a/gpt-4.1", "b/gpt-4.1"]);
  state.settings.security.blockedProviders = ["openai"];
  assert.deepEqual(candidatesFor(state, resolveTargets(state, "c")), []);
});
