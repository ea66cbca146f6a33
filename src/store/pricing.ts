/** @module Price overrides per provider model (USD per 1M tokens), over the catalog's list prices. */
import type { Db } from "./db.ts";

export interface PriceRow {
  provider: string;
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  updatedAt: number;
}

export function listPrices(db: Db): PriceRow[] {
  const rows = db.prepare("SELECT * FROM pricing ORDER BY provider, model").all() as unknown as Array<{
    provider: string;
    model: string;
    input: number;
    output: number;
    cached_input: number | null;
    updated_at: number;
  }>;
  return rows.map((r) => ({
    provider: r.provider,
    model: r.model,
    input: r.input,
    output: r.output,
    cachedInput: r.cached_input,
    updatedAt: r.updated_at,
  }));
}

export function upsertPrice(db: Db, row: Omit<PriceRow, "updatedAt">, now: number): void {
  db.prepare(
    `INSERT INTO pricing (provider, model, input, output, cached_input, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (provider, model) DO UPDATE SET input = excluded.input, output = excluded.output,
       cached_input = excluded.cached_input, updated_at = excluded.updated_at`,
  ).run(row.provider, row.model, row.input, row.output, row.cachedInput, now);
}

export function deletePrice(db: Db, provider: string, model: string): boolean {
  return db.prepare("DELETE FROM pricing WHERE provider = ? AND model = ?").run(provider, model).changes > 0;
}
