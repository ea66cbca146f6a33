/**
 * @module Latency telemetry in bounded memory: log-scale histograms (each bucket 10 % wider than the last, so a
 * percentile is within 5 % of the true value) kept per minute in a ring, per series, with a cap on series.
 * p50/p95/p99 over any window up to the ring's length, without storing samples.
 */

const MIN_MS = 0.5;
const GROWTH = 1.1;
/** 0.5 ms · 1.1^180 ≈ 3.9 h: every realistic latency has a bucket; larger ones go in the last. */
export const BUCKETS = 180;
const LOG_GROWTH = Math.log(GROWTH);

export function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH) + 1);
}

/** The bucket's representative value: the geometric middle of its bounds. */
export function valueOf(bucket: number): number {
  if (bucket === 0) return MIN_MS / 2;
  return MIN_MS * GROWTH ** (bucket - 0.5);
}

interface Minute {
  /** Minute number (epoch ms / 60 000) this slot holds. */
  stamp: number;
  counts: Uint32Array;
  total: number;
}

interface Series {
  ring: Minute[];
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface LatencyRecorder {
  record(series: string, ms: number): void;
  /** Percentiles over the last `minutes` (≤ the ring length) for a series. */
  percentiles(series: string, minutes: number): Percentiles;
  series(): string[];
}

/** `minutes`: ring length (sliding-window limit); `maxSeries`: new series beyond it are folded into "other". */
export function createLatencyRecorder(
  options: { now: () => number; minutes?: number; maxSeries?: number },
): LatencyRecorder {
  const minutes = options.minutes ?? 60;
  const maxSeries = options.maxSeries ?? 500;
  const all = new Map<string, Series>();

  function seriesFor(name: string): Series {
    let s = all.get(name);
    if (!s) {
      // Past the cap, new series share one "other" series (so memory stays bounded by maxSeries + 1).
      if (all.size >= maxSeries && name !== "other") return seriesFor("other");
      s = { ring: [] };
      all.set(name, s);
    }
    return s;
  }

  return {
    record(name, ms) {
      const s = seriesFor(name);
      const stamp = Math.floor(options.now() / 60_000);
      const slot = stamp % minutes;
      let m = s.ring[slot];
      if (!m || m.stamp !== stamp) {
        m = { stamp, counts: m?.counts.fill(0) ?? new Uint32Array(BUCKETS), total: 0 };
        s.ring[slot] = m;
      }
      m.counts[bucketOf(ms)]++;
      m.total++;
    },
    percentiles(name, window) {
      const s = all.get(name);
      const out: Percentiles = { count: 0, p50: null, p95: null, p99: null };
      if (!s) return out;
      const now = Math.floor(options.now() / 60_000);
      const from = now - Math.min(window, minutes) + 1;
      const merged = new Uint32Array(BUCKETS);
      for (const m of s.ring) {
        if (!m || m.stamp < from || m.stamp > now) continue;
        out.count += m.total;
        for (let i = 0; i < BUCKETS; i++) merged[i] += m.counts[i];
      }
      if (out.count === 0) return out;
      const at = (q: number): number => {
        const rank = Math.max(1, Math.ceil(q * out.count));
        let seen = 0;
        for (let i = 0; i < BUCKETS; i++) {
          seen += merged[i];
          if (seen >= rank) return Math.round(valueOf(i) * 10) / 10;
        }
        return Math.round(valueOf(BUCKETS - 1) * 10) / 10;
      };
      out.p50 = at(0.5);
      out.p95 = at(0.95);
      out.p99 = at(0.99);
      return out;
    },
    series: () => [...all.keys()],
  };
}
