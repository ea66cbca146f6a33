/** @module Unit tests for the provider registry: the contract's providers exist, lookups by id and prefix. */
import assert from "node:assert/strict";
import { createRegistry, isBuiltinName } from "./registry.ts";
import { BUILTIN_PROVIDERS } from "./catalog.ts";

/** CONTRACT.md "Model names": prefix → provider id, for the providers that speak the OpenAI format. */
const OPENAI_FORMAT: Record<string, string> = {
  openai: "openai",
  ds: "deepseek",
  groq: "groq",
  xai: "xai",
  mistral: "mistral",
  pplx: "perplexity",
  together: "together",
  fireworks: "fireworks",
  cerebras: "cerebras",
  cohere: "cohere",
  nvidia: "nvidia",
  glm: "glm",
  minimax: "minimax",
  kimi: "kimi",
  openrouter: "openrouter",
};

Deno.test("createRegistry() has every OpenAI-format provider of the contract, by id and by prefix, on https", () => {
  const registry = createRegistry([]);
  for (const [prefix, id] of Object.entries(OPENAI_FORMAT)) {
    const byPrefix = registry.get(prefix);
    assert.ok(byPrefix, `no provider for prefix ${prefix}`);
    assert.equal(byPrefix.id, id);
    assert.equal(byPrefix.prefix, prefix);
    assert.equal(registry.get(id), byPrefix, `lookup by id ${id}`);
    assert.equal(byPrefix.format, "openai", `${id} format`);
    const url = new URL(byPrefix.defaultBaseUrl);
    assert.equal(url.protocol, "https:", `${id} base URL ${byPrefix.defaultBaseUrl}`);
    assert.ok(!byPrefix.defaultBaseUrl.endsWith("/"), `${id} base URL ends with /`);
    assert.equal(
      byPrefix.chatUrl({ baseUrl: byPrefix.defaultBaseUrl, apiKey: "k", model: "m", stream: false }),
      `${byPrefix.defaultBaseUrl}/chat/completions`,
    );
    assert.ok(byPrefix.models.length > 0, `${id} lists no models`);
  }
});

Deno.test("createRegistry() has the native Anthropic and Gemini providers with their vendor URLs", () => {
  const registry = createRegistry([]);
  const anthropic = registry.get("anthropic")!;
  assert.equal(anthropic.format, "anthropic");
  assert.equal(
    anthropic.chatUrl({ baseUrl: "https://api.anthropic.com", apiKey: "k", model: "m", stream: true }),
    "https://api.anthropic.com/v1/messages",
  );
  assert.equal(anthropic.headers("k")["x-api-key"], "k");
  const gemini = registry.get("gemini")!;
  assert.equal(gemini.format, "gemini");
  assert.equal(
    gemini.chatUrl({
      baseUrl: "https://generativelanguage.googleapis.com",
      apiKey: "k",
      model: "gemini-2.5-pro",
      stream: true,
    }),
    "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
  );
});

Deno.test("createRegistry() finds deepseek by its prefix ds and sends a Bearer key", () => {
  const registry = createRegistry([]);
  const ds = registry.get("ds");
  assert.equal(ds?.id, "deepseek");
  assert.equal(ds?.headers("sk-test").authorization, "Bearer sk-test");
  assert.deepEqual(ds?.headers(undefined), {});
  assert.equal(registry.get("nope"), undefined);
});

Deno.test("createRegistry() adds custom providers without letting them shadow a built-in", () => {
  const registry = createRegistry([
    { id: "lmstudio", format: "openai", baseUrl: "http://127.0.0.1:1234/v1", models: ["qwen3-8b"] },
    { id: "ds", format: "anthropic", baseUrl: "http://127.0.0.1:1/", models: [] },
  ]);
  const lm = registry.get("lmstudio");
  assert.equal(lm?.custom, true);
  assert.equal(lm?.format, "openai");
  assert.deepEqual(lm?.models.map((m) => m.id), ["qwen3-8b"]);
  assert.equal(
    lm?.chatUrl({ baseUrl: "http://127.0.0.1:1234/v1/", apiKey: undefined, model: "q", stream: false }),
    "http://127.0.0.1:1234/v1/chat/completions",
  );
  assert.equal(registry.get("ds")?.id, "deepseek");
  assert.ok(isBuiltinName("ds") && isBuiltinName("deepseek") && !isBuiltinName("lmstudio"));
});

Deno.test("BUILTIN_PROVIDERS have unique ids and prefixes and unique model ids per provider", () => {
  const names = new Set<string>();
  for (const p of BUILTIN_PROVIDERS) {
    for (const n of new Set([p.id, p.prefix])) {
      assert.ok(!names.has(n), `duplicate provider name ${n}`);
      names.add(n);
    }
    const ids = p.models.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, `${p.id} repeats a model id`);
  }
});
