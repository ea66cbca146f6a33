/**
 * @module Gives start-up's memory back once the gateway has settled. V8 shrinks its young generation and lets go of
 * emptied pages only in a memory-reducing collection, which its own memory reducer schedules when a busy heap goes
 * quiet, but only after a full collection has run. Start-up (module loading, schema building, migrations) grows the
 * young generation to its cap without ever filling the old generation, so no full collection runs and the ~8 MiB stay
 * taken for as long as the gateway sits idle. This runs that collection once (`gc({ type: "major", flavor:
 * "last-resort" })`, which `--expose-gc` makes available), as soon as nothing is in flight and nothing has started
 * for a moment; traffic later on is V8's own business.
 */

/** Runs one memory-reducing collection, synchronously. */
export type Collect = () => void;

export interface MemoryReducer {
  /** True once the collection has run. */
  done(): boolean;
  /** Stops waiting (the collection has not run, or has). */
  stop(): void;
}

export interface MemoryReducerOptions {
  /** A number that changes whenever a request starts (compared between ticks only). */
  activity: () => number;
  /** True while a request (a stream included) is still being answered: never collect then. */
  busy: () => boolean;
  /** Quiet time the collection waits for. @default 1000 */
  settleMs?: number;
  /** How often the quiet is checked. @default 250 */
  tickMs?: number;
}

/**
 * Takes the `gc` function `--expose-gc` puts on the global object and leaves `undefined` in its place (the property
 * cannot be deleted), so no dependency can call it. Undefined when the flag was not given.
 */
export function takeExposedGc(): Collect | undefined {
  const holder = globalThis as { gc?: (options?: Record<string, string>) => unknown };
  const gc = holder.gc;
  if (typeof gc !== "function") return undefined;
  holder.gc = undefined;
  return () => void gc({ type: "major", execution: "sync", flavor: "last-resort" });
}

/**
 * Checks for quiet every `tickMs` (an unref'd timer: it never keeps the process alive) and runs `collect` once
 * `settleMs` have passed with no request started and none in flight; then the timer stops.
 */
export function startMemoryReducer(collect: Collect, options: MemoryReducerOptions): MemoryReducer {
  const settleMs = options.settleMs ?? 1000;
  const tickMs = options.tickMs ?? 250;
  let seen = options.activity();
  let quietFor = 0;
  let ran = false;
  const timer = setInterval(() => {
    const now = options.activity();
    if (now !== seen || options.busy()) {
      seen = now;
      quietFor = 0;
      return;
    }
    quietFor += tickMs;
    if (quietFor < settleMs) return;
    clearInterval(timer);
    ran = true;
    collect();
  }, tickMs);
  Deno.unrefTimer(timer);
  return {
    done: () => ran,
    stop: () => clearInterval(timer),
  };
}
