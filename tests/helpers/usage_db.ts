/** @module Reads the gateway's usage table straight from its SQLite file (tests may import node:sqlite). */
import { DatabaseSync } from "node:sqlite";

export interface UsageRowRaw {
  request_id: string;
  requested_model: string;
  provider: string | null;
  model: string | null;
  status: number;
  stream: number;
  tokens_in: number;
  tokens_out: number;
  attempts: string;
  error_code: string | null;
}

/** Runs `fn` on a fresh connection to `{dataDir}/switchyard.sqlite` and closes it. */
export function withStore<T>(dataDir: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(`${dataDir}/switchyard.sqlite`);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return fn(db);
  } finally {
    db.close();
  }
}

/** The usage rows of one request (by its `x-request-id`). */
export function usageFor(dataDir: string, requestId: string): UsageRowRaw[] {
  return withStore(
    dataDir,
    (db) => db.prepare("SELECT * FROM usage WHERE request_id = ?").all(requestId) as unknown as UsageRowRaw[],
  );
}
