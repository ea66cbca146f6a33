/**
 * @module Background upkeep of the usage store, started by main.ts (never by createGateway, so in-process tests
 * leave no timers): folds new usage rows into the hourly rollups, and enforces retention by age and row count.
 * Work goes in small batches with a yield between them, so a request never waits behind a long statement.
 */
import { excessRows, pruneBodies, pruneRollups, pruneUsage, rollupUsage } from "../store/mod.ts";
import type { Db } from "../store/mod.ts";

const DAY = 86_400_000;

export interface RetentionSettings {
  usageMaxAgeDays: number;
  usageMaxRows: number;
  bodiesMaxAgeDays: number;
  bodiesMaxRows: number;
}

export interface MaintenanceOptions {
  settings: () => RetentionSettings;
  now: () => number;
  onError?: (what: string, err: unknown) => void;
  /** @default 5000 */
  rollupEveryMs?: number;
  /** @default 600000 (10 minutes) */
  retentionEveryMs?: number;
  /**
   * Rows per rollup or delete statement. Each batch holds the event loop: 5,000 usage rows took 7–13 ms to roll up
   * (requests arriving meanwhile waited that long), 500 take ~1 ms. @default 500
   */
  batch?: number;
}

export interface Maintenance {
  /** Folds every usage row above the watermark into the rollups (in batches); returns how many. */
  rollup(): Promise<number>;
  /** Runs a rollup pass and a retention pass now (tests, and the first tick). */
  runOnce(): Promise<{ rolledUp: number; deleted: { usage: number; bodies: number; rollups: number } }>;
  stop(): Promise<void>;
}

/** Hourly rollups outlive raw rows (they are small); kept at least this long. */
const ROLLUP_MIN_DAYS = 400;

const yieldTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function createMaintenance(db: Db, options: MaintenanceOptions): Maintenance {
  const batch = options.batch ?? 500;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();

  async function rollup(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const n = rollupUsage(db, { maxRows: batch });
      total += n;
      if (n === 0) break;
      await yieldTurn();
    }
    return total;
  }

  /** Repeats `step` (one batch) while it fills a whole batch, yielding between batches. */
  async function drain(step: (limit: number) => number, budget = Infinity): Promise<number> {
    let total = 0;
    while (!stopped && total < budget) {
      const n = step(Math.min(batch, budget - total));
      total += n;
      if (n < batch) break;
      await yieldTurn();
    }
    return total;
  }

  async function retention(): Promise<{ usage: number; bodies: number; rollups: number }> {
    const s = options.settings();
    const now = options.now();
    const usageBefore = now - s.usageMaxAgeDays * DAY;
    const bodiesBefore = now - s.bodiesMaxAgeDays * DAY;
    // Oldest rows over the cap first, then rows past the age limit.
    let usage = await drain(
      (n) => pruneUsage(db, { before: 0, overCap: n, batch: n }),
      excessRows(db, "usage", s.usageMaxRows),
    );
    usage += await drain((n) => pruneUsage(db, { before: usageBefore, overCap: 0, batch: n }));
    let bodies = await drain(
      (n) => pruneBodies(db, { before: 0, overCap: n, batch: n }),
      excessRows(db, "request_bodies", s.bodiesMaxRows),
    );
    bodies += await drain((n) => pruneBodies(db, { before: bodiesBefore, overCap: 0, batch: n }));
    const keepDays = Math.max(ROLLUP_MIN_DAYS, s.usageMaxAgeDays);
    const rollups = await drain((n) => pruneRollups(db, { before: now - keepDays * DAY, batch: n }));
    return { usage, bodies, rollups };
  }

  /** One pass at a time: a slow pass delays the next tick instead of overlapping it. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = running.then(fn);
    running = run.catch(() => {});
    return run;
  }

  return {
    rollup: () => serial(rollup),
    runOnce: () => serial(async () => ({ rolledUp: await rollup(), deleted: await retention() })),
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/**
 * Starts the timers: rollups every `rollupEveryMs`, retention every `retentionEveryMs`, the first of both one second
 * after start (or `rollupEveryMs`, if shorter), so they do not compete with the gateway's first requests.
 */
export function startMaintenance(db: Db, options: MaintenanceOptions): Maintenance {
  const m = createMaintenance(db, options);
  const rollupEvery = options.rollupEveryMs ?? 5000;
  const retentionEvery = options.retentionEveryMs ?? 600_000;
  let lastRetention = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const report = (what: string) => (err: unknown) => options.onError?.(what, err);

  const tick = (): void => {
    timer = undefined;
    const now = options.now();
    const doRetention = now - lastRetention >= retentionEvery;
    if (doRetention) lastRetention = now;
    current = (doRetention ? m.runOnce() : m.rollup())
      .catch(report(doRetention ? "retention" : "rollup"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, rollupEvery);
      });
  };
  timer = setTimeout(tick, Math.min(rollupEvery, 1000));
  return {
    rollup: m.rollup,
    runOnce: m.runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current.catch(() => {});
      await m.stop();
    },
  };
}
