/** @module zod schemas for the config file and the settings sections (also used by the management API). */
import { z } from "zod";
import { parseRange } from "../core/ip_rules.ts";

export const COMBO_STRATEGIES = [
  "priority",
  "round-robin",
  "random",
  "weighted",
  "least-used",
  "cost-optimized",
] as const;
export const ACCOUNT_STRATEGIES = [
  "fill-first",
  "round-robin",
  "p2c",
  "random",
  "least-used",
  "cost-optimized",
] as const;
export const WIRE_FORMATS = ["openai", "anthropic", "gemini"] as const;
export const SCOPES = ["inference", "admin"] as const;

const name = z.string().min(1).max(128);
/** http(s) URL, e.g. a provider's base URL. */
const httpUrl = z.url({ protocol: /^https?$/ });
const proxyUrl = z.url({ protocol: /^(https?|socks5h?)$/ });

export const budgetSchema = z.strictObject({
  daily: z.number().positive().optional(),
  weekly: z.number().positive().optional(),
  monthly: z.number().positive().optional(),
  /** Fraction of a limit at which GET /api/usage/budget reports `warning: true` (default 0.8). */
  warnAt: z.number().min(0).max(1).optional(),
});

/** Per-key switches over gateway-wide AI features. */
export const apiKeyOptionsSchema = z.strictObject({
  /** Never read or write the response cache for this key. */
  noCache: z.boolean().optional(),
  /** Leave the global system prompt out of this key's requests. */
  noSystemPrompt: z.boolean().optional(),
});

export const apiKeyEntrySchema = z.strictObject({
  name,
  key: z.string().min(16, "a gateway key needs at least 16 characters").max(256),
  scopes: z.array(z.enum(SCOPES)).min(1).default(["inference"]),
  models: z.array(z.string().min(1)).optional(),
  budget: budgetSchema.optional(),
  options: apiKeyOptionsSchema.optional(),
});

export const connectionEntrySchema = z.strictObject({
  provider: z.string().min(1),
  name,
  apiKey: z.string().min(1).optional(),
  baseUrl: httpUrl.optional(),
  priority: z.number().int().min(1).max(1000).default(1),
  enabled: z.boolean().default(true),
  models: z.array(z.string().min(1)).optional(),
  proxy: proxyUrl.optional(),
});

export const customProviderEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, "lowercase letters, digits, - and _"),
  name: z.string().min(1).optional(),
  format: z.enum(WIRE_FORMATS),
  baseUrl: httpUrl,
  apiKey: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).default([]),
});

export const comboModelSchema = z.union([
  z.string().min(1),
  z.strictObject({ model: z.string().min(1), weight: z.number().positive().default(1) }),
]);

export const comboEntrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "letters, digits, . _ : - (no /)"),
  strategy: z.enum(COMBO_STRATEGIES).default("priority"),
  models: z.array(comboModelSchema).min(1),
});

/** An IP address or CIDR range (`10.0.0.0/8`, `2001:db8::/32`, `203.0.113.7`). */
const ipEntry = z.string().refine((v) => parseRange(v) !== undefined, "not an IP address or CIDR range");

export const securitySettingsSchema = z.strictObject({
  /** `GET /v1/models` (and `/v1beta/models`) need a gateway key even where inference does not. */
  requireApiKeyForModels: z.boolean(),
  /** When not empty, only these addresses may call the gateway (loopback without a proxy always may). */
  ipAllowList: z.array(ipEntry),
  /** These addresses are refused. */
  ipDenyList: z.array(ipEntry),
  blockedProviders: z.array(z.string()),
});

export const routingSettingsSchema = z.strictObject({
  accountStrategy: z.enum(ACCOUNT_STRATEGIES),
  comboStrategy: z.enum(COMBO_STRATEGIES),
  stickyLimit: z.number().int().min(1).max(1000),
  providerStrategies: z.record(z.string(), z.enum(ACCOUNT_STRATEGIES)),
  fallbackChain: z.array(z.string().min(1)),
});

const ms = z.number().int().min(0).max(7 * 86_400_000);

export const breakerProfileSchema = z.strictObject({
  failureThreshold: z.number().int().min(1).max(1000),
  openMs: ms,
  maxOpenMs: ms,
  credentialCooldownMs: ms,
  quotaCooldownMs: ms,
  modelLockoutMs: ms,
  backoffBaseMs: ms,
  backoffMaxMs: ms,
});

export const rateLimitsSchema = z.strictObject({
  /** Requests per rolling minute per connection; 0 = no limit. */
  rpm: z.number().int().min(0).max(1_000_000),
  /** Least ms between two requests on one connection; 0 = none. */
  minGapMs: ms,
  /** Requests in flight at once per connection; 0 = no limit. */
  maxConcurrent: z.number().int().min(0).max(100_000),
  /** Requests allowed to wait per connection. */
  queueSize: z.number().int().min(0).max(100_000),
  /** Longest wait in the queue before a 429. */
  queueTimeoutMs: ms,
});

