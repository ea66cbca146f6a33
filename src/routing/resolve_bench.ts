/**
 * @module `deno bench src/routing/` (no permissions needed): the per-request routing cost, resolveTargets and
 * planCandidates, with 1,000 connections over 10 providers, a 3-entry combo (priority and weighted), round-robin
 * and p2c account strategies, and a wildcard alias behind a list of other aliases.
 */
import { DEFAULT_SETTINGS, type Settings } from "../config/schema.ts";
import { createRegistry } from "../providers/registry.ts";
import type { AliasRow, ComboRow } from "../store/mod.ts";
import { resolveTargets } from "./resolve.ts";
import { createRoutingRuntime, planCandidates } from "./runtime.ts";
import type { GatewayState, RuntimeConnection } from "./state.ts";

const PROVIDERS = [
  "openai",
  "anthropic",
  "deepseek",
  "groq",
  "xai",
  "mistral",
  "together",
  "fireworks",
  "cerebras",
  "nvidia",
];
const PER_PROVIDER = 100;

function combo(name: string, strategy: string, models: string[]): ComboRow {
  return {
    id: name,
    name,
    strategy,
    models: models.map((model, i) => ({ model, weight: 3 - i })),
    source: "api",
    createdAt: 0,
    updatedAt: 0,
  };
}

function benchState(routing: Partial<Settings["routing"]> = {}): GatewayState {
  const registry = createRegistry([]);
  const connections = new Map<string, RuntimeConnection[]>();
  for (const id of PROVIDERS) {
    const provider = registry.get(id)!;
    connections.set(
      id,
      Array.from({ length: PER_PROVIDER }, (_, i) => ({
        id: `${id}-${i}`,
        provider,
        name: `acct${i}`,
        apiKey: `sk-bench-${id}-${i}`,
        baseUrl: "http://127.0.0.1:1/v1",
        priority: 1 + (i % 5),
        enabled: true,
        // Every tenth connection serves a fixed list (the filter runs on every plan).
        models: i % 10 === 0 ? ["gpt-4.1", "claude-sonnet-4-5", "deepseek-chat"] : null,
        proxy: null,
      })),
    );
  }
  const aliases: AliasRow[] = [];
  for (let i = 0; i < 20; i++) {
    aliases.push({ pattern: `fast-${i}`, target: "groq/llama-3.3-70b", source: "api", createdAt: 0 });
  }
  for (const p of ["gpt-5*", "o?-mini", "mistral-*-latest", "llama-*"]) {
    aliases.push({ pattern: p, target: "openai/*", source: "api", createdAt: 0 });
  }
  aliases.push({ pattern: "claude-*", target: "anthropic/claude-*", source: "api", createdAt: 0 });
  const settings = structuredClone(DEFAULT_SETTINGS);
  Object.assign(settings.routing, routing);
  return {
    registry,
    connections,
    keysByHash: new Map(),
    combos: new Map([
      ["coding", combo("coding", "priority", ["anthropic/claude-sonnet-4-5", "openai/gpt-4.1", "ds/deepseek-chat"])],
      ["spread", combo("spread", "weighted", ["anthropic/claude-sonnet-4-5", "openai/gpt-4.1", "ds/deepseek-chat"])],
    ]),
    aliases,
    customModels: new Map(),
    settings,
    prices: new Map(),

    lockedSettings: new Set(),
  };
}

const fillFirst = benchState();
const roundRobin = benchState({ accountStrategy: "round-robin" });
const p2c = benchState({ accountStrategy: "p2c" });
const rt = createRoutingRuntime({ now: Date.now });
// Some live counters, as after traffic (p2c and least-used read them).
for (const id of PROVIDERS) {
  for (let i = 0; i < PER_PROVIDER; i += 3) {
    rt.health.begin(`${id}-${i}`);
    rt.health.onSuccess(`${id}-${i}`, 50 + i);
  }
}

Deno.bench("resolveTargets: provider/model", { group: "resolve" }, () => {
  resolveTargets(fillFirst, "openai/gpt-4.1");
});
Deno.bench("resolveTargets: 3-entry combo", { group: "resolve" }, () => {
  resolveTargets(fillFirst, "coding");
});
Deno.bench("resolveTargets: wildcard alias after 24 others", { group: "resolve" }, () => {
  resolveTargets(fillFirst, "claude-sonnet-4-5");
});

Deno.bench("planCandidates: provider/model, fill-first (100 candidates)", { group: "plan" }, () => {
  planCandidates(fillFirst, rt, "openai/gpt-4.1");
});
Deno.bench("planCandidates: 3-entry priority combo, fill-first (300)", { group: "plan" }, () => {
  planCandidates(fillFirst, rt, "coding");
});
Deno.bench("planCandidates: 3-entry weighted combo, round-robin accounts", { group: "plan" }, () => {
  planCandidates(roundRobin, rt, "spread");
});
Deno.bench("planCandidates: 3-entry priority combo, p2c accounts", { group: "plan" }, () => {
  planCandidates(p2c, rt, "coding");
});
Deno.bench("planCandidates: wildcard alias, round-robin accounts", { group: "plan" }, () => {
  planCandidates(roundRobin, rt, "claude-sonnet-4-5");
});
