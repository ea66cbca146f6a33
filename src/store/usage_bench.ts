/**
 * @module /api/usage and /api/logs queries at 1M usage rows (30 days): the raw GROUP BY over the ts index (the
 * query before rollups) against the rollup-backed summary, plus log pages and the request detail.
 * Run: deno bench --allow-read --allow-write --allow-env --allow-sys src/store/usage_bench.ts
 */
import { openDb } from "./db.ts";
import { listLogs, logDetail } from "./usage_logs.ts";
import { rollupUsage, summarizeUsage, USAGE_GROUPS, type UsageGroup } from "./usage_rollup.ts";
import { insertSyntheticUsage } from "./usage_synthetic.ts";

const ROWS = 1_000_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 34, 56);
const dir = Deno.makeTempDirSync({ prefix: "sy-usage-bench-" });
const db = openDb(`${dir}/bench.sqlite`);
const insertMs = insertSyntheticUsage(db, { rows: ROWS, from: NOW - 30 * DAY, to: NOW });
const started = performance.now();
while (rollupUsage(db, { maxRows: 5000 }) > 0);
const rollupMs = performance.now() - started;
console.log(
  `inserted ${ROWS} rows in ${insertMs.toFixed(0)} ms (one transaction); rolled up in ${rollupMs.toFixed(0)} ms`,
);
// A tail the rollup has not reached yet, as between two background passes.
insertSyntheticUsage(db, { rows: 2000, from: NOW - 10_000, to: NOW, seed: 9 });

const RAW_GROUP: Record<UsageGroup, string> = {
  provider: "COALESCE(provider, '')",
  model: "COALESCE(provider || '/' || model, requested_model)",
  key: "COALESCE(key_id, '')",
  connection: "COALESCE(connection_id, '')",
  day: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')",
  hour: "strftime('%Y-%m-%dT%H:00:00Z', ts / 1000, 'unixepoch')",
};

/** The query /api/usage ran before rollups: GROUP BY over the ts index range. */
function rawSummary(from: number, to: number, g: UsageGroup): unknown {
  return db.prepare(
    `SELECT ${RAW_GROUP[g]} AS g, COUNT(*) AS n, SUM(tokens_in) AS i, SUM(tokens_out) AS o, SUM(cost) AS c
     FROM usage WHERE ts >= ? AND ts < ? GROUP BY g ORDER BY n DESC, g`,
  ).all(from, to);
}

const RANGES = [["24h", DAY], ["7d", 7 * DAY], ["30d", 30 * DAY]] as const;
for (const [name, span] of RANGES) {
  for (const g of USAGE_GROUPS) {
    Deno.bench(`${name} groupBy=${g} (rollups)`, { group: `${name} ${g}`, baseline: true }, () => {
      summarizeUsage(db, NOW - span, NOW + 1, g);
    });
    // The raw scan grows with the range; at 30 days it takes seconds, so a few iterations say enough.
    Deno.bench(`${name} groupBy=${g} (raw scan, before)`, { group: `${name} ${g}`, n: 3, warmup: 1 }, () => {
      rawSummary(NOW - span, NOW + 1, g);
    });
  }
}
Deno.bench("logs: newest page", { group: "logs" }, () => {
  listLogs(db, {}, { limit: 50 });
});
Deno.bench("logs: statusClass=5xx, provider=openai", { group: "logs" }, () => {
  listLogs(db, { statusClass: 5, provider: "openai" }, { limit: 50 });
});
Deno.bench("logs: a key with no rows (time-budgeted partial page)", { group: "logs" }, () => {
  listLogs(db, { keyId: "nobody" }, { limit: 50 });
});
Deno.bench("logs: detail of a recent request", { group: "logs" }, () => {
  logDetail(db, "req_synth0000000a");
});
Deno.bench("logs: detail of an unknown request (full scan)", { group: "logs", n: 5 }, () => {
  logDetail(db, "req_nope");
});

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
