import assert from "node:assert/strict";
import { catalogModel, connectionBody, connectionStatus, providerPageModel } from "./providers.ts";

const NOW = 1_000_000;
const openai = {
  id: "openai",
  prefix: "openai",
  name: "OpenAI",
  format: "openai",
  custom: false,
  defaultBaseUrl: "https://api.openai.com/v1",
  models: 3,
};
const groq = { ...openai, id: "groq", prefix: "groq", name: "Groq" };
const conn = (id: string, enabled = true, extra = {}) => ({
  id,
  provider: "openai",
  name: id,
  keyHint: "sk-…abcd",
  baseUrl: null,
  priority: 1,
  enabled,
  models: null,
  source: "api",
  ...extra,
});

Deno.test("connectionStatus() names disabled, open breakers, cooldowns and lockouts", () => {
  assert.equal(connectionStatus(NOW, false, undefined).status, "disabled");
  const h = { state: "closed", openUntil: null, cooldownUntil: null, cooldownReason: null, lockouts: 0 };
  assert.equal(connectionStatus(NOW, true, h).status, "ok");
  assert.equal(connectionStatus(NOW, true, { ...h, state: "half_open" }).status, "breaker half-open");
  assert.equal(connectionStatus(NOW, true, { ...h, cooldownUntil: NOW + 61_000 }).status, "cooling down 1m 1s");
  assert.equal(connectionStatus(NOW, true, { ...h, lockouts: 2 }).statusClass, "warn");
});

Deno.test("catalogModel() puts configured providers first and summarizes their status", () => {
  const h = { state: "open", openUntil: NOW + 1, cooldownUntil: null, cooldownReason: null, lockouts: 0 };
  const m = catalogModel({
    now: NOW,
    providers: [groq, openai],
    connections: [conn("a"), conn("b")],
    health: new Map([["a", h]]),
  });
  assert.deepEqual(m.rows.map((r) => r.id), ["openai", "groq"]);
  assert.equal(m.rows[0].status, "active, 1 degraded");
  assert.equal(m.rows[1].status, "not configured");
  assert.equal(m.configured, 1);
});

Deno.test("providerPageModel() shows key hints only, default base URLs and the strategy options", () => {
  const m = providerPageModel({
    now: NOW,
    provider: openai,
    builtinModels: ["gpt-4.1"],
    connections: [conn("b", true, { priority: 2, models: ["gpt-4.1"] }), conn("a", false, { keyHint: null })],
    health: new Map(),
    customModels: [{ modelId: "my-model", modelName: null }],
    strategy: { override: "p2c", global: "fill-first", choices: ["fill-first", "p2c"], locked: false },
  });
  assert.deepEqual(m.connections.map((c) => [c.name, c.key, c.status]), [["a", "no key", "disabled"], [
    "b",
    "sk-…abcd",
    "ok",
  ]]);
  assert.equal(m.connections[0].baseUrl, "https://api.openai.com/v1 (default)");
  assert.equal(m.connections[1].modelsValue, "gpt-4.1");
  assert.equal(m.strategy.value, "p2c");
  assert.equal(m.strategy.options[0].label, "Global default (fill-first)");
});

Deno.test("connectionBody() keeps the stored key on edit when the field is empty, clears optional fields", () => {
  const form = { name: "w", apiKey: "", baseUrl: "", priority: "", models: [], enabled: true };
  assert.deepEqual(connectionBody(form, { provider: "openai", editing: false }), {
    name: "w",
    enabled: true,
    priority: 1,
    provider: "openai",
  });
  assert.deepEqual(connectionBody({ ...form, priority: "3" }, { editing: true }), {
    name: "w",
    enabled: true,
    priority: 3,
    baseUrl: null,
    models: null,
  });
  assert.equal(connectionBody({ ...form, apiKey: "sk-new" }, { editing: true }).apiKey, "sk-new");
  assert.equal(connectionBody(form, { editing: true, removeKey: true }).apiKey, null);
});
