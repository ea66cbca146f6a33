/**
 * @module Retention: deletes the oldest usage rows, request bodies and hourly rollups by age and row count, one
 * small batch per call, so a caller in the background can yield between batches and never stall requests.
 */
import type { Db } from "./db.ts";
import { rollupWatermark } from "./usage_rollup.ts";

export interface RetentionLimits {
  /** Rows older than this (epoch ms) go. */
  before: number;
  /** Keep at most this many rows (the newest); 0 = no cap. */
  maxRows: number;
}

/** How many rows over the cap a table holds now (0 when under it or uncapped). Counting costs one index scan. */
export function excessRows(db: Db, table: "usage" | "request_bodies", maxRows: number): number {
  if (maxRows <= 0) return 0;
  const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return Math.max(0, n - maxRows);
}

/**
 * Deletes up to `batch` usage rows: first `overCap` oldest rows (from `excessRows`), else rows older than
 * `before`. Only rows the rollup already holds go, and never the newest row (its id keeps new ids above the
 * rollup watermark). Returns the number deleted.
 */
export function pruneUsage(db: Db, options: { before: number; overCap: number; batch: number }): number {
  const maxId = (db.prepare("SELECT MAX(id) AS id FROM usage").get() as { id: number | null }).id;
  if (maxId === null) return 0;
  const safe = Math.min(rollupWatermark(db), maxId - 1);
  if (options.overCap > 0) {
    return db.prepare(
      "DELETE FROM usage WHERE id IN (SELECT id FROM usage WHERE id <= ? ORDER BY id LIMIT ?)",
    ).run(safe, Math.min(options.batch, options.overCap)).changes as number;
  }
  return db.prepare(
    "DELETE FROM usage WHERE id IN (SELECT id FROM usage WHERE ts < ? AND id <= ? LIMIT ?)",
  ).run(options.before, safe, options.batch).changes as number;
}

/** Deletes up to `batch` request bodies: the oldest `overCap` first, else those older than `before`. */
export function pruneBodies(db: Db, options: { before: number; overCap: number; batch: number }): number {
  if (options.overCap > 0) {
    return db.prepare(
      "DELETE FROM request_bodies WHERE rowid IN (SELECT rowid FROM request_bodies ORDER BY ts LIMIT ?)",
    ).run(Math.min(options.batch, options.overCap)).changes as number;
  }
  return db.prepare(
    "DELETE FROM request_bodies WHERE rowid IN (SELECT rowid FROM request_bodies WHERE ts < ? LIMIT ?)",
  ).run(options.before, options.batch).changes as number;
}

/** Deletes up to `batch` hourly rollup rows older than `before`. */
export function pruneRollups(db: Db, options: { before: number; batch: number }): number {
  return db.prepare(
    `DELETE FROM usage_rollup WHERE (dim, hour, value) IN
       (SELECT dim, hour, value FROM usage_rollup WHERE hour < ? LIMIT ?)`,
  ).run(options.before, options.batch).changes as number;
}
