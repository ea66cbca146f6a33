/** @module The test bench's saved prompt sets (dashboard translator page): a name and a list of prompts. */
import type { Db } from "./db.ts";

export interface BenchSet {
  id: string;
  name: string;
  prompts: string[];
  createdAt: number;
  updatedAt: number;
}

function toSet(r: Record<string, unknown>): BenchSet {
  return {
    id: r.id as string,
    name: r.name as string,
    prompts: JSON.parse(r.prompts as string) as string[],
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

export function listBenchSets(db: Db): BenchSet[] {
  return (db.prepare("SELECT * FROM bench_sets ORDER BY name").all() as Array<Record<string, unknown>>).map(toSet);
}

export function getBenchSet(db: Db, id: string): BenchSet | undefined {
  const r = db.prepare("SELECT * FROM bench_sets WHERE id = ?").get(id) as Record<string, unknown> | undefined;
  return r ? toSet(r) : undefined;
}

export function findBenchSetByName(db: Db, name: string): BenchSet | undefined {
  const r = db.prepare("SELECT * FROM bench_sets WHERE name = ?").get(name) as Record<string, unknown> | undefined;
  return r ? toSet(r) : undefined;
}

/** Inserts (no id) or replaces a set's name and prompts; returns the stored set. */
export function saveBenchSet(db: Db, input: { id?: string; name: string; prompts: string[] }, now: number): BenchSet {
  const id = input.id ?? crypto.randomUUID();
  db.prepare(
    `INSERT INTO bench_sets (id, name, prompts, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, prompts = excluded.prompts, updated_at = excluded.updated_at`,
  ).run(id, input.name, JSON.stringify(input.prompts), now, now);
  return getBenchSet(db, id)!;
}

export function deleteBenchSet(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM bench_sets WHERE id = ?").run(id).changes > 0;
}