export const resilienceSettingsSchema = z.strictObject({
  /** Time allowed for the upstream's status line and headers. */
  requestTimeoutMs: z.number().int().min(100).max(3_600_000),
  /** Longest silence allowed inside a stream. */
  streamIdleTimeoutMs: z.number().int().min(100).max(3_600_000),
  /** A heartbeat goes to a streaming client after this long without bytes (0 = never). */
  heartbeatMs: z.number().int().min(0).max(600_000),
  /** Breaker and cooldown presets by kind of connection (docs/routing.md §4). */
  profiles: z.strictObject({ oauth: breakerProfileSchema, apikey: breakerProfileSchema, local: breakerProfileSchema }),
  /** Default per-connection rate limits. */
  rateLimits: rateLimitsSchema,
  /** Overrides by provider id (`openai`) or connection (`openai/work`). */
  rateLimitOverrides: z.record(z.string(), rateLimitsSchema.partial()),
});

export const THINKING_MODES = ["passthrough", "off", "budget", "effort"] as const;
export const THINKING_EFFORTS = ["minimal", "low", "medium", "high"] as const;

export const aiSettingsSchema = z.strictObject({
  /** Injected into every request's system slot (empty = none); a key may opt out (`options.noSystemPrompt`). */
  systemPrompt: z.string().max(100_000),
  systemPromptMode: z.enum(["prepend", "append"]),
  /** passthrough: the client's own thinking settings; off; budget: `thinkingBudget` tokens; effort: `thinkingEffort`. */
  thinkingMode: z.enum(THINKING_MODES),
  thinkingBudget: z.number().int().min(0).max(1_000_000),
  thinkingEffort: z.enum(THINKING_EFFORTS),
});

const semanticCacheObject = z.strictObject({
  enabled: z.boolean(),
  /** The embeddings model, through an OpenAI-format connection (`openai/text-embedding-3-small`). */
  model: z.string(),
  /** Cosine similarity at or above which a stored answer is served (0–1). */
  threshold: z.number().min(0).max(1),
  /** Prompt vectors kept (oldest dropped first). */
  maxEntries: z.number().int().min(1).max(100_000),
});

export const semanticCacheSchema = semanticCacheObject.refine((s) => !s.enabled || s.model.includes("/"), {
  message: "set `model` to an embeddings model (`provider/model`) to enable the semantic cache",
  path: ["model"],
});

export const advancedSettingsSchema = z.strictObject({
  /** IANA time zone in which budget periods (day, week from Monday, month) start. */
  timezone: z.string().min(1).refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "not an IANA time zone"),
  maxBodyMb: z.number().positive().max(1024),
  idempotencyWindowMs: z.number().int().min(0).max(3_600_000),
  proxy: z.union([proxyUrl, z.literal("")]),
  /** Exact-match response cache for deterministic (temperature 0, non-stream) requests. */
  cacheEnabled: z.boolean(),
  /** How long a cached response stays fresh. */
  cacheTtlMs: z.number().int().min(1000).max(7 * 86_400_000),
  /** Semantic mode: after an exact miss, match stored answers by embedding similarity of the prompt. */
  semanticCache: semanticCacheSchema,
  /** Usage rows older than this many days are deleted in the background (hourly rollups stay longer). */
  usageMaxAgeDays: z.number().int().min(1).max(3650),
  /** At most this many usage rows are kept (the oldest go first). */
  usageMaxRows: z.number().int().min(1000).max(1_000_000_000),
  /** Logged request/response bodies (ENABLE_REQUEST_LOGS) older than this many days are deleted. */
  bodiesMaxAgeDays: z.number().int().min(1).max(3650),
  /** At most this many logged bodies are kept. */
  bodiesMaxRows: z.number().int().min(100).max(100_000_000),
});

