/** @module The overview page's view model: plain numbers and strings from store summaries. */

export interface OverviewInput {
  now: number;
  version: string;
  startedAt: number;
  providers: Array<{ id: string; name: string; connections: number }>;
  keys: number;
  today: { requests: number; input: number; output: number; cost: number; errors: number };
  recent: Array<
    { ts: number; model: string; route: string; status: number; latencyMs: number; tokensIn: number; tokensOut: number }
  >;
}

export interface OverviewModel {
  version: string;
  uptime: string;
  stats: Array<{ label: string; value: string }>;
  providers: Array<{ id: string; name: string; connections: number }>;
  recent: Array<
    { time: string; model: string; route: string; status: number; ok: boolean; latency: string; tokens: string }
  >;
  empty: boolean;
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

const int = new Intl.NumberFormat("en-US");

export function overviewModel(input: OverviewInput): OverviewModel {
  const t = input.today;
  const errorRate = t.requests === 0 ? 0 : (t.errors / t.requests) * 100;
  return {
    version: input.version,
    uptime: duration(input.now - input.startedAt),
    stats: [
      { label: "Requests today", value: int.format(t.requests) },
      { label: "Tokens in / out", value: `${int.format(t.input)} / ${int.format(t.output)}` },
      { label: "Cost today", value: `$${t.cost.toFixed(4)}` },
      { label: "Error rate", value: `${errorRate.toFixed(1)}%` },
      { label: "API keys", value: int.format(input.keys) },
    ],
    providers: input.providers,
    recent: input.recent.map((r) => ({
      time: new Date(r.ts).toISOString().slice(11, 19),
      model: r.model,
      route: r.route,
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      latency: `${r.latencyMs} ms`,
      tokens: `${int.format(r.tokensIn)} / ${int.format(r.tokensOut)}`,
    })),
    empty: input.recent.length === 0,
  };
}
