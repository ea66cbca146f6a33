/** @module The "export all" archive: a credential-free copy of the store plus readable JSON, as .tar.gz. */
import { DatabaseSync } from "node:sqlite";
import { type Db } from "./db.ts";
import { exportSnapshot } from "./backup.ts";

/** One ustar entry (https://www.gnu.org/software/tar/manual/html_node/Standard.html). */
function tarEntry(name: string, data: Uint8Array, mtime: number): Uint8Array {
  const header = new Uint8Array(512);
  const enc = new TextEncoder();
  const put = (text: string, offset: number, length: number): void => {
    header.set(enc.encode(text).subarray(0, length), offset);
  };
  const octal = (n: number, length: number): string => n.toString(8).padStart(length - 1, "0") + "\0";
  put(name, 0, 100);
  put(octal(0o600, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  put("        ", 148, 8);
  put("0", 156, 1);
  put("ustar\u000000", 257, 8);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  const padded = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  padded.set(header);
  padded.set(data, 512);
  return padded;
}

/** Builds a gzip'd tar of files. */
export async function tarGz(files: Array<{ name: string; data: Uint8Array }>, mtime: number): Promise<Uint8Array> {
  const parts = files.map((f) => tarEntry(f.name, f.data, mtime));
  parts.push(new Uint8Array(1024));
  const blob = new Blob(parts as BlobPart[]);
  const gz = blob.stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(gz).arrayBuffer());
}

/**
 * Writes a snapshot to `tmpPath`, strips every credential from it (provider keys, custom provider keys, key
 * hashes, sessions, the admin password), and returns the archive bytes with JSON views of the configuration.
 */
export async function exportAllArchive(db: Db, tmpPath: string, now: number): Promise<Uint8Array> {
  await exportSnapshot(db, tmpPath);
  const copy = new DatabaseSync(tmpPath);
  const json: Record<string, unknown> = {};
  try {
    // secure_delete zeroes what the statements below remove, so no credential survives in a free page
    // (VACUUM would do it too, but Deno refuses VACUUM without --allow-all).
    copy.exec("PRAGMA secure_delete = ON");
    copy.exec(`
      UPDATE connections SET api_key_enc = NULL;
      UPDATE custom_providers SET api_key_enc = NULL;
      UPDATE api_keys SET key_hash = 'removed:' || id;
      DELETE FROM sessions;
      DELETE FROM admin;
    `);
    for (
      const table of ["settings", "connections", "custom_providers", "provider_models", "api_keys", "combos", "aliases"]
    ) {
      json[table] = copy.prepare(`SELECT * FROM ${table}`).all();
    }
  } finally {
    copy.close();
  }
  const enc = new TextEncoder();
  const files = [
    { name: "switchyard.sqlite", data: Deno.readFileSync(tmpPath) },
    ...Object.entries(json).map(([name, rows]) => ({
      name: `${name}.json`,
      data: enc.encode(JSON.stringify(rows, null, 2)),
    })),
  ];
  Deno.removeSync(tmpPath);
  return await tarGz(files, now);
}
