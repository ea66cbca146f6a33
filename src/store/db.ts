/** @module Opens the SQLite store (the only importer of node:sqlite) and applies migrations in a transaction. */
import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS } from "./migrations.ts";

export type Db = DatabaseSync;

/** Tables an imported store must have to be accepted. */
export const REQUIRED_TABLES = ["schema_version", "settings", "connections", "api_keys", "combos", "usage"];

/** Opens (creating) the store at `path` with WAL, synchronous=NORMAL and a busy timeout, then migrates it. */
export function openDb(path: string): Db {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode: a commit survives a process kill (the WAL is written before commit returns);
  // only an OS crash or power loss can lose the last commits.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  migrate(db);
  return db;
}

/** Applies every migration newer than the stored version, each in its own transaction. */
export function migrate(db: Db): number {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null };
  let current = row.v ?? 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
      db.exec("COMMIT");
      current = m.version;
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  }
  return current;
}

/** Runs `fn` inside one IMMEDIATE transaction: all of it commits, or none of it. */
export function transaction<T>(db: Db, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}

/** True when the store accepts a write (for /healthz). */
export function isWritable(db: Db): boolean {
  try {
    db.exec("BEGIN IMMEDIATE; ROLLBACK");
    return true;
  } catch {
    return false;
  }
}
