/**
 * @module The logs page's view model: the filter form read from the query string (validated, times in UTC), one
 * keyset page of requests with their compact route trace, and the "Older" / "Newest" links that carry the filters.
 */
import { formatInt, formatMs, formatUsd } from "./format.ts";

/** The filter as the store's `listLogs` takes it (kept structural: the dashboard does not import the store). */
export interface LogFilterValues {
  status?: number;
  statusClass?: number;
  model?: string;
  keyId?: string;
  provider?: string;
  connectionId?: string;
  surface?: string;
  from?: number;
  to?: number;
  q?: string;
}

/** The form fields, in the order the query string carries them. */
export const LOG_FIELDS = [
  "statusClass",
  "status",
  "model",
  "key",
  "provider",
  "connection",
  "surface",
  "from",
  "to",
  "q",
] as const;

export type LogField = typeof LOG_FIELDS[number];

export interface LogQuery {
  filter: LogFilterValues;
  cursor?: number;
  /** The submitted values, to re-fill the form and to build paging links. */
  values: Partial<Record<LogField, string>>;
  /** Inline errors keyed by field; `_form` for the cursor. */
  errors: Record<string, string>;
}

/** Rows per page of the logs page. */
export const LOG_PAGE_SIZE = 50;
/** How long one page may scan for a rare filter (listLogs then hands back a cursor): keeps a page ≤ 50 ms. */
export const LOG_SCAN_BUDGET_MS = 35;

export const LOG_SURFACES = ["openai", "anthropic", "gemini", "responses"] as const;

/** `2026-01-02T03:04` (what `datetime-local` submits, seconds optional), read as UTC. */
function utcTime(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(v)) return undefined;
  const t = Date.parse(`${v}Z`);
  return Number.isFinite(t) ? t : undefined;
}

/** Reads and validates the filter form from a query string; empty fields mean "any". */
export function parseLogQuery(query: Record<string, string | undefined>): LogQuery {
  const values: LogQuery["values"] = {};
  for (const f of LOG_FIELDS) {
    const v = (query[f] ?? "").trim();
    if (v !== "") values[f] = v;
  }
  const errors: Record<string, string> = {};
  const filter: LogFilterValues = {};
  if (values.statusClass !== undefined) {
    const m = /^([1-5])(xx)?$/i.exec(values.statusClass);
    if (m) filter.statusClass = Number(m[1]);
    else errors.statusClass = "Pick 2xx, 4xx or 5xx.";
  }
  if (values.status !== undefined) {
    const n = Number(values.status);
    if (/^\d{3}$/.test(values.status) && n >= 100 && n <= 599) filter.status = n;
    else errors.status = "A status code from 100 to 599.";
  }
  if (values.model !== undefined) filter.model = values.model;
  if (values.key !== undefined) filter.keyId = values.key;
  if (values.provider !== undefined) filter.provider = values.provider;
  if (values.connection !== undefined) filter.connectionId = values.connection;
  if (values.surface !== undefined) filter.surface = values.surface;
  for (const f of ["from", "to"] as const) {
    const v = values[f];
    if (v === undefined) continue;
    const t = utcTime(v);
    if (t === undefined) errors[f] = "A date and time (UTC), like 2026-01-02T15:04.";
    else filter[f] = t;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from) {
    errors.to = "Must be after From.";
  }
  if (values.q !== undefined) {
    if (values.q.length > 200) errors.q = "At most 200 characters.";
    else filter.q = values.q;
  }
  let cursor: number | undefined;
  const rawCursor = (query.cursor ?? "").trim();
  if (rawCursor !== "") {
    if (/^[1-9]\d{0,15}$/.test(rawCursor)) cursor = Number(rawCursor);
    else errors._form = "That paging link is broken: showing the newest requests instead.";
  }
  return { filter, cursor, values, errors };
}

/** `/logs?…` with the current filters (and a cursor when given). */
export function logsHref(values: LogQuery["values"], cursor?: number): string {
  const params = new URLSearchParams();
  for (const f of LOG_FIELDS) if (values[f] !== undefined) params.set(f, values[f]!);
  if (cursor !== undefined) params.set("cursor", String(cursor));
  const qs = params.toString();
  return qs ? `/logs?${qs}` : "/logs";
}

/**
 * The detail page of a request. `ts` lets the store find the row through the ts index instead of scanning back
 * (usage has no request_id index).
 */
export function detailHref(requestId: string, ts: number): string {
  return `/logs/${encodeURIComponent(requestId)}?ts=${ts}`;
}

export interface AttemptInput {
  provider: string;
  connection: string;
  model: string;
  status: number;
}

