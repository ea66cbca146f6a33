/** @module Provider connections (one account or key each) and custom providers: plain functions over the store. */
import type { Db } from "./db.ts";

export type Source = "api" | "file";

export interface ConnectionRow {
  id: string;
  provider: string;
  name: string;
  /** Encrypted at rest (`v1:` AES-GCM); never leaves the server. */
  apiKeyEnc: string | null;
  /** Masked form for display (`sk-…abcd`). */
  keyHint: string | null;
  baseUrl: string | null;
  priority: number;
  enabled: boolean;
  models: string[] | null;
  proxy: string | null;
  source: Source;
  createdAt: number;
  updatedAt: number;
}

interface RawConnection {
  id: string;
  provider: string;
  name: string;
  api_key_enc: string | null;
  key_hint: string | null;
  base_url: string | null;
  priority: number;
  enabled: number;
  models: string | null;
  proxy: string | null;
  source: Source;
  created_at: number;
  updated_at: number;
}

function toRow(r: RawConnection): ConnectionRow {
  return {
    id: r.id,
    provider: r.provider,
    name: r.name,
    apiKeyEnc: r.api_key_enc,
    keyHint: r.key_hint,
    baseUrl: r.base_url,
    priority: r.priority,
    enabled: r.enabled === 1,
    models: r.models ? JSON.parse(r.models) : null,
    proxy: r.proxy,
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listConnections(db: Db): ConnectionRow[] {
  const rows = db.prepare("SELECT * FROM connections ORDER BY provider, priority, name")
    .all() as unknown as RawConnection[];
  return rows.map(toRow);
}

export function getConnection(db: Db, id: string): ConnectionRow | undefined {
  const r = db.prepare("SELECT * FROM connections WHERE id = ?").get(id) as unknown as RawConnection | undefined;
  return r ? toRow(r) : undefined;
}

export function findConnection(db: Db, provider: string, name: string): ConnectionRow | undefined {
  const r = db.prepare("SELECT * FROM connections WHERE provider = ? AND name = ?").get(provider, name) as unknown as
    | RawConnection
    | undefined;
  return r ? toRow(r) : undefined;
}

export type ConnectionInput = Omit<ConnectionRow, "id" | "createdAt" | "updatedAt">;

export function insertConnection(db: Db, input: ConnectionInput, now: number): ConnectionRow {
  const id = crypto.randomUUID();
  db.prepare(
    `INSERT INTO connections (id, provider, name, api_key_enc, key_hint, base_url, priority, enabled, models, proxy,
      source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    input.provider,
    input.name,
    input.apiKeyEnc,
    input.keyHint,
    input.baseUrl,
    input.priority,
    input.enabled ? 1 : 0,
    input.models ? JSON.stringify(input.models) : null,
    input.proxy,
    input.source,
    now,
    now,
  );
  return getConnection(db, id)!;
}

export function updateConnection(db: Db, id: string, input: ConnectionInput, now: number): ConnectionRow | undefined {
  const result = db.prepare(
    `UPDATE connections SET provider = ?, name = ?, api_key_enc = ?, key_hint = ?, base_url = ?, priority = ?,
      enabled = ?, models = ?, proxy = ?, source = ?, updated_at = ? WHERE id = ?`,
  ).run(
    input.provider,
    input.name,
    input.apiKeyEnc,
    input.keyHint,
    input.baseUrl,
    input.priority,
    input.enabled ? 1 : 0,
    input.models ? JSON.stringify(input.models) : null,
    input.proxy,
    input.source,
    now,
    id,
  );
  return result.changes > 0 ? getConnection(db, id) : undefined;
}

export function deleteConnection(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM connections WHERE id = ?").run(id).changes > 0;
}

export interface CustomProviderRow {
  id: string;
  name: string | null;
  format: "openai" | "anthropic" | "gemini";
  baseUrl: string;
  apiKeyEnc: string | null;
  models: string[];
  source: Source;
  createdAt: number;
  updatedAt: number;
}

interface RawCustomProvider {
  id: string;
  name: string | null;
  format: CustomProviderRow["format"];
  base_url: string;
  api_key_enc: string | null;
  models: string;
  source: Source;
  created_at: number;
  updated_at: number;
}

function toCustom(r: RawCustomProvider): CustomProviderRow {
  return {
    id: r.id,
    name: r.name,
    format: r.format,
    baseUrl: r.base_url,
    apiKeyEnc: r.api_key_enc,
    models: JSON.parse(r.models),
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listCustomProviders(db: Db): CustomProviderRow[] {
  return (db.prepare("SELECT * FROM custom_providers ORDER BY id").all() as unknown as RawCustomProvider[]).map(
    toCustom,
  );
}

export function upsertCustomProvider(
  db: Db,
  input: Omit<CustomProviderRow, "createdAt" | "updatedAt">,
  now: number,
): void {
  db.prepare(
    `INSERT INTO custom_providers (id, name, format, base_url, api_key_enc, models, source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, format = excluded.format, base_url = excluded.base_url,
       api_key_enc = excluded.api_key_enc, models = excluded.models, source = excluded.source,
       updated_at = excluded.updated_at`,
  ).run(
    input.id,
    input.name,
    input.format,
    input.baseUrl,
    input.apiKeyEnc,
    JSON.stringify(input.models),
    input.source,
    now,
    now,
  );
}

export function deleteCustomProvider(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM custom_providers WHERE id = ?").run(id).changes > 0;
}

export interface ProviderModelRow {
  provider: string;
  modelId: string;
  modelName: string | null;
  createdAt: number;
}

export function listProviderModels(db: Db, provider?: string): ProviderModelRow[] {
  const rows =
    (provider
      ? db.prepare("SELECT * FROM provider_models WHERE provider = ? ORDER BY model_id").all(provider)
      : db.prepare("SELECT * FROM provider_models ORDER BY provider, model_id").all()) as unknown as Array<
        { provider: string; model_id: string; model_name: string | null; created_at: number }
      >;
  return rows.map((r) => ({
    provider: r.provider,
    modelId: r.model_id,
    modelName: r.model_name,
    createdAt: r.created_at,
  }));
}

export function upsertProviderModel(db: Db, row: Omit<ProviderModelRow, "createdAt">, now: number): void {
  db.prepare(
    `INSERT INTO provider_models (provider, model_id, model_name, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (provider, model_id) DO UPDATE SET model_name = excluded.model_name`,
  ).run(row.provider, row.modelId, row.modelName, now);
}

export function deleteProviderModel(db: Db, provider: string, modelId: string): boolean {
  return db.prepare("DELETE FROM provider_models WHERE provider = ? AND model_id = ?").run(provider, modelId).changes >
    0;
}
