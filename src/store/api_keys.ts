/** @module Gateway API keys: stored only as a keyed hash plus a masked hint; shown once at creation. */
import type { Db } from "./db.ts";
import type { Source } from "./connections.ts";

export interface Budget {
  daily?: number;
  weekly?: number;
  monthly?: number;
  warnAt?: number;
}

/** Per-key switches over gateway-wide AI features. */
export interface ApiKeyOptions {
  /** Never read or write the response cache for this key. */
  noCache?: boolean;
  /** Do not inject the global system prompt into this key's requests. */
  noSystemPrompt?: boolean;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  keyHash: string;
  keyHint: string;
  scopes: Array<"inference" | "admin">;
  models: string[] | null;
  budget: Budget | null;
  options: ApiKeyOptions | null;
  source: Source;
  createdAt: number;
  lastUsedAt: number | null;
}

interface RawKey {
  id: string;
  name: string;
  key_hash: string;
  key_hint: string;
  scopes: string;
  models: string | null;
  budget: string | null;
  options: string | null;
  source: Source;
  created_at: number;
  last_used_at: number | null;
}

function toRow(r: RawKey): ApiKeyRow {
  return {
    id: r.id,
    name: r.name,
    keyHash: r.key_hash,
    keyHint: r.key_hint,
    scopes: JSON.parse(r.scopes),
    models: r.models ? JSON.parse(r.models) : null,
    budget: r.budget ? JSON.parse(r.budget) : null,
    options: r.options ? JSON.parse(r.options) : null,
    source: r.source,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

export function listApiKeys(db: Db): ApiKeyRow[] {
  return (db.prepare("SELECT * FROM api_keys ORDER BY created_at, name").all() as unknown as RawKey[]).map(toRow);
}

export function getApiKey(db: Db, id: string): ApiKeyRow | undefined {
  const r = db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as unknown as RawKey | undefined;
  return r ? toRow(r) : undefined;
}

export type ApiKeyInput = Omit<ApiKeyRow, "id" | "createdAt" | "lastUsedAt" | "options"> & {
  id?: string;
  options?: ApiKeyOptions | null;
};

function optionsJson(options: ApiKeyOptions | null | undefined): string | null {
  return options && Object.keys(options).length > 0 ? JSON.stringify(options) : null;
}

export function insertApiKey(db: Db, input: ApiKeyInput, now: number): ApiKeyRow {
  const id = input.id ?? crypto.randomUUID();
  db.prepare(
    `INSERT INTO api_keys (id, name, key_hash, key_hint, scopes, models, budget, options, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    input.name,
    input.keyHash,
    input.keyHint,
    JSON.stringify(input.scopes),
    input.models ? JSON.stringify(input.models) : null,
    input.budget ? JSON.stringify(input.budget) : null,
    optionsJson(input.options),
    input.source,
    now,
  );
  return getApiKey(db, id)!;
}

export function updateApiKey(db: Db, id: string, input: ApiKeyInput): void {
  db.prepare(
    `UPDATE api_keys SET name = ?, key_hash = ?, key_hint = ?, scopes = ?, models = ?, budget = ?, options = ?,
     source = ? WHERE id = ?`,
  ).run(
    input.name,
    input.keyHash,
    input.keyHint,
    JSON.stringify(input.scopes),
    input.models ? JSON.stringify(input.models) : null,
    input.budget ? JSON.stringify(input.budget) : null,
    optionsJson(input.options),
    input.source,
    id,
  );
}

export function deleteApiKey(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM api_keys WHERE id = ?").run(id).changes > 0;
}

/** Records last use in one statement for many keys (called from a background flush, not per request). */
export function touchApiKeys(db: Db, used: Map<string, number>): void {
  const stmt = db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
  for (const [id, at] of used) stmt.run(at, id);
}
