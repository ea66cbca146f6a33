/** @module The overview page's view model: period totals, daily charts, top models/providers, alerts, recent rows. */
import { barChart, lineChart } from "./chart.ts";
import { formatCompact, formatDuration, formatInt, formatPercent, formatUsd } from "./format.ts";
import { detailHref } from "./logs.ts";

const DAY_MS = 86_400_000;

export interface DailyRow {
  day: number;
  provider: string;
  model: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  errors: number;
}

export interface HealthAlertInput {
  connection: string;
  state: string;
  openUntil: number | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  lockouts: number;
}

export interface OverviewInput {
  now: number;
  version: string;
  startedAt: number;
  /** Usage grouped by UTC day, provider and model over (at least) the last 30 days. */
  daily: DailyRow[];
  providers: Array<{ id: string; name: string; connections: number }>;
  keys: number;
  health: HealthAlertInput[];
  recent: Array<{
    requestId: string;
    ts: number;
    model: string;
    route: string;
    status: number;
    latencyMs: number;
    tokensIn: number;
    tokensOut: number;
  }>;
}

/** One metric today, over 7 and over 30 days (UTC days). */
export interface StatRow {
  label: string;
  today: string;
  week: string;
  month: string;
  /** Colour class of today's value (error rate only). */
  cls: string;
}

export interface TopRow {
  name: string;
  requests: string;
  tokens: string;
  cost: string;
  share: number;
}

export interface OverviewModel {
  version: string;
  uptime: string;
  stats: StatRow[];
  charts: Array<{ title: string; svg: string }>;
  topModels: TopRow[];
  topProviders: TopRow[];
  alerts: Array<{ connection: string; what: string; left: string; severity: string }>;
  providers: Array<{ id: string; name: string; connections: number }>;
  keys: string;
  recent: Array<{
    href: string;
    time: string;
    model: string;
    route: string;
    status: number;
    ok: boolean;
    latency: string;
    tokens: string;
  }>;
  empty: boolean;
}

interface Totals {
  requests: number;
  tokens: number;
  cost: number;
  errors: number;
}

function sum(rows: DailyRow[]): Totals {
  const t = { requests: 0, tokens: 0, cost: 0, errors: 0 };
  for (const r of rows) {
    t.requests += r.requests;
    t.tokens += r.tokensIn + r.tokensOut;
    t.cost += r.cost;
    t.errors += r.errors;
  }
  return t;
}

function rateOf(t: Totals): number {
  return t.requests === 0 ? 0 : t.errors / t.requests;
}

function stats(day: Totals, week: Totals, month: Totals): StatRow[] {
  const row = (label: string, f: (t: Totals) => string, cls = ""): StatRow => ({
    label,
    today: f(day),
    week: f(week),
    month: f(month),
    cls,
  });
  const rate = rateOf(day);
  return [
    row("Requests", (t) => formatInt(t.requests)),
    row("Tokens", (t) => formatCompact(t.tokens)),
    row("Cost", (t) => formatUsd(t.cost)),
    row("Error rate", (t) => formatPercent(rateOf(t)), rate >= 0.2 ? "bad" : rate >= 0.05 ? "warn" : "ok"),
  ];
}

function top(rows: DailyRow[], keyOf: (r: DailyRow) => string, limit: number): TopRow[] {
  const by = new Map<string, Totals>();
  for (const r of rows) {
    const k = keyOf(r);
    const t = by.get(k) ?? { requests: 0, tokens: 0, cost: 0, errors: 0 };
    t.requests += r.requests;
    t.tokens += r.tokensIn + r.tokensOut;
    t.cost += r.cost;
    by.set(k, t);
  }
  const total = [...by.values()].reduce((s, t) => s + t.requests, 0) || 1;
  return [...by.entries()]
    .sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([name, t]) => ({
      name: name || "(none)",
      requests: formatInt(t.requests),
      tokens: formatCompact(t.tokens),
      cost: formatUsd(t.cost),
      share: Math.round((t.requests / total) * 100),
    }));
}

function alerts(now: number, health: HealthAlertInput[]): OverviewModel["alerts"] {
  const out: OverviewModel["alerts"] = [];
  for (const h of health) {
    if (h.state !== "closed") {
      out.push({
        connection: h.connection,
        what: h.state === "open" ? "breaker open" : "breaker half-open",
        left: h.openUntil && h.openUntil > now ? formatDuration(h.openUntil - now) : "probing",
        severity: "bad",
      });
    }
    if (h.cooldownUntil && h.cooldownUntil > now) {
      out.push({
        connection: h.connection,
        what: `cooldown${h.cooldownReason ? ` (${h.cooldownReason})` : ""}`,
        left: formatDuration(h.cooldownUntil - now),
        severity: "warn",
      });
    }
    if (h.lockouts > 0) {
      out.push({ connection: h.connection, what: `${h.lockouts} model lockout(s)`, left: "", severity: "warn" });
    }
  }
  return out;
}

export function overviewModel(input: OverviewInput): OverviewModel {
  const today = Math.floor(input.now / DAY_MS);
  const within = (days: number) => input.daily.filter((r) => r.day > today - days && r.day <= today);
  const days = Array.from({ length: 30 }, (_, i) => today - 29 + i);
  const perDay = new Map<number, Totals>(days.map((d) => [d, { requests: 0, tokens: 0, cost: 0, errors: 0 }]));
  for (const r of input.daily) {
    const t = perDay.get(r.day);
    if (!t) continue;
    t.requests += r.requests;
    t.tokens += r.tokensIn + r.tokensOut;
    t.cost += r.cost;
    t.errors += r.errors;
  }
  const label = (d: number) => new Date(d * DAY_MS).toISOString().slice(5, 10);
  const series = (f: (t: Totals) => number) => days.map((d) => ({ label: label(d), value: f(perDay.get(d)!) }));
  const week = within(7);
  return {
    version: input.version,
    uptime: formatDuration(input.now - input.startedAt),
    stats: stats(sum(within(1)), sum(week), sum(within(30))),
    charts: [
      {
        title: "Requests per day",
        svg: barChart(series((t) => t.requests), { title: "Requests per day, last 30 days", format: formatCompact }),
      },
      {
        title: "Tokens per day",
        svg: barChart(series((t) => t.tokens), { title: "Tokens per day, last 30 days", format: formatCompact }),
      },
      {
        title: "Cost per day",
        svg: lineChart(series((t) => t.cost), { title: "Cost per day (USD), last 30 days", format: formatUsd }),
      },
      {
        title: "Error rate per day",
        svg: lineChart(series((t) => (t.requests ? (t.errors / t.requests) * 100 : 0)), {
          title: "Error rate per day (%), last 30 days",
          format: (n) => `${+n.toFixed(1)}%`,
        }),
      },
    ],
    topModels: top(week, (r) => (r.provider ? `${r.provider}/${r.model}` : r.model), 5),
    topProviders: top(week, (r) => r.provider, 5),
    alerts: alerts(input.now, input.health),
    providers: input.providers,
    keys: formatInt(input.keys),
    recent: input.recent.map((r) => ({
      href: detailHref(r.requestId, r.ts),
      time: new Date(r.ts).toISOString().slice(11, 19),
      model: r.model,
      route: r.route,
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      latency: `${r.latencyMs} ms`,
      tokens: `${formatInt(r.tokensIn)} / ${formatInt(r.tokensOut)}`,
    })),
    empty: input.recent.length === 0,
  };
}
