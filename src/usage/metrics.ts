/**
 * @module Prometheus metrics (text exposition format 0.0.4): counters and fixed-bucket histograms fed from each
 * usage row, plus gauges read at scrape time. Labels are providers, connections, surfaces and error classes,
 * each capped (later values share an `other` series), never models or keys, so the series count stays bounded.
 */

/** The fields of a usage row the counters read (`cached` may be absent on older rows). */
export interface MetricsSample {
  surface: string;
  provider: string | null;
  status: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  tokensReasoning: number;
  estimated: boolean;
  cached?: boolean;
  cost: number;
  latencyMs: number;
  ttftMs: number | null;
  errorCode: string | null;
}

export interface MetricsGauges {
  inFlight: number;
  breakers: Array<{ provider: string; connection: string; state: "closed" | "half_open" | "open" }>;
  queues: Array<{ provider: string; connection: string; waiting: number; active: number }>;
  memory: { rss: number; heapUsed: number; heapTotal: number };
  uptimeSeconds: number;
}

export interface Metrics {
  observe(sample: MetricsSample): void;
  render(gauges: MetricsGauges): string;
}

/** Seconds; from a fast cached answer to a long reasoning stream. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const STATUS_CLASS: Record<number, string> = { 1: "1xx", 2: "2xx", 3: "3xx", 4: "4xx", 5: "5xx" };

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** Escapes a label value (backslash, double quote, newline) per the exposition format. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function num(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

/** A bounded label: the first `max` distinct values keep their name, later ones become `other`. */
function capped(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}

