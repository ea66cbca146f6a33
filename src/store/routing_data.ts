/** @module Combos and aliases as stored rows (validated data; resolution lives in routing/). */
import type { Db } from "./db.ts";
import type { Source } from "./connections.ts";

export interface ComboModel {
  model: string;
  weight: number;
}

export interface ComboRow {
  id: string;
  name: string;
  strategy: string;
  models: ComboModel[];
  source: Source;
  createdAt: number;
  updatedAt: number;
}

interface RawCombo {
  id: string;
  name: string;
  strategy: string;
  models: string;
  source: Source;
  created_at: number;
  updated_at: number;
}

function toCombo(r: RawCombo): ComboRow {
  return {
    id: r.id,
    name: r.name,
    strategy: r.strategy,
    models: JSON.parse(r.models),
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listCombos(db: Db): ComboRow[] {
  return (db.prepare("SELECT * FROM combos ORDER BY name").all() as unknown as RawCombo[]).map(toCombo);
}

export function getCombo(db: Db, id: string): ComboRow | undefined {
  const r = db.prepare("SELECT * FROM combos WHERE id = ? OR name = ?").get(id, id) as unknown as RawCombo | undefined;
  return r ? toCombo(r) : undefined;
}

export function upsertCombo(
  db: Db,
  input: { name: string; strategy: string; models: ComboModel[]; source: Source },
  now: number,
): ComboRow {
  db.prepare(
    `INSERT INTO combos (id, name, strategy, models, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET strategy = excluded.strategy, models = excluded.models,
       source = excluded.source, updated_at = excluded.updated_at`,
  ).run(crypto.randomUUID(), input.name, input.strategy, JSON.stringify(input.models), input.source, now, now);
  return getCombo(db, input.name)!;
}

export function deleteCombo(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM combos WHERE id = ? OR name = ?").run(id, id).changes > 0;
}

export interface AliasRow {
  pattern: string;
  target: string;
  source: Source;
  createdAt: number;
}

export function listAliases(db: Db): AliasRow[] {
  const rows = db.prepare("SELECT * FROM aliases ORDER BY pattern").all() as unknown as Array<
    { pattern: string; target: string; source: Source; created_at: number }
  >;
  return rows.map((r) => ({ pattern: r.pattern, target: r.target, source: r.source, createdAt: r.created_at }));
}

export function upsertAlias(db: Db, row: Omit<AliasRow, "createdAt">, now: number): void {
  db.prepare(
    `INSERT INTO aliases (pattern, target, source, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (pattern) DO UPDATE SET target = excluded.target, source = excluded.source`,
  ).run(row.pattern, row.target, row.source, now);
}

export function deleteAlias(db: Db, pattern: string): boolean {
  return db.prepare("DELETE FROM aliases WHERE pattern = ?").run(pattern).changes > 0;
}
