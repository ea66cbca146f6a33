/**
 * @module Consistent snapshots (SQLite's online backup API), validated imports with an automatic backup first.
 * Deno's node:sqlite refuses ATTACH and VACUUM (INTO) unless the process runs with --allow-all
 * (https://github.com/denoland/deno/pull/28513), and `deno task start` and the compiled binary do not, so
 * nothing here may rely on them.
 */
import { backup, DatabaseSync } from "node:sqlite";
import { type Db, migrate, REQUIRED_TABLES } from "./db.ts";

/** Writes a consistent copy of the live store to `path` (replaced if it exists). Secrets stay encrypted. */
export async function exportSnapshot(db: Db, path: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    try {
      Deno.removeSync(path + suffix);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  await backup(db, path);
  // A snapshot is one self-contained file: leave WAL mode so no -wal/-shm files appear beside it when opened.
  const copy = new DatabaseSync(path);
  try {
    copy.exec("PRAGMA journal_mode = DELETE");
  } finally {
    copy.close();
  }
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
export async function importSnapshot(
  db: Db,
  options: { dataDir: string; source: string; now: Date },
): Promise<string> {
  const reason = validateSnapshot(options.source);
  if (reason) throw new Error(reason);
  Deno.mkdirSync(`${options.dataDir}/backups`, { recursive: true });
  const saved = backupPath(options.dataDir, options.now);
  await exportSnapshot(db, saved);
  const staged = `${options.dataDir}/backups/.staged-import.sqlite`;
  Deno.copyFileSync(options.source, staged);
  try {
    const incoming = new DatabaseSync(staged);
    try {
      migrate(incoming);
      const columnsOf = (handle: DatabaseSync, table: string): string[] =>
        (handle.prepare(`PRAGMA table_info("${table}")`).all() as unknown as Array<{ name: string }>).map((c) =>
          c.name
        );
      const tables = (db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_version'",
      ).all() as unknown as Array<{ name: string }>).map((t) => t.name);
      db.exec("BEGIN IMMEDIATE");
      try {
        for (const table of tables) {
          const present = new Set(columnsOf(incoming, table));
          const names = columnsOf(db, table).filter((c) => present.has(c));
          db.exec(`DELETE FROM "${table}"`);
          if (names.length === 0) continue;
          const cols = names.map((c) => `"${c}"`).join(", ");
          const insert = db.prepare(`INSERT INTO "${table}" (${cols}) VALUES (${names.map(() => "?").join(", ")})`);
          const rows = incoming.prepare(`SELECT ${cols} FROM "${table}"`).iterate() as unknown as Iterable<
            Record<string, string | number | null | Uint8Array>
          >;
          for (const row of rows) insert.run(...names.map((n) => row[n]));
        }
        db.exec("COMMIT");
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    } finally {
      incoming.close();
    }
  } finally {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) {
      try {
        Deno.removeSync(staged + suffix);
      } catch { /* not there */ }
    }
  }
  return saved;
}
