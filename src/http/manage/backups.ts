/**
 * @module Database export and import, shared by /api/db-backups/* and the dashboard's settings page: a consistent
 * `.sqlite` snapshot, the credential-free `.tar.gz`, and a validated import (100 MB cap, integrity check, required
 * tables, automatic pre-import backup).
 */
import { GatewayError } from "../../core/errors.ts";
import { exportAllArchive, exportSnapshot, importSnapshot } from "../../store/mod.ts";
import type { Gateway } from "../context.ts";

export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024;

export interface Download {
  data: Uint8Array<ArrayBuffer>;
  filename: string;
  contentType: string;
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, "-");
}

function tmpPath(gw: Gateway, name: string): string {
  Deno.mkdirSync(`${gw.config.dataDir}/backups`, { recursive: true });
  return `${gw.config.dataDir}/backups/.${name}-${crypto.randomUUID()}.sqlite`;
}

/** A consistent snapshot of the live store (secrets stay encrypted). */
export async function exportDatabaseOp(gw: Gateway): Promise<Download> {
  const path = tmpPath(gw, "export");
  try {
    await exportSnapshot(gw.db, path);
    const data = await Deno.readFile(path) as Uint8Array<ArrayBuffer>;
    return { data, filename: `switchyard-${stamp(gw.now())}.sqlite`, contentType: "application/vnd.sqlite3" };
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

/** Everything but credentials: the stripped store plus JSON views, as .tar.gz. */
export async function exportAllOp(gw: Gateway): Promise<Download> {
  const data = await exportAllArchive(gw.db, tmpPath(gw, "export-all"), gw.now());
  return {
    data: data as Uint8Array<ArrayBuffer>,
    filename: `switchyard-all-${stamp(gw.now())}.tar.gz`,
    contentType: "application/gzip",
  };
}

/** Replaces the store with an uploaded snapshot; returns the pre-import backup's path relative to the data dir. */
export async function importDatabaseOp(gw: Gateway, bytes: Uint8Array): Promise<string> {
  if (bytes.length === 0) throw new GatewayError("invalid_request", "the upload is empty", { param: "file" });
  if (bytes.length > IMPORT_LIMIT_BYTES) {
    throw new GatewayError("payload_too_large", "an import may be at most 100 MB", { param: "file" });
  }
  const path = tmpPath(gw, "upload");
  await Deno.writeFile(path, bytes, { mode: 0o600 });
  try {
    const backup = await importSnapshot(gw.db, { dataDir: gw.config.dataDir, source: path, now: new Date(gw.now()) });
    await gw.reload();
    return backup.slice(gw.config.dataDir.length + 1);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError("invalid_request", `import refused: ${(err as Error).message}`, { param: "file" });
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}
