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
