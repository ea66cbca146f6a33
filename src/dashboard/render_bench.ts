/**
 * @module `deno bench` of each dashboard page's server work with 100k usage rows over 30 days: the store queries the
 * handler makes, the pure view model and the Eta render (target ≤ 50 ms per page). The HTTP layer adds only routing
 * and the session lookup (one indexed read). Like the handlers, the overview reads finished days from the daily
 * cache and keys read spend from the budget tracker: each bench's first iteration is the cold case.
 * Run: deno bench --allow-read --allow-write --allow-env --allow-sys src/dashboard/render_bench.ts
 */
import { ACCOUNT_STRATEGIES, COMBO_STRATEGIES } from "../config/schema.ts";
import { BUILTIN_PROVIDERS } from "../providers/mod.ts";
import { createBudgetTracker } from "../usage/budget.ts";
import {
  createDailyUsageReader,
  createUsageWriter,
  DAY_MS,
  insertApiKey,
  listApiKeys,
  openDb,
  recentUsage,
  rollupUsage,
  spentBetween,
} from "../store/mod.ts";
import { accountModel } from "./account.ts";
import { combosModel } from "./combos.ts";
import { healthModel } from "./health.ts";
import { keysModel } from "./keys.ts";
import { navModel } from "./nav.ts";
import { overviewModel } from "./overview.ts";
import { catalogModel, providerPageModel } from "./providers.ts";
import { createRenderer, ensureViews } from "./render.ts";

/** 100k by default; `deno bench … render_bench.ts -- 1000000` for the 1M-row figure (setup takes about a minute). */
const ROWS = Number(Deno.args[0] ?? 100_000);
const dir = Deno.makeTempDirSync({ prefix: "sy-render-bench-" });
const db = openDb(`${dir}/bench.sqlite`);
const now = Date.now();
const models = ["gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4-5", "gemini-2.5-pro", "llama-3.3-70b"];
const providers = ["openai", "openai", "anthropic", "gemini", "groq"];
for (let k = 0; k < 5; k++) {
  insertApiKey(db, {
    name: `key-${k}`,
    keyHash: `hash-${k}`,
    keyHint: "sy-…abcd",
    scopes: ["inference"],
    models: null,
    budget: { daily: 5, weekly: 20, monthly: 50 },
    source: "api",
  }, now);
}
const keyIds = listApiKeys(db).map((k) => k.id);
const writer = createUsageWriter(db, { inFlight: () => 2 });
for (let i = 0; i < ROWS; i++) {
  const m = i % models.length;
  void writer.record({
    ts: now - Math.floor((i / ROWS) * 30 * DAY_MS),
    requestId: `req-${i}`,
    keyId: keyIds[i % keyIds.length],
    surface: "openai",
    requestedModel: `${providers[m]}/${models[m]}`,
    provider: providers[m],
    connectionId: "conn",
    model: models[m],
    status: i % 37 === 0 ? 500 : 200,
    stream: false,
    tokensIn: 100 + (i % 50),
    tokensOut: 50 + (i % 30),
    tokensCached: 0,
    tokensReasoning: 0,
    estimated: false,
    latencyMs: 200 + (i % 400),
    ttftMs: null,
    cost: 0.0004,
    attempts: `${providers[m]}:conn/${models[m]}=200`,
    errorCode: null,
  });
}
writer.flush();
// Steady state: the background job (main.ts) keeps the hourly aggregates a few seconds behind the newest row.
while (rollupUsage(db, { maxRows: 100_000 }) > 0) { /* fold every row, as the rollup timer would */ }

