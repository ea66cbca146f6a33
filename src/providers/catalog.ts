/**
 * @module The built-in providers: public base URLs, known models, list prices (USD per 1M tokens) where the vendor
 * publishes them. A provider without a public price leaves it out rather than guess.
 */
import { anthropicFormat, geminiFormat } from "./native.ts";
import { chat, openAICompatible, priced } from "./openai_compatible.ts";
import type { ProviderSpec } from "./types.ts";

export const BUILTIN_PROVIDERS: readonly ProviderSpec[] = [
  openAICompatible({
    id: "openai",
    name: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    models: [
      priced("gpt-4.1", 2, 8, { cachedInput: 0.5, context: 1_047_576 }),
      priced("gpt-4.1-mini", 0.4, 1.6, { cachedInput: 0.1, context: 1_047_576 }),
      priced("gpt-4.1-nano", 0.1, 0.4, { cachedInput: 0.025, context: 1_047_576 }),
      priced("gpt-4o", 2.5, 10, { cachedInput: 1.25, context: 128_000 }),
      priced("gpt-4o-mini", 0.15, 0.6, { cachedInput: 0.075, context: 128_000 }),
      priced("gpt-5", 1.25, 10, { cachedInput: 0.125, context: 400_000 }),
      priced("gpt-5-mini", 0.25, 2, { cachedInput: 0.025, context: 400_000 }),
      priced("o3", 2, 8, { cachedInput: 0.5, context: 200_000 }),
      priced("o4-mini", 1.1, 4.4, { cachedInput: 0.275, context: 200_000 }),
      priced("text-embedding-3-small", 0.02, 0, { type: "embedding", context: 8191 }),
      priced("text-embedding-3-large", 0.13, 0, { type: "embedding", context: 8191 }),
      { id: "gpt-image-1", type: "image" },
    ],
  }),
  anthropicFormat({
    id: "anthropic",
    name: "Anthropic",
    baseUrl: "https://api.anthropic.com",
    models: [
      priced("claude-opus-4-5", 5, 25, { cachedInput: 0.5, context: 200_000 }),
      priced("claude-sonnet-4-5", 3, 15, { cachedInput: 0.3, context: 200_000 }),
      priced("claude-haiku-4-5", 1, 5, { cachedInput: 0.1, context: 200_000 }),
      priced("claude-opus-4-1", 15, 75, { cachedInput: 1.5, context: 200_000 }),
      priced("claude-sonnet-4-0", 3, 15, { cachedInput: 0.3, context: 200_000 }),
    ],
  }),
  geminiFormat({
    id: "gemini",
    name: "Google Gemini",
    baseUrl: "https://generativelanguage.googleapis.com",
    models: [
      priced("gemini-2.5-pro", 1.25, 10, { cachedInput: 0.31, context: 1_048_576 }),
      priced("gemini-2.5-flash", 0.3, 2.5, { cachedInput: 0.075, context: 1_048_576 }),
      priced("gemini-2.5-flash-lite", 0.1, 0.4, { cachedInput: 0.025, context: 1_048_576 }),
      priced("gemini-3-pro-preview", 2, 12, { cachedInput: 0.2, context: 1_048_576 }),
      priced("gemini-embedding-001", 0.15, 0, { type: "embedding", context: 2048 }),
    ],
  }),
  openAICompatible({
    id: "deepseek",
    prefix: "ds",
    name: "DeepSeek",
    baseUrl: "https://api.deepseek.com/v1",
    models: [
      priced("deepseek-chat", 0.28, 0.42, { cachedInput: 0.028, context: 128_000 }),
      priced("deepseek-reasoner", 0.28, 0.42, { cachedInput: 0.028, context: 128_000 }),
    ],
  }),
  openAICompatible({
    id: "groq",
    name: "Groq",
    baseUrl: "https://api.groq.com/openai/v1",
    models: [
      priced("llama-3.3-70b-versatile", 0.59, 0.79, { context: 131_072 }),
      priced("llama-3.1-8b-instant", 0.05, 0.08, { context: 131_072 }),
      priced("meta-llama/llama-4-maverick-17b-128e-instruct", 0.2, 0.6, { context: 131_072 }),
      priced("openai/gpt-oss-120b", 0.15, 0.75, { context: 131_072 }),
    ],
  }),
  openAICompatible({
    id: "xai",
    name: "xAI",
    baseUrl: "https://api.x.ai/v1",
    models: [
      priced("grok-4", 3, 15, { cachedInput: 0.75, context: 256_000 }),
      priced("grok-4-fast-reasoning", 0.2, 0.5, { cachedInput: 0.05, context: 2_000_000 }),
      priced("grok-code-fast-1", 0.2, 1.5, { cachedInput: 0.02, context: 256_000 }),
      priced("grok-3-mini", 0.3, 0.5, { cachedInput: 0.075, context: 131_072 }),
    ],
  }),
  openAICompatible({
    id: "mistral",
    name: "Mistral",
    baseUrl: "https://api.mistral.ai/v1",
    models: [
      priced("mistral-large-latest", 2, 6, { context: 128_000 }),
      priced("mistral-medium-latest", 0.4, 2, { context: 128_000 }),
      priced("mistral-small-latest", 0.1, 0.3, { context: 128_000 }),
      priced("codestral-latest", 0.3, 0.9, { context: 256_000 }),
      priced("mistral-embed", 0.1, 0, { type: "embedding", context: 8192 }),
    ],
  }),
  openAICompatible({
    id: "perplexity",
    prefix: "pplx",
    name: "Perplexity",
    // Perplexity serves the OpenAI format at the root: https://api.perplexity.ai/chat/completions
    baseUrl: "https://api.perplexity.ai",
    models: [
      priced("sonar", 1, 1, { context: 128_000 }),
      priced("sonar-pro", 3, 15, { context: 200_000 }),
      priced("sonar-reasoning-pro", 2, 8, { context: 128_000 }),
    ],
  }),
  openAICompatible({
    id: "together",
    name: "Together AI",
    baseUrl: "https://api.together.xyz/v1",
    models: [
      priced("meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88, 0.88, { context: 131_072 }),
      priced("deepseek-ai/DeepSeek-V3", 1.25, 1.25, { context: 131_072 }),
      priced("Qwen/Qwen2.5-Coder-32B-Instruct", 0.8, 0.8, { context: 32_768 }),
    ],
  }),
  openAICompatible({
    id: "fireworks",
    name: "Fireworks AI",
    baseUrl: "https://api.fireworks.ai/inference/v1",
    models: [
      priced("accounts/fireworks/models/deepseek-v3p1", 0.56, 1.68, { context: 163_840 }),
      priced("accounts/fireworks/models/llama-v3p3-70b-instruct", 0.9, 0.9, { context: 131_072 }),
      priced("accounts/fireworks/models/qwen3-coder-480b-a35b-instruct", 0.45, 1.8, { context: 262_144 }),
    ],
  }),
  openAICompatible({
    id: "cerebras",
    name: "Cerebras",
    baseUrl: "https://api.cerebras.ai/v1",
    models: [
      priced("llama-3.3-70b", 0.85, 1.2, { context: 128_000 }),
      priced("llama3.1-8b", 0.1, 0.1, { context: 32_768 }),
      priced("gpt-oss-120b", 0.35, 0.75, { context: 131_072 }),
      priced("qwen-3-coder-480b", 2, 2, { context: 131_072 }),
    ],
  }),
  openAICompatible({
    id: "cohere",
    name: "Cohere",
    // Cohere's OpenAI compatibility API (https://docs.cohere.com/docs/compatibility-api).
    baseUrl: "https://api.cohere.ai/compatibility/v1",
    models: [
      priced("command-a-03-2025", 2.5, 10, { context: 256_000 }),
      priced("command-r-plus-08-2024", 2.5, 10, { context: 128_000 }),
      priced("command-r-08-2024", 0.15, 0.6, { context: 128_000 }),
      priced("command-r7b-12-2024", 0.0375, 0.15, { context: 128_000 }),
    ],
  }),
  openAICompatible({
    id: "nvidia",
    name: "NVIDIA NIM",
    baseUrl: "https://integrate.api.nvidia.com/v1",
    models: chat(
      "meta/llama-3.3-70b-instruct",
      "nvidia/llama-3.3-nemotron-super-49b-v1",
      "deepseek-ai/deepseek-r1",
      "qwen/qwen3-coder-480b-a35b-instruct",
    ),
  }),
  openAICompatible({
    id: "glm",
    name: "GLM (Zhipu / Z.ai)",
    baseUrl: "https://api.z.ai/api/paas/v4",
    models: [
      priced("glm-4.6", 0.6, 2.2, { cachedInput: 0.11, context: 200_000 }),
      priced("glm-4.5", 0.6, 2.2, { cachedInput: 0.11, context: 128_000 }),
      priced("glm-4.5-air", 0.2, 1.1, { cachedInput: 0.03, context: 128_000 }),
    ],
  }),
  openAICompatible({
    id: "minimax",
    name: "MiniMax",
    baseUrl: "https://api.minimax.io/v1",
    models: [priced("MiniMax-M2", 0.3, 1.2, { context: 204_800 })],
  }),
  openAICompatible({
    id: "kimi",
    name: "Kimi (Moonshot)",
    baseUrl: "https://api.moonshot.ai/v1",
    models: [
      priced("kimi-k2-0905-preview", 0.6, 2.5, { cachedInput: 0.15, context: 262_144 }),
      priced("kimi-k2-turbo-preview", 1.15, 8, { cachedInput: 0.15, context: 262_144 }),
      priced("kimi-k2-thinking", 0.6, 2.5, { cachedInput: 0.15, context: 262_144 }),
    ],
  }),
  openAICompatible({
    id: "openrouter",
    name: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    models: chat("openai/gpt-4.1", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-pro", "deepseek/deepseek-chat"),
  }),
];
