/** @module The /api/health latency view: p50/p95/p99 of total latency and TTFT per provider/model and window. */
import type { LatencyRecorder, Percentiles } from "./histogram.ts";

/** Sliding windows reported, in minutes. */
export const LATENCY_WINDOWS = [5, 60] as const;

export interface LatencyEntry {
  provider: string;
  model: string;
  /** Keyed by window (`5m`, `60m`); latencies in ms. */
  total: Record<string, Percentiles>;
  ttft: Record<string, Percentiles>;
}

/** One entry per provider/model seen in the recorder (series `total:p/m` and `ttft:p/m`), busiest first. */
export function latencyReport(recorder: LatencyRecorder): LatencyEntry[] {
  const names = new Set<string>();
  for (const s of recorder.series()) {
    const colon = s.indexOf(":");
    names.add(colon >= 0 ? s.slice(colon + 1) : s);
  }
  const out: LatencyEntry[] = [];
  for (const name of names) {
    const slash = name.indexOf("/");
    const entry: LatencyEntry = {
      provider: slash >= 0 ? name.slice(0, slash) : name,
      model: slash >= 0 ? name.slice(slash + 1) : "",
      total: {},
      ttft: {},
    };
    for (const w of LATENCY_WINDOWS) {
      entry.total[`${w}m`] = recorder.percentiles(`total:${name}`, w);
      entry.ttft[`${w}m`] = recorder.percentiles(`ttft:${name}`, w);
    }
    if (entry.total["60m"].count > 0 || entry.ttft["60m"].count > 0) out.push(entry);
  }
  return out.sort((a, b) => b.total["60m"].count - a.total["60m"].count);
}
