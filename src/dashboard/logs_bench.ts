/**
 * @module `deno bench` of the logs pages' server work at 1M usage rows over 30 days (its own database: the other
 * pages' render_bench.ts uses 100k): the store calls the handler makes (key and connection names, one keyset page
 * or the request detail), the pure view model and the Eta render. Target ≤ 50 ms per page. Set-up inserts the rows
 * in one transaction (~5 s); the temp folder is removed at the end.
 * Run: deno bench --allow-read --allow-write --allow-env --allow-sys src/dashboard/logs_bench.ts
 */
import {
  insertApiKey,
  insertBodies,
  insertConnection,
  listApiKeys,
  listConnections,
  listLogs,
  logDetail,
  openDb,
  parseAttempts,
} from "../store/mod.ts";
import { insertSyntheticUsage } from "../store/usage_synthetic.ts";
import { logDetailModel } from "./log_detail.ts";
import { LOG_PAGE_SIZE, LOG_SCAN_BUDGET_MS, logsModel, parseLogQuery } from "./logs.ts";
import { navModel } from "./nav.ts";
import { createRenderer, ensureViews } from "./render.ts";

const ROWS = 1_000_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const dir = Deno.makeTempDirSync({ prefix: "sy-logs-bench-" });
const db = openDb(`${dir}/bench.sqlite`);
const insertMs = insertSyntheticUsage(db, { rows: ROWS, from: NOW - 30 * DAY, to: NOW });
console.log(`inserted ${ROWS} usage rows in ${insertMs.toFixed(0)} ms`);
for (let k = 0; k < 20; k++) {
  insertApiKey(db, {
    id: `key_${k}`,
    name: `key-${k}`,
    keyHash: `hash-${k}`,
    keyHint: "sy-…abcd",
    scopes: ["inference"],
    models: null,
    budget: null,
    source: "api",
  }, NOW);
}
for (const provider of ["openai", "anthropic", "gemini", "groq", "deepseek"]) {
  for (let n = 0; n < 3; n++) {
    insertConnection(db, {
      provider,
      name: `conn-${n}`,
      apiKeyEnc: null,
      keyHint: null,
      baseUrl: null,
      priority: n + 1,
      enabled: true,
      models: null,
      proxy: null,
      source: "api",
    }, NOW);
  }
}
/** A recent request with stored bodies (the detail finds its usage row through the bodies' ts). */
const withBody = db.prepare("SELECT ts, request_id FROM usage WHERE id = ?").get(ROWS - 500) as {
  ts: number;
  request_id: string;
};
const body = '{"model":"gpt-4.1","messages":[{"role":"user","content":"' + "hello ".repeat(2000) + '"}]}';
insertBodies(db, [{
  requestId: withBody.request_id,
  ts: withBody.ts,
  request: body,
  response: body,
  truncated: false,
}]);
/** Request id of the row with this id (the synthetic set names rows `req_synth` + base-36 of id - 1). */
const idOf = (id: number) => `req_synth${(id - 1).toString(36).padStart(8, "0")}`;
const OLD_TS = (db.prepare("SELECT ts FROM usage WHERE id = ?").get(30_000) as { ts: number }).ts;

await ensureViews();
const render = createRenderer();
const layout = { csrf: "token", nav: navModel("logs"), flash: undefined, errors: {}, values: {} };
const names = () => ({
  keys: listApiKeys(db).map((k) => ({ id: k.id, name: k.name })),
  connections: listConnections(db).map((c) => ({ id: c.id, provider: c.provider, name: c.name })),
});

/** As `GET /logs?…`: parse, one page, view model, render. */
function logsPage(query: Record<string, string>): string {
  const q = parseLogQuery(query);
  const page = listLogs(db, q.filter, { cursor: q.cursor, limit: LOG_PAGE_SIZE, budgetMs: LOG_SCAN_BUDGET_MS });
  const rows = page.data.map((r) => ({ ...r, steps: parseAttempts(r.attempts) }));
  const model = logsModel({ query: q, rows, nextCursor: page.nextCursor, ...names() });
  return render.page("logs", { ...layout, ...model, invalid: false });
}

/** As `GET /logs/:requestId` (`?ts=` when followed from a listed row). */
function detailPage(requestId: string, ts?: number): string {
  const d = logDetail(db, requestId, { ts })!;
  const rows = d.rows.map((r) => ({ ...r, steps: parseAttempts(r.attempts) }));
  const model = logDetailModel({ requestId, rows, bodies: d.bodies, requestLogs: true, ...names() });
  return render.page("log", { ...layout, ...model, missing: "" });
}

const cases: Record<string, () => string> = {
  "logs: newest page": () => logsPage({}),
  "logs: page 2,000 (cursor at row 900k)": () => logsPage({ cursor: "900000" }),
  "logs: 5xx of one key (rare match)": () => logsPage({ statusClass: "5xx", key: "key_3" }),
  "logs: one provider + surface + last day": () =>
    logsPage({ provider: "gemini", surface: "responses", from: new Date(NOW - DAY).toISOString().slice(0, 16) }),
  "logs: no match (the scan stops at its 35 ms budget)": () => logsPage({ key: "nobody" }),
  "detail: recent request with 2 × 12 KB bodies": () => detailPage(withBody.request_id),
  "detail: recent request, no bodies": () => detailPage(idOf(ROWS - 20)),
  "detail: 29-day-old request, no bodies, linked with ?ts=": () => detailPage(idOf(30_000), OLD_TS),
  "detail: 29-day-old request, no bodies, bare URL (scans back)": () => detailPage(idOf(30_000)),
};

for (const [name, fn] of Object.entries(cases)) {
  Deno.bench(`${name} (${ROWS / 1e6}M usage rows)`, { group: "logs" }, () => {
    fn();
  });
}

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
