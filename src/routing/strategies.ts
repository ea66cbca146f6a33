/**
 * @module Ordering policies: combo strategies order a combo's entries, account strategies order a provider's
 * connections (docs/routing.md §2). Pure over an injected random source and small bounded state.
 */

export type ComboStrategy = "priority" | "round-robin" | "random" | "weighted" | "least-used" | "cost-optimized";
export type AccountStrategy = "fill-first" | "round-robin" | "p2c" | "random" | "least-used" | "cost-optimized";

export interface Weighted {
  weight: number;
}

/** Fisher–Yates with the injected random source. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Weighted order without replacement: each next item drawn with probability ∝ its weight. */
export function weightedOrder<T extends Weighted>(items: readonly T[], random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, x) => s + Math.max(0, x.weight), 0);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      for (pick = 0; pick < pool.length - 1; pick++) {
        r -= Math.max(0, pool[pick].weight);
        if (r < 0) break;
      }
    }
    out.push(pool.splice(pick, 1)[0]);
  }
  return out;
}

/** Rotation: the list starting at `start`, wrapping around. */
export function rotate<T>(items: readonly T[], start: number): T[] {
  if (items.length === 0) return [];
  const k = ((start % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Round-robin cursors per key, advancing every `sticky` calls. Bounded by the number of keys (combos/providers). */
export interface RoundRobin {
  next(key: string, size: number, sticky: number): number;
  forget(keep: Set<string>): void;
}

export function createRoundRobin(): RoundRobin {
  const cursors = new Map<string, { index: number; used: number }>();
  return {
    next(key, size, sticky) {
      let c = cursors.get(key);
      if (!c) {
        c = { index: 0, used: 0 };
        cursors.set(key, c);
      }
      if (c.used >= Math.max(1, sticky)) {
        c.index = (c.index + 1) % Math.max(1, size);
        c.used = 0;
      }
      c.used++;
      return c.index % Math.max(1, size);
    },
    forget(keep) {
      for (const k of [...cursors.keys()]) if (!keep.has(k)) cursors.delete(k);
    },
  };
}

export interface ComboEntryInfo extends Weighted {
  /** Requests in the recent window (least-used). */
  recentRequests: number;
  /** Input + output list price per 1M tokens; undefined when unknown (cost-optimized puts it last). */
  price: number | undefined;
}

export function orderComboEntries<T extends ComboEntryInfo>(
  entries: readonly T[],
  strategy: ComboStrategy,
  ctx: { random: () => number; cursor: () => number },
): T[] {
  switch (strategy) {
    case "priority":
      return [...entries];
    case "round-robin":
      return rotate(entries, ctx.cursor());
    case "random":
      return shuffle(entries, ctx.random);
    case "weighted":
      return weightedOrder(entries, ctx.random);
    case "least-used":
      return stableSort(entries, (a, b) => a.recentRequests - b.recentRequests);
    case "cost-optimized":
      return stableSort(entries, (a, b) => (a.price ?? Infinity) - (b.price ?? Infinity));
  }
}

export interface ConnectionInfo {
  priority: number;
  inFlight: number;
  latencyEwmaMs: number | null;
  lastUsedAt: number | null;
}

export function orderConnections<T extends ConnectionInfo>(
  connections: readonly T[],
  strategy: AccountStrategy,
  ctx: { random: () => number; cursor: () => number },
): T[] {
  const byPriority = stableSort(connections, (a, b) => a.priority - b.priority);
  switch (strategy) {
    case "fill-first":
    case "cost-optimized":
      return byPriority;
    case "round-robin":
      return rotate(byPriority, ctx.cursor());
    case "random":
      return shuffle(byPriority, ctx.random);
    case "least-used":
      return stableSort(byPriority, (a, b) => (a.lastUsedAt ?? 0) - (b.lastUsedAt ?? 0));
    case "p2c": {
      if (byPriority.length < 2) return byPriority;
      const [a, b] = shuffle(byPriority, ctx.random);
      const better = load(a) <= load(b) ? a : b;
      return [better, ...byPriority.filter((c) => c !== better)];
    }
  }
}

/** p2c's comparison: in-flight requests first, recent latency as the tie-breaker. */
function load(c: ConnectionInfo): number {
  return c.inFlight * 1e6 + (c.latencyEwmaMs ?? 0);
}

function stableSort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  return items.map((item, i) => ({ item, i })).sort((x, y) => cmp(x.item, y.item) || x.i - y.i).map((x) => x.item);
}
