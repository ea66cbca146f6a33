/**
 * @module The usage page's view model: the time range (presets or custom UTC dates), totals, a per-day (or per-hour)
 * chart, tables by provider, model and key, and the CSV export of a grouping.
 */
import { barChart, lineChart } from "./chart.ts";
import { formatCompact, formatInt, formatUsd } from "./format.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const RANGE_PRESETS = [
  { id: "24h", label: "Last 24 hours", ms: DAY_MS },
  { id: "7d", label: "Last 7 days", ms: 7 * DAY_MS },
  { id: "30d", label: "Last 30 days", ms: 30 * DAY_MS },
  { id: "90d", label: "Last 90 days", ms: 90 * DAY_MS },
] as const;

export interface UsageRange {
  /** A preset id or "custom". */
  preset: string;
  from: number;
  to: number;
  /** `YYYY-MM-DD` of the custom form fields (UTC). */
  fromDate: string;
  toDate: string;
  /** Per hour for ranges up to two days, per UTC day otherwise. */
  bucket: "hour" | "day";
  label: string;
  /** Field → message for a custom range that does not parse. */
  errors: Record<string, string>;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Reads `range` (preset id), or `from`/`to` (UTC dates, `to` inclusive) for a custom range; bad input → 30 days. */
export function usageRange(query: { range?: string; from?: string; to?: string }, now: number): UsageRange {
  const errors: Record<string, string> = {};
  const dayRe = /^\d{4}-\d{2}-\d{2}$/;
  if (query.range === "custom" || (!query.range && (query.from || query.to))) {
    const from = query.from && dayRe.test(query.from) ? Date.parse(`${query.from}T00:00:00Z`) : NaN;
    const toDay = query.to && dayRe.test(query.to) ? Date.parse(`${query.to}T00:00:00Z`) : NaN;
    if (!Number.isFinite(from)) errors.from = "Give the first day as YYYY-MM-DD.";
    if (!Number.isFinite(toDay)) errors.to = "Give the last day as YYYY-MM-DD.";
    else if (Number.isFinite(from) && toDay < from) errors.to = "The last day must not be before the first.";
    else if (Number.isFinite(from) && toDay - from > 366 * DAY_MS) errors.to = "A range may cover at most 366 days.";
    if (Object.keys(errors).length === 0) {
      const to = toDay + DAY_MS;
      return {
        preset: "custom",
        from,
        to,
        fromDate: query.from!,
        toDate: query.to!,
        bucket: to - from <= 2 * DAY_MS ? "hour" : "day",
        label: `${query.from} to ${query.to} (UTC)`,
        errors,
      };
    }
  }
  const preset = RANGE_PRESETS.find((p) => p.id === query.range) ?? RANGE_PRESETS[2];
  const to = now + 1;
  const from = preset.ms <= DAY_MS ? to - preset.ms : (Math.floor(now / DAY_MS) + 1) * DAY_MS - preset.ms;
  return {
    preset: preset.id,
    from,
    to,
    fromDate: query.from ?? isoDay(from),
    toDate: query.to ?? isoDay(now),
    bucket: preset.ms <= DAY_MS ? "hour" : "day",
    label: Object.keys(errors).length ? `${preset.label} (the custom range is not valid)` : preset.label,
    errors,
  };
}

export interface SummaryRow {
  group: string;
  requests: number;
  tokens: { input: number; output: number };
  cost: number;
}

export interface Summary {
  totalRequests: number;
  totalTokens: { input: number; output: number };
  totalCost: number;
  rows: SummaryRow[];
}

export interface UsageInput {
  range: UsageRange;
  totals: Summary;
  byProvider: SummaryRow[];
  byModel: SummaryRow[];
  byKey: SummaryRow[];
  /** Per bucket start (ms): requests and cost; missing buckets are drawn as 0. */
  series: Array<{ start: number; requests: number; tokens: number; cost: number }>;
  /** Key id → name (deleted keys show their id). */
  keyNames: Map<string, string>;
}

export interface TableRow {
  name: string;
  requests: string;
  tokensIn: string;
  tokensOut: string;
  cost: string;
  share: number;
}

export interface UsageModel {
  range: UsageRange;
  presets: Array<{ id: string; label: string; current: boolean }>;
  stats: Array<{ label: string; value: string }>;
  charts: Array<{ title: string; svg: string }>;
  tables: Array<{ id: string; title: string; column: string; rows: TableRow[]; csv: string }>;
  empty: boolean;
  query: string;
}

/** The display name of a group value (`key` groups are key ids; empty means none). */
export function groupName(dim: string, value: string, keyNames: Map<string, string>): string {
  if (dim === "key") return value ? keyNames.get(value) ?? `${value} (deleted)` : "(no key / dashboard)";
  return value || "(none)";
}

function table(rows: SummaryRow[], dim: string, keyNames: Map<string, string>): TableRow[] {
  const total = rows.reduce((s, r) => s + r.requests, 0) || 1;
  return rows.map((r) => ({
    name: groupName(dim, r.group, keyNames),
    requests: formatInt(r.requests),
    tokensIn: formatCompact(r.tokens.input),
    tokensOut: formatCompact(r.tokens.output),
    cost: formatUsd(r.cost),
    share: Math.round((r.requests / total) * 100),
  }));
}

/** The query string that reproduces the range (for tab links and CSV). */
export function rangeQuery(range: UsageRange): string {
  return range.preset === "custom" ? `range=custom&from=${range.fromDate}&to=${range.toDate}` : `range=${range.preset}`;
}

export function usageModel(input: UsageInput): UsageModel {
  const { range } = input;
  const step = range.bucket === "hour" ? HOUR_MS : DAY_MS;
  const first = Math.floor(range.from / step) * step;
  const byStart = new Map(input.series.map((s) => [s.start, s]));
  const buckets: number[] = [];
  for (let t = first; t < range.to; t += step) buckets.push(t);
  const label = (t: number) =>
    range.bucket === "hour" ? new Date(t).toISOString().slice(11, 16) : new Date(t).toISOString().slice(5, 10);
  const points = (f: (s: { requests: number; tokens: number; cost: number }) => number) =>
    buckets.map((t) => ({ label: label(t), value: f(byStart.get(t) ?? { requests: 0, tokens: 0, cost: 0 }) }));
  const per = range.bucket === "hour" ? "hour" : "day";
  const q = rangeQuery(range);
  const t = input.totals;
  return {
    range,
    presets: [
      ...RANGE_PRESETS.map((p) => ({ id: p.id, label: p.label, current: p.id === range.preset })),
      { id: "custom", label: "Custom", current: range.preset === "custom" },
    ],
    stats: [
      { label: "Requests", value: formatInt(t.totalRequests) },
      { label: "Input tokens", value: formatCompact(t.totalTokens.input) },
      { label: "Output tokens", value: formatCompact(t.totalTokens.output) },
      { label: "Cost", value: formatUsd(t.totalCost) },
      { label: "Cost per request", value: formatUsd(t.totalRequests ? t.totalCost / t.totalRequests : 0) },
    ],
    charts: [
      {
        title: `Requests per ${per}`,
        svg: barChart(points((s) => s.requests), {
          title: `Requests per ${per}, ${range.label}`,
          format: formatCompact,
        }),
      },
      {
        title: `Tokens per ${per}`,
        svg: barChart(points((s) => s.tokens), { title: `Tokens per ${per}, ${range.label}`, format: formatCompact }),
      },
      {
        title: `Cost per ${per}`,
        svg: lineChart(points((s) => s.cost), { title: `Cost per ${per} (USD), ${range.label}`, format: formatUsd }),
      },
    ],
    tables: [
      {
        id: "provider",
        title: "By provider",
        column: "Provider",
        rows: table(input.byProvider, "provider", input.keyNames),
      },
      { id: "model", title: "By model", column: "Model", rows: table(input.byModel, "model", input.keyNames) },
      { id: "key", title: "By API key", column: "Key", rows: table(input.byKey, "key", input.keyNames) },
    ].map((x) => ({ ...x, csv: `/usage/export.csv?${q}&groupBy=${x.id}` })),
    empty: t.totalRequests === 0,
    query: q,
  };
}

function csvCell(v: string | number): string {
  const s = String(v);
  // Quote when needed; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** CSV of one grouping: a header, one line per group (names resolved), then the total. */
export function usageCsv(dim: string, summary: Summary, keyNames: Map<string, string>): string {
  const lines = [["group", "requests", "input_tokens", "output_tokens", "cost_usd"].join(",")];
  for (const r of summary.rows) {
    const name = dim === "key" && r.group ? `${groupName(dim, r.group, keyNames)} (${r.group})` : groupName(
      dim,
      r.group,
      keyNames,
    );
    lines.push([name, r.requests, r.tokens.input, r.tokens.output, r.cost.toFixed(8)].map(csvCell).join(","));
  }
  lines.push(
    [
      "total",
      summary.totalRequests,
      summary.totalTokens.input,
      summary.totalTokens.output,
      summary.totalCost.toFixed(8),
    ]
      .map(csvCell).join(","),
  );
  return lines.join("\r\n") + "\r\n";
}
