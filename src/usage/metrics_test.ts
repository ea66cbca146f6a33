import assert from "node:assert/strict";
// deno-lint-ignore no-import-prefix -- a test-only parser; the import map (deno.json) is not edited for it
import parsePrometheusTextFormat from "npm:parse-prometheus-text-format@1.1.1";
import { createMetrics, escapeLabel, type MetricsSample } from "./metrics.ts";

const gauges = {
  inFlight: 2,
  breakers: [
    { provider: "openai", connection: "work", state: "open" as const },
    { provider: "anthropic", connection: 'we"ird\\name', state: "half_open" as const },
  ],
  queues: [{ provider: "openai", connection: "work", waiting: 3, active: 1 }],
  memory: { rss: 1e8, heapUsed: 5e7, heapTotal: 6e7 },
  uptimeSeconds: 12,
};

function sample(over: Partial<MetricsSample> = {}): MetricsSample {
  return {
    surface: "openai",
    provider: "openai",
    status: 200,
    tokensIn: 10,
    tokensOut: 5,
    tokensCached: 0,
    tokensReasoning: 0,
    estimated: false,
    cost: 0.001,
    latencyMs: 700,
    ttftMs: 200,
    errorCode: null,
    ...over,
  };
}

interface Family {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }>;
}

Deno.test("createMetrics().render() is valid Prometheus text that a real parser reads back", () => {
  const m = createMetrics();
  m.observe(sample());
  m.observe(sample({ latencyMs: 3000, ttftMs: null, cached: true, cost: 0 }));
  m.observe(sample({ status: 429, errorCode: "rate_limited", provider: "anthropic", surface: "anthropic" }));
  m.observe(sample({ status: 502, errorCode: null, provider: null }));
  const text = m.render(gauges);
  const families = parsePrometheusTextFormat(text) as Family[];
  const byName = new Map(families.map((f) => [f.name, f]));
  const requests = byName.get("switchyard_requests_total")!;
  assert.equal(requests.type, "COUNTER");
  assert.deepEqual(
    requests.metrics.map((x) => [x.labels, x.value]),
    [
      [{ surface: "openai", provider: "openai", status_class: "2xx" }, "2"],
      [{ surface: "anthropic", provider: "anthropic", status_class: "4xx" }, "1"],
      [{ surface: "openai", provider: "none", status_class: "5xx" }, "1"],
    ],
  );
  const errors = byName.get("switchyard_errors_total")!.metrics.map((x) => [x.labels?.class, x.value]);
  assert.deepEqual(errors, [["rate_limited", "1"], ["http_502", "1"]]);
  assert.equal(byName.get("switchyard_cache_hits_total")!.metrics[0].value, "1");
  assert.equal(byName.get("switchyard_cache_misses_total")!.metrics[0].value, "1");
  // This parser folds a labelled histogram's buckets into one entry (one provider here, so they are exact) and
  // keeps labelled _sum/_count lines only as lines: those are checked in the text.
  const duration = byName.get("switchyard_request_duration_seconds")!;
  assert.equal(duration.type, "HISTOGRAM");
  assert.equal(duration.metrics[0].buckets?.["0.5"], "0");
  assert.equal(duration.metrics[0].buckets?.["1"], "1");
  assert.equal(duration.metrics[0].buckets?.["5"], "2");
  assert.equal(duration.metrics[0].buckets?.["+Inf"], "2");
  assert.match(text, /^switchyard_request_duration_seconds_count\{provider="openai"\} 2$/m);
  assert.match(text, /^switchyard_request_duration_seconds_sum\{provider="openai"\} 3\.7$/m);
  assert.match(text, /^switchyard_ttft_seconds_count\{provider="openai"\} 1$/m);
  const breaker = byName.get("switchyard_breaker_state")!.metrics;
  assert.deepEqual(breaker.map((x) => x.value), ["2", "1"]);
  assert.equal(breaker[1].labels?.connection, 'we"ird\\name');
  assert.equal(byName.get("switchyard_queue_depth")!.metrics[0].value, "3");
  assert.equal(byName.get("switchyard_in_flight")!.metrics[0].value, "2");
  assert.equal(byName.get("switchyard_tokens_total")!.type, "COUNTER");
});

Deno.test("createMetrics() caps provider labels with an `other` series", () => {
  const m = createMetrics({ maxProviders: 3 });
  for (let i = 0; i < 50; i++) m.observe(sample({ provider: `p${i}` }));
  const families = parsePrometheusTextFormat(m.render({ ...gauges, breakers: [], queues: [] })) as Family[];
  const providers = new Set(
    families.find((f) => f.name === "switchyard_requests_total")!.metrics.map((x) => x.labels?.provider),
  );
  assert.deepEqual([...providers], ["p0", "p1", "p2", "other"]);
});

Deno.test("escapeLabel() escapes backslash, quote and newline", () => {
  assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});
