/** @module Numbered schema migrations, as TS strings so `deno compile` embeds them. Append only; never edit one. */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "foundation",
    sql: `
CREATE TABLE settings (
  section TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE custom_providers (
  id TEXT PRIMARY KEY,
  name TEXT,
  format TEXT NOT NULL,
  base_url TEXT NOT NULL,
  api_key_enc TEXT,
  models TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL DEFAULT 'api',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  name TEXT NOT NULL,
  api_key_enc TEXT,
  key_hint TEXT,
  base_url TEXT,
  priority INTEGER NOT NULL DEFAULT 1,
  enabled INTEGER NOT NULL DEFAULT 1,
  models TEXT,
  proxy TEXT,
  source TEXT NOT NULL DEFAULT 'api',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (provider, name)
);
CREATE TABLE provider_models (
  provider TEXT NOT NULL,
  model_id TEXT NOT NULL,
  model_name TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (provider, model_id)
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_hint TEXT NOT NULL,
  scopes TEXT NOT NULL,
  models TEXT,
  budget TEXT,
  source TEXT NOT NULL DEFAULT 'api',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE TABLE combos (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  strategy TEXT NOT NULL,
  models TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'api',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE aliases (
  pattern TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'api',
  created_at INTEGER NOT NULL
);
CREATE TABLE admin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  password_hash TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
-- Narrow and append-only: one row per answered request, written before its last byte is sent.
CREATE TABLE usage (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  key_id TEXT,
  surface TEXT NOT NULL,
  requested_model TEXT NOT NULL,
  provider TEXT,
  connection_id TEXT,
  model TEXT,
  status INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  tokens_reasoning INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  cost REAL NOT NULL DEFAULT 0,
  attempts TEXT NOT NULL,
  error_code TEXT
);
CREATE INDEX usage_ts ON usage (ts);
`,
  },
  {
    version: 2,
    name: "resilience_state",
    sql: `
-- Breakers, cooldowns and lockouts that must survive a restart (one JSON snapshot).
CREATE TABLE resilience_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 3,
    name: "pricing_budgets_logs",
    sql: `
-- Price overrides (USD per 1M tokens); the built-in catalog's list prices apply where no row exists.
CREATE TABLE pricing (
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input REAL NOT NULL,
  output REAL NOT NULL,
  cached_input REAL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (provider, model)
);
-- Budget spend per key and period comes from usage: this index answers it without a scan.
CREATE INDEX usage_key_ts ON usage (key_id, ts);
-- Bodies of requests and responses, only with ENABLE_REQUEST_LOGS (secrets redacted, size-capped).
CREATE TABLE request_bodies (
  request_id TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,
  request TEXT,
  response TEXT,
  truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX request_bodies_ts ON request_bodies (ts);
`,
  },
  {
    version: 4,
    name: "cache_and_key_options",
    sql: `
-- Per-key switches (JSON: {"noCache": true, "noSystemPrompt": true}); NULL = none.
ALTER TABLE api_keys ADD COLUMN options TEXT;
-- 1 for a response-cache hit or an idempotent replay (no upstream call, cost 0, no budget spend).
ALTER TABLE usage ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
-- Input tokens the upstream wrote to its prompt cache (Anthropic cache_creation_input_tokens and the like).
ALTER TABLE usage ADD COLUMN tokens_cache_write INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 5,
    name: "usage_rollups",
    sql: `
-- Hourly aggregates of usage, one row per (dimension, hour, value), kept by a background job from the
-- append-only rows (never on the request path). dim is provider, model, key, connection or total (value '').
CREATE TABLE usage_rollup (
  dim TEXT NOT NULL,
  hour INTEGER NOT NULL,
  value TEXT NOT NULL,
  requests INTEGER NOT NULL,
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  cost REAL NOT NULL,
  PRIMARY KEY (dim, hour, value)
) WITHOUT ROWID;
-- The highest usage id already in usage_rollup: rows above it are the tail that queries add from usage itself.
CREATE TABLE usage_rollup_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL
);
INSERT INTO usage_rollup_state (id, last_id) VALUES (1, 0);
`,
  },
  {
    version: 6,
    name: "bench_sets",
    sql: `
-- The dashboard test bench's saved prompt sets: prompts is a JSON array of strings.
CREATE TABLE bench_sets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  prompts TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 7,
    name: "rollup_errors_and_provider_model",
    sql: `
-- Errors per hour, and a (provider, model) dimension ('pm', value provider || char(31) || model) so the dashboard's
-- daily charts and top lists read aggregates instead of scanning usage. The aggregates are rebuilt from the raw
-- rows (the watermark restarts at 0); no release has shipped usage_rollup yet, so no pruned history is lost.
ALTER TABLE usage_rollup ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
DELETE FROM usage_rollup;
UPDATE usage_rollup_state SET last_id = 0 WHERE id = 1;
`,
  },
  {
    version: 8,
    name: "rollup_prompt_cache",
    sql: `
-- Prompt-cache figures per hour for upstream calls only (gateway cache hits and replays reached no provider), so
-- Settings › AI reads aggregates instead of scanning usage. Rebuilt from the raw rows, as in migration 7.
ALTER TABLE usage_rollup ADD COLUMN upstream_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_rollup ADD COLUMN upstream_tokens_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_rollup ADD COLUMN tokens_cached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_rollup ADD COLUMN tokens_cache_write INTEGER NOT NULL DEFAULT 0;
DELETE FROM usage_rollup;
UPDATE usage_rollup_state SET last_id = 0 WHERE id = 1;
`,
  },
  {
    version: 9,
    name: "drop_usage_key_index",
    sql: `
-- Budget spend now comes from the hourly key aggregates plus the rows around them (spentBetween), so this index only
-- cost every usage insert a third B-tree write.
DROP INDEX IF EXISTS usage_key_ts;
`,
  },
];
