/**
 * @module Budgets per API key (daily, weekly, monthly, on calendar boundaries in a time zone): spend comes from
 * recorded usage, cached per key and period, so the check before each upstream call costs no store read.
 * Concurrent requests can overspend by at most what is already in flight (their cost is known only at the end).
 */
import { GatewayError } from "../core/errors.ts";
import { type Period, periodBounds, PERIODS } from "./periods.ts";

export interface BudgetLimits {
  daily?: number;
  weekly?: number;
  monthly?: number;
  /** Fraction of a limit (0–1) at which the status reports a warning. */
  warnAt?: number;
}

export interface BudgetStatus {
  keyId: string;
  period: Period;
  limit: number;
  spent: number;
  remaining: number;
  resetsAt: string;
  warning: boolean;
  exceeded: boolean;
}

export interface BudgetTracker {
  /** Throws 429 `budget_exceeded` (Retry-After: until the period resets) when any limit is spent. */
  check(keyId: string, limits: BudgetLimits | null): void;
  /** Adds a recorded request's cost (cached replays pass 0). */
  add(keyId: string, cost: number, ts: number): void;
  status(keyId: string, limits: BudgetLimits): BudgetStatus[];
  /** Drops cached spend of keys that no longer exist. */
  retain(keyIds: Set<string>): void;
}

interface Cached {
  start: number;
  end: number;
  spent: number;
}

export function createBudgetTracker(deps: {
  now: () => number;
  timeZone: () => string;
  /** Recorded spend of a key over [from, to). */
  spentBetween: (keyId: string, from: number, to: number) => number;
}): BudgetTracker {
  const cache = new Map<string, Cached>();

  function current(keyId: string, period: Period): Cached {
    const now = deps.now();
    const id = `${keyId}\u0000${period}`;
    let c = cache.get(id);
    if (!c || now >= c.end || now < c.start) {
      const b = periodBounds(period, now, deps.timeZone());
      c = { start: b.start, end: b.end, spent: deps.spentBetween(keyId, b.start, b.end) };
      cache.set(id, c);
    }
    return c;
  }

  function statusOf(keyId: string, limits: BudgetLimits, period: Period): BudgetStatus | undefined {
    const limit = limits[period];
    if (limit === undefined) return undefined;
    const c = current(keyId, period);
    const spent = Math.round(c.spent * 1e8) / 1e8;
    return {
      keyId,
      period,
      limit,
      spent,
      remaining: Math.max(0, Math.round((limit - spent) * 1e8) / 1e8),
      resetsAt: new Date(c.end).toISOString(),
      warning: spent >= limit * (limits.warnAt ?? 0.8),
      exceeded: spent >= limit,
    };
  }

  return {
    check(keyId, limits) {
      if (!limits) return;
      for (const period of PERIODS) {
        const s = statusOf(keyId, limits, period);
        if (s?.exceeded) {
          const wait = Math.max(1, Math.ceil((Date.parse(s.resetsAt) - deps.now()) / 1000));
          throw new GatewayError(
            "budget_exceeded",
            `the ${period} budget of this API key ($${s.limit}) is spent ($${
              s.spent.toFixed(4)
            }); it resets at ${s.resetsAt}`,
            { retryAfter: wait, type: "insufficient_quota" },
          );
        }
      }
    },
    add(keyId, cost, ts) {
      if (!(cost > 0)) return;
      for (const period of PERIODS) {
        const c = cache.get(`${keyId}\u0000${period}`);
        if (c && ts >= c.start && ts < c.end) c.spent += cost;
      }
    },
    status(keyId, limits) {
      return PERIODS.map((p) => statusOf(keyId, limits, p)).filter((s): s is BudgetStatus => s !== undefined);
    },
    retain(keyIds) {
      for (const id of [...cache.keys()]) if (!keyIds.has(id.split("\u0000")[0])) cache.delete(id);
    },
  };
}
