/** @module Consistent snapshots (VACUUM INTO), validated imports with an automatic backup first. */
import { DatabaseSync } from "node:sqlite";
import { type Db, migrate, REQUIRED_TABLES } from "./db.ts";

/** Writes a consistent copy of the live store to `path` (which must not exist). Secrets stay encrypted. */
export function exportSnapshot(db: Db, path: string): void {
  try {
    Deno.removeSync(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  db.prepare("VACUUM INTO ?").run(path);
}

/** Checks that `path` is an intact SQLite file holding Switchyard's tables; returns the reason when not. */
export function validateSnapshot(path: string): string | undefined {
  let candidate: DatabaseSync | undefined;
  try {
    candidate = new DatabaseSync(path, { readOnly: true });
    const check = candidate.prepare("PRAGMA integrity_check").get() as { integrity_check: string };
    if (check.integrity_check !== "ok") return `integrity check failed: ${check.integrity_check}`;
    const tables = new Set(
      (candidate.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as unknown as Array<
        { name: string }
      >).map((t) => t.name),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) return `not a Switchyard store: missing tables ${missing.join(", ")}`;
    return undefined;
  } catch (err) {
    return `not a readable SQLite database (${(err as Error).message})`;
  } finally {
    candidate?.close();
  }
}

/** Where the automatic pre-import backups go. */
export function backupPath(dataDir: string, now: Date): string {
  return `${dataDir}/backups/pre-import-${now.toISOString().replace(/[:.]/g, "-")}.sqlite`;
}

/**
 * Replaces the contents of the open store with the snapshot at `source`: validates it, backs the current store up
 * into `dataDir/backups/` first, migrates a staged copy, then copies every table in one transaction (so open
 * handles stay valid and a failure leaves the store as it was). Returns the backup's path.
 */
export function importSnapshot(db: Db, options: { dataDir: string; source: string; now: Date }): string {
  const reason = validateSnapshot(options.source);
  if (reason) throw new Error(reason);
  Deno.mkdirSync(`${options.dataDir}/backups`, { recursive: true });
  const backup = backupPath(options.dataDir, options.now);
  exportSnapshot(db, backup);
  const staged = `${options.dataDir}/backups/.staged-import.sqlite`;
  Deno.copyFileSync(options.source, staged);
  try {
    const fresh = new DatabaseSync(staged);
    try {
      migrate(fresh);
    } finally {
      fresh.close();
    }
    db.prepare("ATTACH DATABASE ? AS incoming").run(staged);
    try {
      const tables = (db.prepare(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_version'",
      ).all() as unknown as Array<{ name: string }>).map((t) => t.name);
      db.exec("BEGIN IMMEDIATE");
      try {
        for (const table of tables) {
          const cols =
            (db.prepare(`PRAGMA incoming.table_info("${table}")`).all() as unknown as Array<{ name: string }>)
              .map((c) => `"${c.name}"`);
          db.exec(`DELETE FROM main."${table}"`);
          if (cols.length > 0) {
            db.exec(
              `INSERT INTO main."${table}" (${cols.join(", ")}) SELECT ${cols.join(", ")} FROM incoming."${table}"`,
            );
          }
        }
        db.exec("COMMIT");
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    } finally {
      db.exec("DETACH DATABASE incoming");
    }
  } finally {
    Deno.removeSync(staged);
  }
  return backup;
}