export function createMetrics(options: { maxProviders?: number; maxErrorClasses?: number } = {}): Metrics {
  const provider = capped(options.maxProviders ?? 64);
  const errorClass = capped(options.maxErrorClasses ?? 32);
  const surface = capped(8);
  const requests = new Map<string, number>();
  const errors = new Map<string, number>();
  const tokens = new Map<string, number>();
  const cost = new Map<string, number>();
  const estimated = new Map<string, number>();
  const duration = new Map<string, Histogram>();
  const ttft = new Map<string, Histogram>();
  let cacheHits = 0;
  let cacheMisses = 0;
  /**
   * Rendered label sets per (capped) provider, and per surface and status class under it: every value is capped
   * above, so these maps are bounded, and the request path builds no strings after the first request of each
   * combination.
   */
  interface ProviderLabels {
    provider: string;
    tokens: Record<"input" | "output" | "cached" | "reasoning", string>;
    requests: Map<string, Map<string, string>>;
  }
  const byProvider = new Map<string, ProviderLabels>();
  const errorLabels = new Map<string, string>();
  const providerLabels = (p: string): ProviderLabels => {
    let e = byProvider.get(p);
    if (!e) {
      const direction = (d: string) => labels({ provider: p, direction: d });
      e = {
        provider: labels({ provider: p }),
        tokens: {
          input: direction("input"),
          output: direction("output"),
          cached: direction("cached"),
          reasoning: direction("reasoning"),
        },
        requests: new Map(),
      };
      byProvider.set(p, e);
    }
    return e;
  };
  const requestLabel = (e: ProviderLabels, p: string, surfaceName: string, klass: string): string => {
    let bySurface = e.requests.get(surfaceName);
    if (!bySurface) e.requests.set(surfaceName, bySurface = new Map());
    let out = bySurface.get(klass);
    if (out === undefined) {
      out = labels({ surface: surfaceName, provider: p, status_class: klass });
      bySurface.set(klass, out);
    }
    return out;
  };
  const errorLabel = (klass: string): string => {
    let out = errorLabels.get(klass);
    if (out === undefined) errorLabels.set(klass, out = labels({ class: klass }));
    return out;
  };

  const inc = (m: Map<string, number>, key: string, by = 1): void => {
    m.set(key, (m.get(key) ?? 0) + by);
  };
  const observeHistogram = (m: Map<string, Histogram>, key: string, seconds: number): void => {
    let h = m.get(key);
    if (!h) {
      h = { counts: new Array(LATENCY_BUCKETS.length).fill(0), sum: 0, count: 0 };
      m.set(key, h);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  };

  function observe(s: MetricsSample): void {
    const p = provider(s.provider ?? "none");
    const l = providerLabels(p);
    const klass = STATUS_CLASS[Math.floor(s.status / 100)] ?? `${Math.floor(s.status / 100)}xx`;
    inc(requests, requestLabel(l, p, surface(s.surface), klass));
    if (s.status >= 400) inc(errors, errorLabel(errorClass(s.errorCode ?? `http_${s.status}`)));
    if (s.tokensIn) inc(tokens, l.tokens.input, s.tokensIn);
    if (s.tokensOut) inc(tokens, l.tokens.output, s.tokensOut);
    if (s.tokensCached) inc(tokens, l.tokens.cached, s.tokensCached);
    if (s.tokensReasoning) inc(tokens, l.tokens.reasoning, s.tokensReasoning);
    if (s.cost) inc(cost, l.provider, s.cost);
    if (s.estimated) inc(estimated, l.provider);
    if (s.status < 400) {
      if (s.cached) cacheHits++;
      else cacheMisses++;
      observeHistogram(duration, l.provider, s.latencyMs / 1000);
      if (s.ttftMs !== null) observeHistogram(ttft, l.provider, s.ttftMs / 1000);
    }
  }

  function render(g: MetricsGauges): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, series: Iterable<[string, number]>): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [l, v] of series) out.push(`${name}${l} ${num(v)}`);
    };
    const histogram = (name: string, help: string, m: Map<string, Histogram>): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
      for (const [l, h] of m) {
        const inner = l.slice(1, -1);
        LATENCY_BUCKETS.forEach((le, i) => out.push(`${name}_bucket{${inner},le="${le}"} ${h.counts[i]}`));
        out.push(`${name}_bucket{${inner},le="+Inf"} ${h.count}`);
        out.push(`${name}_sum${l} ${num(h.sum)}`, `${name}_count${l} ${h.count}`);
      }
    };
    family("switchyard_requests_total", "counter", "Proxied requests by surface, provider and status class.", requests);
    family("switchyard_errors_total", "counter", "Failed requests by error class.", errors);
    family("switchyard_tokens_total", "counter", "Tokens by provider and direction.", tokens);
    family("switchyard_cost_usd_total", "counter", "Cost in USD by provider.", cost);
    family("switchyard_usage_estimated_total", "counter", "Answers whose tokens are a local estimate.", estimated);
    family("switchyard_cache_hits_total", "counter", "Answers served from the response cache or a replay.", [[
      "",
      cacheHits,
    ]]);
    family("switchyard_cache_misses_total", "counter", "Answers that needed an upstream call.", [["", cacheMisses]]);
    histogram("switchyard_request_duration_seconds", "Total latency of answered requests.", duration);
    histogram("switchyard_ttft_seconds", "Time to first token of answered requests.", ttft);
    family(
      "switchyard_breaker_state",
      "gauge",
      "Circuit breaker per connection: 0 closed, 1 half-open, 2 open.",
      g.breakers.map((b) => [
        labels({ provider: provider(b.provider), connection: b.connection }),
        BREAKER_VALUE[b.state],
      ]),
    );
    family(
      "switchyard_queue_depth",
      "gauge",
      "Requests waiting for a slot per connection.",
      g.queues.map((q) => [labels({ provider: provider(q.provider), connection: q.connection }), q.waiting]),
    );
    family(
      "switchyard_queue_active",
      "gauge",
      "Requests holding a slot per connection.",
      g.queues.map((q) => [labels({ provider: provider(q.provider), connection: q.connection }), q.active]),
    );
    family("switchyard_in_flight", "gauge", "Proxied requests in progress.", [["", g.inFlight]]);
    family("switchyard_process_resident_memory_bytes", "gauge", "Resident set size.", [["", g.memory.rss]]);
    family("switchyard_process_heap_used_bytes", "gauge", "V8 heap in use.", [["", g.memory.heapUsed]]);
    family("switchyard_process_heap_total_bytes", "gauge", "V8 heap reserved.", [["", g.memory.heapTotal]]);
    family("switchyard_uptime_seconds", "gauge", "Seconds since the gateway started.", [["", g.uptimeSeconds]]);
    return out.join("\n") + "\n";
  }

  return { observe, render };
}