/** One usage row as the store returns it, with its route already parsed. */
export interface LogRowInput {
  id: number;
  ts: number;
  requestId: string;
  keyId: string | null;
  surface: string;
  requestedModel: string;
  provider: string | null;
  connectionId: string | null;
  model: string | null;
  status: number;
  stream: boolean;
  tokensIn: number;
  tokensOut: number;
  estimated: boolean;
  cached: boolean;
  latencyMs: number;
  ttftMs: number | null;
  cost: number;
  errorCode: string | null;
  steps: AttemptInput[];
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface LogsInput {
  query: LogQuery;
  rows: LogRowInput[];
  nextCursor: number | null;
  keys: Array<{ id: string; name: string }>;
  connections: Array<{ id: string; provider: string; name: string }>;
}

export interface RouteStep {
  label: string;
  status: number;
  cls: string;
}

export interface LogListRow {
  href: string;
  requestId: string;
  time: string;
  key: string;
  surface: string;
  model: string;
  route: RouteStep[];
  status: number;
  statusCls: string;
  errorCode: string;
  latency: string;
  ttft: string;
  tokens: string;
  estimated: boolean;
  cost: string;
  cached: boolean;
  stream: boolean;
}

export interface LogsModel {
  values: LogQuery["values"];
  errors: Record<string, string>;
  options: Record<"statusClass" | "key" | "provider" | "connection" | "surface", SelectOption[]>;
  rows: LogListRow[];
  olderHref: string | null;
  newestHref: string | null;
  filtered: boolean;
  /** A time-boxed scan that found nothing in this stretch but has more rows to look at. */
  scanMore: boolean;
}

/** ok for 2xx, warn for 4xx (and 3xx), bad for 5xx and for a request that never got an answer. */
export function statusTone(status: number): string {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 300 && status < 500) return "warn";
  return "bad";
}

/** `2026-01-02 03:04:05` UTC. */
export function formatSecond(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** An option list that keeps the current value even when it is no longer configured (an old key or provider). */
function withCurrent(options: SelectOption[], current: string | undefined, anyLabel: string): SelectOption[] {
  const list = [{ value: "", label: anyLabel }, ...options];
  if (current !== undefined && !options.some((o) => o.value === current)) list.push({ value: current, label: current });
  return list;
}

export function routeSteps(steps: AttemptInput[]): RouteStep[] {
  return steps.map((s) => ({
    label: `${s.provider}:${s.connection}/${s.model}`,
    status: s.status,
    cls: statusTone(s.status),
  }));
}

export function logsModel(input: LogsInput): LogsModel {
  const { query } = input;
  const keyNames = new Map(input.keys.map((k) => [k.id, k.name]));
  const providers = [...new Set(input.connections.map((c) => c.provider))].sort();
  const rows = input.rows.map((r): LogListRow => ({
    href: detailHref(r.requestId, r.ts),
    requestId: r.requestId,
    time: formatSecond(r.ts),
    key: r.keyId === null ? "–" : keyNames.get(r.keyId) ?? r.keyId,
    surface: r.surface,
    model: r.requestedModel,
    route: routeSteps(r.steps),
    status: r.status,
    statusCls: statusTone(r.status),
    errorCode: r.errorCode ?? "",
    latency: formatMs(r.latencyMs),
    ttft: formatMs(r.ttftMs),
    tokens: `${formatInt(r.tokensIn)} / ${formatInt(r.tokensOut)}`,
    estimated: r.estimated,
    cost: formatUsd(r.cost),
    cached: r.cached,
    stream: r.stream,
  }));
  const v = query.values;
  return {
    values: v,
    errors: query.errors,
    options: {
      statusClass: withCurrent(
        [{ value: "2xx", label: "2xx success" }, { value: "4xx", label: "4xx client error" }, {
          value: "5xx",
          label: "5xx server error",
        }],
        v.statusClass,
        "Any",
      ),
      key: withCurrent(
        [...input.keys].sort((a, b) => a.name.localeCompare(b.name)).map((k) => ({ value: k.id, label: k.name })),
        v.key,
        "Any key",
      ),
      provider: withCurrent(providers.map((p) => ({ value: p, label: p })), v.provider, "Any provider"),
      connection: withCurrent(
        input.connections.map((c) => ({ value: c.id, label: `${c.provider}/${c.name}` }))
          .sort((a, b) => a.label.localeCompare(b.label)),
        v.connection,
        "Any connection",
      ),
      surface: withCurrent(LOG_SURFACES.map((s) => ({ value: s, label: s })), v.surface, "Any surface"),
    },
    rows,
    olderHref: input.nextCursor === null ? null : logsHref(v, input.nextCursor),
    newestHref: query.cursor === undefined ? null : logsHref(v),
    filtered: Object.keys(v).length > 0,
    scanMore: rows.length === 0 && input.nextCursor !== null,
  };
}