await ensureViews();
const render = createRenderer();
const daily = createDailyUsageReader(db);
const budgets = createBudgetTracker({
  now: () => now,
  timeZone: () => "UTC",
  spentBetween: (keyId, from, to) => spentBetween(db, keyId, from, to),
});
const layout = (active: string) => ({ csrf: "token", nav: navModel(active), flash: undefined, errors: {}, values: {} });
const providerInfo = BUILTIN_PROVIDERS.map((p) => ({
  id: p.id,
  prefix: p.prefix,
  name: p.name,
  format: p.format,
  custom: false,
  defaultBaseUrl: p.defaultBaseUrl,
  models: p.models.length,
}));
const connections = Array.from({ length: 10 }, (_, i) => ({
  id: `c${i}`,
  provider: BUILTIN_PROVIDERS[i % 3].id,
  name: `conn-${i}`,
  keyHint: "sk-…abcd",
  baseUrl: null,
  priority: i + 1,
  enabled: true,
  models: null,
  source: "api",
}));

const pages: Record<string, () => string> = {
  overview() {
    const from = (Math.floor(now / DAY_MS) - 29) * DAY_MS;
    const model = overviewModel({
      now,
      version: "bench",
      startedAt: now - 3600_000,
      daily: daily.read(from, now + 1),
      providers: [{ id: "openai", name: "OpenAI", connections: 2 }],
      keys: keyIds.length,
      health: [],
      recent: recentUsage(db, 15).map((r) => ({ ...r, model: r.requestedModel, route: r.attempts })),
    });
    return render.page("overview", { ...layout("overview"), ...model });
  },
  providers() {
    const model = catalogModel({ now, providers: providerInfo, connections, health: new Map() });
    return render.page("providers", { ...layout("providers"), ...model });
  },
  provider() {
    const model = providerPageModel({
      now,
      provider: providerInfo[0],
      builtinModels: BUILTIN_PROVIDERS[0].models.map((m) => m.id),
      connections,
      health: new Map(),
      customModels: [],
      strategy: { override: undefined, global: "fill-first", choices: ACCOUNT_STRATEGIES, locked: false },
    });
    return render.page("provider", { ...layout("providers"), ...model, editing: "", tests: {} });
  },
  combos() {
    const model = combosModel({
      combos: Array.from({ length: 20 }, (_, i) => ({
        id: `k${i}`,
        name: `combo-${i}`,
        strategy: "priority",
        models: models.map((m) => ({ model: `x/${m}`, weight: 1 })),
        source: "api",
      })),
      aliases: [{ pattern: "claude-*", target: "anthropic/claude-*", source: "api" }],
      fallbackChain: [],
      fallbackLocked: false,
      strategies: COMBO_STRATEGIES,
    });
    return render.page("combos", { ...layout("combos"), ...model, editing: "" });
  },
  keys() {
    // As the handler: the budget tracker (spend cached per key and period, as on every page view after the first).
    const keys = listApiKeys(db);
    const status = new Map(keys.map((k) => [k.id, budgets.status(k.id, k.budget!)]));
    const model = keysModel({ keys, budgets: status });
    return render.page("keys", { ...layout("keys"), ...model, editing: "" });
  },
  health() {
    const model = healthModel({
      now,
      version: "bench",
      startedAt: now - 3600_000,
      storeOk: true,
      memory: { rss: 1e8, heapUsed: 5e7 },
      inFlight: 0,
      connections: connections.map((c) => ({
        ...c,
        provider: c.provider,
        profile: "apikey",
        state: "closed",
        failures: 0,
        openUntil: null,
        cooldownUntil: null,
        cooldownReason: null,
        lockouts: [],
        inFlight: 0,
        requests: 100,
        latencyEwmaMs: 200,
        queue: { active: 0, waiting: 0, rpm: 0, maxConcurrent: 0, queueSize: 100 },
      })),
      latency: models.map((m) => ({ series: `openai/${m}`, count: 100, p50: 200, p95: 400, p99: 600 })),
    });
    return render.page("health", { ...layout("health"), ...model });
  },
  account() {
    return render.page("account", { ...layout("account"), ...accountModel({ now, expiresAt: now + 3600_000 }) });
  },
};

for (const [name, fn] of Object.entries(pages)) {
  Deno.bench(`${name} page: queries + view model + render (${ROWS / 1000}k usage rows)`, { group: "pages" }, () => {
    fn();
  });
}
