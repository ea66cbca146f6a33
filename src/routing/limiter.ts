/**
 * @module Per-connection rate limits: requests per minute, a minimum gap between requests, a concurrency cap.
 * Excess requests wait in a bounded queue with a timeout, then get a 429 (`rate_limited`, with Retry-After).
 */
import { GatewayError } from "../core/errors.ts";

export interface Limits {
  /** Requests per rolling minute; 0 = no limit. */
  rpm: number;
  /** Least ms between two request starts; 0 = none. */
  minGapMs: number;
  /** Requests in flight at once; 0 = no limit. */
  maxConcurrent: number;
  /** Waiting requests allowed per connection. */
  queueSize: number;
  /** Longest wait in the queue. */
  queueTimeoutMs: number;
}

export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (err: GatewayError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface KeyState {
  active: number;
  /** Start times within the last minute (at most `rpm` kept). */
  starts: number[];
  lastStart: number;
  queue: Waiter[];
  wake: ReturnType<typeof setTimeout> | undefined;
  limits: Limits;
}

export interface LimiterView {
  key: string;
  active: number;
  queued: number;
  recentStarts: number;
  limits: Limits;
}

export interface Limiter {
  /** Resolves with a release function once the request may start; rejects with 429 when the queue is full or times out. */
  acquire(key: string, limits: Limits): Promise<Release>;
  list(): LimiterView[];
  retain(keys: Set<string>): void;
}

const NOOP: Release = () => {};

function unlimited(l: Limits): boolean {
  return l.rpm <= 0 && l.minGapMs <= 0 && l.maxConcurrent <= 0;
}

export function createLimiter(deps: { now: () => number }): Limiter {
  const keys = new Map<string, KeyState>();

  /** ms until a request could start now (0 = now). */
  function waitFor(s: KeyState, now: number): number {
    const l = s.limits;
    if (l.maxConcurrent > 0 && s.active >= l.maxConcurrent) return Infinity; // woken by a release
    let wait = 0;
    if (l.minGapMs > 0 && s.lastStart > 0) wait = Math.max(wait, s.lastStart + l.minGapMs - now);
    if (l.rpm > 0) {
      while (s.starts.length > 0 && s.starts[0] <= now - 60_000) s.starts.shift();
      if (s.starts.length >= l.rpm) wait = Math.max(wait, s.starts[0] + 60_000 - now);
    }
    return Math.max(0, wait);
  }

  function start(key: string, s: KeyState, now: number): Release {
    s.active++;
    s.lastStart = now;
    if (s.limits.rpm > 0) {
      s.starts.push(now);
      if (s.starts.length > s.limits.rpm) s.starts.shift();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      s.active--;
      pump(key, s);
    };
  }

  function pump(key: string, s: KeyState): void {
    if (s.wake) {
      clearTimeout(s.wake);
      s.wake = undefined;
    }
    while (s.queue.length > 0) {
      const now = deps.now();
      const wait = waitFor(s, now);
      if (wait === 0) {
        const w = s.queue.shift()!;
        clearTimeout(w.timer);
        w.resolve(start(key, s, now));
        continue;
      }
      if (Number.isFinite(wait)) s.wake = setTimeout(() => pump(key, s), wait);
      return;
    }
  }

  return {
    acquire(key, limits) {
      if (unlimited(limits) && !keys.has(key)) return Promise.resolve(NOOP);
      let s = keys.get(key);
      if (!s) {
        s = { active: 0, starts: [], lastStart: 0, queue: [], wake: undefined, limits };
        keys.set(key, s);
      }
      s.limits = limits;
      const now = deps.now();
      if (s.queue.length === 0 && waitFor(s, now) === 0) return Promise.resolve(start(key, s, now));
      if (s.queue.length >= limits.queueSize) {
        const retry = Math.max(1, Math.ceil(Math.min(waitFor(s, now), 60_000) / 1000) || 1);
        return Promise.reject(
          new GatewayError("rate_limited", `connection queue is full (${limits.queueSize} waiting)`, {
            retryAfter: retry,
          }),
        );
      }
      const state = s;
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = state.queue.indexOf(waiter);
            if (i >= 0) state.queue.splice(i, 1);
            reject(
              new GatewayError("rate_limited", `waited ${limits.queueTimeoutMs} ms for the connection's rate limit`, {
                retryAfter: Math.max(1, Math.ceil(limits.queueTimeoutMs / 1000)),
              }),
            );
          }, limits.queueTimeoutMs),
        };
        state.queue.push(waiter);
        pump(key, state);
      });
    },
    list() {
      return [...keys].map(([key, s]) => ({
        key,
        active: s.active,
        queued: s.queue.length,
        recentStarts: s.starts.length,
        limits: s.limits,
      }));
    },
    retain(keep) {
      for (const [k, s] of [...keys]) {
        if (!keep.has(k) && s.active === 0 && s.queue.length === 0) keys.delete(k);
      }
    },
  };
}
