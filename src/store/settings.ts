/** @module Stored settings sections (JSON per section); defaults and file overrides are merged in routing/state. */
import type { Db } from "./db.ts";

export function readSettingsRows(db: Db): Record<string, Record<string, unknown>> {
  const rows = db.prepare("SELECT section, value FROM settings").all() as unknown as Array<
    { section: string; value: string }
  >;
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of rows) out[r.section] = JSON.parse(r.value);
  return out;
}

export function writeSettingsSection(db: Db, section: string, value: Record<string, unknown>, now: number): void {
  db.prepare(
    `INSERT INTO settings (section, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (section) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(section, JSON.stringify(value), now);
}

/** The saved resilience snapshot (breakers, cooldowns, lockouts), or an empty list. */
export function readResilienceState<T>(db: Db): T[] {
  const r = db.prepare("SELECT value FROM resilience_state WHERE id = 1").get() as { value: string } | undefined;
  return r ? JSON.parse(r.value) : [];
}

export function writeResilienceState(db: Db, rows: unknown[], now: number): void {
  db.prepare(
    `INSERT INTO resilience_state (id, value, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(JSON.stringify(rows), now);
}
