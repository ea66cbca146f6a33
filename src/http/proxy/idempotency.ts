/**
 * @module Idempotency: the first request with a given (API key, Idempotency-Key) runs; a duplicate within the
 * window waits for it and gets the same answer. Bounded in entries and bytes; a settled entry lives for the
 * window after the answer was complete (a pending one for as long as it runs).
 */
import type { StoredAnswer } from "./response_cache.ts";

/** A settled slot: the answer, "too_large" when it was over the size cap, or undefined when it never finished. */
export type Outcome = StoredAnswer | "too_large" | undefined;

export type Claim =
  | { leader: true; settle(outcome: Outcome, windowMs: number): void }
  | { leader: false; outcome: Promise<Outcome> };

export interface IdempotencyStore {
  /** Leads a new slot, or joins the one for `key` that is pending or settled within its window. */
  claim(key: string): Claim;
  readonly size: number;
}

interface Slot {
  outcome: Promise<Outcome>;
  /** Infinity while pending. */
  expires: number;
  bytes: number;
}

export const IDEMPOTENCY_LIMITS = {
  /** Slots kept at most (the oldest go first). */
  maxEntries: 10_000,
  /** Bytes of stored answers kept at most. */
  maxBytes: 32 * 1024 * 1024,
  /** A larger answer is not kept: later duplicates get a 409. */
  maxAnswerBytes: 1024 * 1024,
};

export function createIdempotencyStore(
  options: { now: () => number; maxEntries?: number; maxBytes?: number },
): IdempotencyStore {
  const maxEntries = options.maxEntries ?? IDEMPOTENCY_LIMITS.maxEntries;
  const maxBytes = options.maxBytes ?? IDEMPOTENCY_LIMITS.maxBytes;
  /** Insertion order is age order: eviction takes the oldest. */
  const slots = new Map<string, Slot>();
  let bytes = 0;

  function drop(key: string, slot: Slot): void {
    if (slots.get(key) === slot) {
      slots.delete(key);
      bytes -= slot.bytes;
    }
  }

  function evict(): void {
    for (const [key, slot] of slots) {
      if (slots.size <= maxEntries && bytes <= maxBytes) break;
      drop(key, slot);
    }
  }

  return {
    claim(key) {
      const now = options.now();
      const found = slots.get(key);
      if (found && found.expires > now) return { leader: false, outcome: found.outcome };
      if (found) drop(key, found);
      let resolve!: (o: Outcome) => void;
      const slot: Slot = { outcome: new Promise<Outcome>((r) => (resolve = r)), expires: Infinity, bytes: 0 };
      slots.set(key, slot);
      evict();
      let settled = false;
      return {
        leader: true,
        settle(outcome, windowMs) {
          if (settled) return;
          settled = true;
          resolve(outcome);
          // Only a success is kept for later duplicates: a failure may be retried (waiters already have it).
          const keep = outcome === "too_large" || (outcome !== undefined && outcome.status < 300);
          if (!keep || windowMs <= 0 || slots.get(key) !== slot) return drop(key, slot);
          slot.expires = options.now() + windowMs;
          slot.bytes = outcome === "too_large" ? 0 : outcome.body.length;
          bytes += slot.bytes;
          evict();
        },
      };
    },
    get size() {
      return slots.size;
    },
  };
}