export const settingsSchema = z.strictObject({
  security: securitySettingsSchema,
  routing: routingSettingsSchema,
  resilience: resilienceSettingsSchema,
  ai: aiSettingsSchema,
  advanced: advancedSettingsSchema,
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsSection = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  security: { requireApiKeyForModels: false, ipAllowList: [], ipDenyList: [], blockedProviders: [] },
  routing: {
    accountStrategy: "fill-first",
    comboStrategy: "priority",
    stickyLimit: 3,
    providerStrategies: {},
    fallbackChain: [],
  },
  resilience: {
    requestTimeoutMs: 120_000,
    streamIdleTimeoutMs: 300_000,
    heartbeatMs: 15_000,
    profiles: {
      oauth: {
        failureThreshold: 3,
        openMs: 60_000,
        maxOpenMs: 1_800_000,
        credentialCooldownMs: 300_000,
        quotaCooldownMs: 3_600_000,
        modelLockoutMs: 3_600_000,
        backoffBaseMs: 2_000,
        backoffMaxMs: 300_000,
      },
      apikey: {
        failureThreshold: 5,
        openMs: 30_000,
        maxOpenMs: 600_000,
        credentialCooldownMs: 300_000,
        quotaCooldownMs: 3_600_000,
        modelLockoutMs: 3_600_000,
        backoffBaseMs: 1_000,
        backoffMaxMs: 120_000,
      },
      local: {
        failureThreshold: 3,
        openMs: 5_000,
        maxOpenMs: 60_000,
        credentialCooldownMs: 30_000,
        quotaCooldownMs: 60_000,
        modelLockoutMs: 60_000,
        backoffBaseMs: 500,
        backoffMaxMs: 10_000,
      },
    },
    rateLimits: { rpm: 0, minGapMs: 0, maxConcurrent: 0, queueSize: 100, queueTimeoutMs: 30_000 },
    rateLimitOverrides: {},
  },
  ai: {
    systemPrompt: "",
    systemPromptMode: "prepend",
    thinkingMode: "passthrough",
    thinkingBudget: 8192,
    thinkingEffort: "medium",
  },
  advanced: {
    timezone: "UTC",
    maxBodyMb: 20,
    idempotencyWindowMs: 5000,
    proxy: "",
    cacheEnabled: true,
    cacheTtlMs: 3_600_000,
    semanticCache: { enabled: false, model: "", threshold: 0.95, maxEntries: 500 },
    usageMaxAgeDays: 90,
    usageMaxRows: 5_000_000,
    bodiesMaxAgeDays: 7,
    bodiesMaxRows: 50_000,
  },
};

/** A partial resilience section: its fixed-shape objects (profiles, each profile, rateLimits) may be partial too. */
const resiliencePatchSchema = resilienceSettingsSchema.extend({
  profiles: z.strictObject({
    oauth: breakerProfileSchema.partial(),
    apikey: breakerProfileSchema.partial(),
    local: breakerProfileSchema.partial(),
  }).partial(),
  rateLimits: rateLimitsSchema.partial(),
}).partial();

/** A partial settings object: sections with some of their keys (what PATCH and the config file take). */
export const settingsPatchSchema = z.strictObject({
  security: securitySettingsSchema.partial().optional(),
  routing: routingSettingsSchema.partial().optional(),
  resilience: resiliencePatchSchema.optional(),
  ai: aiSettingsSchema.partial().optional(),
  advanced: advancedSettingsSchema.extend({ semanticCache: semanticCacheObject.partial() }).partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Merges a (partial) settings object into another, guided by `schema`: fixed-shape objects (a section, `profiles`,
 * one profile, `rateLimits`) merge key by key, so `{resilience: {profiles: {local: {openMs: 300}}}}` keeps the rest;
 * records (`providerStrategies`, `rateLimitOverrides`) and arrays are replaced whole, so a patch can drop an entry.
 */
export function mergeSettings<T extends Record<string, unknown>>(
  base: T,
  patch: Record<string, unknown>,
  schema: z.ZodType = settingsSchema,
): T {
  const shape = schema instanceof z.ZodObject ? schema.shape as Record<string, z.ZodType> : {};
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const sub = shape[key];
    out[key] = sub instanceof z.ZodObject && isPlainObject(value) && isPlainObject(out[key])
      ? mergeSettings(out[key] as Record<string, unknown>, value, sub)
      : structuredClone(value);
  }
  return out as T;
}

/**
 * The config file's `settings` takes the sections as above, and also each key flat
 * (`{"accountStrategy": "fill-first"}`), since every key name belongs to exactly one section.
 */
export function sectionOfKey(key: string): SettingsSection | undefined {
  for (const section of Object.keys(DEFAULT_SETTINGS) as SettingsSection[]) {
    if (key in DEFAULT_SETTINGS[section]) return section;
  }
  return undefined;
}

export const configFileSchema = z.strictObject({
  requireApiKey: z.boolean().optional(),
  apiKeys: z.array(apiKeyEntrySchema).default([]),
  connections: z.array(connectionEntrySchema).default([]),
  customProviders: z.array(customProviderEntrySchema).default([]),
  combos: z.array(comboEntrySchema).default([]),
  aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
  settings: z.record(z.string(), z.unknown()).default({}),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ConnectionEntry = z.infer<typeof connectionEntrySchema>;
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export type CustomProviderEntry = z.infer<typeof customProviderEntrySchema>;
export type ComboEntry = z.infer<typeof comboEntrySchema>;
