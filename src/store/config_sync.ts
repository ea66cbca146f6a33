/**
 * @module Upserts the config file's entries into the store at every start, marked `source = 'file'`; file entries
 * no longer in the file are removed. One transaction: a bad entry leaves the store as it was.
 */
import type { ConfigFile } from "../config/schema.ts";
import { type Db, transaction } from "./db.ts";
import { findConnection, insertConnection, updateConnection } from "./connections.ts";
import { listApiKeys } from "./api_keys.ts";
import { type Cipher, maskSecret } from "./secrets.ts";

/** `resolveProvider` maps an id or prefix to the provider id, or undefined when unknown. */
export async function syncConfigFile(
  db: Db,
  cipher: Cipher,
  file: ConfigFile,
  options: { now: number; resolveProvider: (name: string) => string | undefined; configPath: string },
): Promise<void> {
  const { now } = options;
  // Encrypt first (async), then write everything in one synchronous transaction.
  const connections = await Promise.all(file.connections.map(async (c, i) => {
    const provider = options.resolveProvider(c.provider) ??
      (file.customProviders.some((p) => p.id === c.provider) ? c.provider : undefined);
    if (!provider) {
      throw new Error(`${options.configPath}: connections[${i}].provider: unknown provider "${c.provider}"`);
    }
    return { entry: c, provider, apiKeyEnc: c.apiKey ? await cipher.encrypt(c.apiKey) : null };
  }));
  const customs = await Promise.all(file.customProviders.map(async (p, i) => {
    if (options.resolveProvider(p.id)) {
      throw new Error(`${options.configPath}: customProviders[${i}].id: "${p.id}" is a built-in provider id or prefix`);
    }
    return { entry: p, apiKeyEnc: p.apiKey ? await cipher.encrypt(p.apiKey) : null };
  }));

  transaction(db, () => {
    db.prepare("DELETE FROM custom_providers WHERE source = 'file'").run();
    for (const { entry, apiKeyEnc } of customs) {
      db.prepare(
        `INSERT INTO custom_providers (id, name, format, base_url, api_key_enc, models, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'file', ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, format = excluded.format, base_url = excluded.base_url,
           api_key_enc = excluded.api_key_enc, models = excluded.models, source = 'file', updated_at = excluded.updated_at`,
      ).run(
        entry.id,
        entry.name ?? null,
        entry.format,
        entry.baseUrl,
        apiKeyEnc,
        JSON.stringify(entry.models),
        now,
        now,
      );
    }

    const keep = new Set<string>();
    for (const { entry, provider, apiKeyEnc } of connections) {
      const input = {
        provider,
        name: entry.name,
        apiKeyEnc,
        keyHint: entry.apiKey ? maskSecret(entry.apiKey) : null,
        baseUrl: entry.baseUrl ?? null,
        priority: entry.priority,
        enabled: entry.enabled,
        models: entry.models ?? null,
        proxy: entry.proxy ?? null,
        source: "file" as const,
      };
      const existing = findConnection(db, provider, entry.name);
      const row = existing ? updateConnection(db, existing.id, input, now)! : insertConnection(db, input, now);
      keep.add(row.id);
    }
    for (
      const r of db.prepare("SELECT id FROM connections WHERE source = 'file'").all() as unknown as Array<
        { id: string }
      >
    ) {
      if (!keep.has(r.id)) db.prepare("DELETE FROM connections WHERE id = ?").run(r.id);
    }

    const keyNames = new Set(file.apiKeys.map((k) => k.name));
    for (const k of listApiKeys(db)) {
      if (k.source === "file" && !keyNames.has(k.name)) db.prepare("DELETE FROM api_keys WHERE id = ?").run(k.id);
    }
    for (const k of file.apiKeys) {
      const hash = cipher.hashKey(k.key);
      const prior = db.prepare("SELECT id FROM api_keys WHERE (name = ? AND source = 'file') OR key_hash = ?").get(
        k.name,
        hash,
      ) as
        | { id: string }
        | undefined;
      const values = [
        k.name,
        hash,
        maskSecret(k.key),
        JSON.stringify(k.scopes),
        k.models ? JSON.stringify(k.models) : null,
        k.budget ? JSON.stringify(k.budget) : null,
        k.options && Object.keys(k.options).length > 0 ? JSON.stringify(k.options) : null,
      ];
      if (prior) {
        db.prepare(
          "UPDATE api_keys SET name = ?, key_hash = ?, key_hint = ?, scopes = ?, models = ?, budget = ?, options = ?, source = 'file' WHERE id = ?",
        ).run(...values, prior.id);
      } else {
        db.prepare(
          `INSERT INTO api_keys (id, name, key_hash, key_hint, scopes, models, budget, options, source, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'file', ?)`,
        ).run(crypto.randomUUID(), ...values, now);
      }
    }

    db.prepare("DELETE FROM combos WHERE source = 'file'").run();
    for (const combo of file.combos) {
      const models = combo.models.map((m) => typeof m === "string" ? { model: m, weight: 1 } : m);
      db.prepare(
        `INSERT INTO combos (id, name, strategy, models, source, created_at, updated_at) VALUES (?, ?, ?, ?, 'file', ?, ?)
         ON CONFLICT (name) DO UPDATE SET strategy = excluded.strategy, models = excluded.models, source = 'file',
           updated_at = excluded.updated_at`,
      ).run(crypto.randomUUID(), combo.name, combo.strategy, JSON.stringify(models), now, now);
    }

    db.prepare("DELETE FROM aliases WHERE source = 'file'").run();
    for (const [pattern, target] of Object.entries(file.aliases)) {
      db.prepare(
        `INSERT INTO aliases (pattern, target, source, created_at) VALUES (?, ?, 'file', ?)
         ON CONFLICT (pattern) DO UPDATE SET target = excluded.target, source = 'file'`,
      ).run(pattern, target, now);
    }
  });
}
