/** @module The dashboard password (PBKDF2 hash) and server-side sessions. */
import type { Db } from "./db.ts";

export function getPasswordHash(db: Db): string | undefined {
  const r = db.prepare("SELECT password_hash FROM admin WHERE id = 1").get() as { password_hash: string } | undefined;
  return r?.password_hash;
}

export function setPasswordHash(db: Db, hash: string, now: number): void {
  db.prepare(
    `INSERT INTO admin (id, password_hash, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
  ).run(hash, now);
}

export function createSession(db: Db, id: string, now: number, ttlMs: number): void {
  db.prepare("DELETE FROM sessions WHERE expires_at < ?").run(now);
  db.prepare("INSERT INTO sessions (id, created_at, expires_at) VALUES (?, ?, ?)").run(id, now, now + ttlMs);
}

export function sessionValid(db: Db, id: string, now: number): boolean {
  const r = db.prepare("SELECT expires_at FROM sessions WHERE id = ?").get(id) as { expires_at: number } | undefined;
  return r !== undefined && r.expires_at > now;
}

export function deleteSession(db: Db, id: string): void {
  db.prepare("DELETE FROM sessions WHERE id = ?").run(id);
}

/** Ends every session (after a password change). */
export function deleteAllSessions(db: Db): void {
  db.prepare("DELETE FROM sessions").run();
}

/** Ends every session but `keepId` (after a password change in the dashboard). */
export function deleteOtherSessions(db: Db, keepId: string): number {
  return Number(db.prepare("DELETE FROM sessions WHERE id != ?").run(keepId).changes);
}

export function sessionExpiresAt(db: Db, id: string): number | undefined {
  const r = db.prepare("SELECT expires_at FROM sessions WHERE id = ?").get(id) as { expires_at: number } | undefined;
  return r?.expires_at;
}
