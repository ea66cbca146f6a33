import assert from "node:assert/strict";
import { openDb } from "./db.ts";
import type { Db } from "./db.ts";
import { insertBodies, listLogs, logDetail, parseAttempts, requestIdTime } from "./usage_logs.ts";
import { insertSyntheticUsage } from "./usage_synthetic.ts";

const T0 = Date.UTC(2026, 0, 10);

function withDb(fn: (db: Db) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "sy-logs-" });
  const db = openDb(`${dir}/s.sqlite`);
  try {
    fn(db);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("listLogs() pages newest first with a cursor, and every filter narrows", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 3000, from: T0, to: T0 + 86_400_000, seed: 5 });
    const first = listLogs(db, {}, { limit: 50 });
    assert.equal(first.data.length, 50);
    assert.equal(first.data[0].id, 3000);
    const second = listLogs(db, {}, { limit: 50, cursor: first.nextCursor! });
    assert.equal(second.data[0].id, 2950);
    const all = [];
    let cursor: number | undefined;
    const filter = { statusClass: 5, provider: "openai" };
    do {
      const page = listLogs(db, filter, { limit: 7, cursor, chunk: 500 });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const expected = (db.prepare("SELECT COUNT(*) AS n FROM usage WHERE status >= 500 AND provider = 'openai'")
      .get() as { n: number }).n;
    assert.equal(all.length, expected);
    assert.ok(all.every((r) => r.status >= 500 && r.provider === "openai"));
    assert.ok(listLogs(db, { status: 429 }).data.every((r) => r.status === 429));
    assert.ok(listLogs(db, { keyId: "key_3" }).data.every((r) => r.keyId === "key_3"));
    assert.ok(listLogs(db, { model: "openai/gpt-4.1" }).data.every((r) => r.model === "gpt-4.1"));
    assert.ok(listLogs(db, { model: "gpt-4o" }).data.every((r) => r.model === "gpt-4o"));
    assert.ok(listLogs(db, { connectionId: "gemini-conn-1" }).data.every((r) => r.connectionId === "gemini-conn-1"));
    assert.ok(listLogs(db, { surface: "gemini" }).data.every((r) => r.surface === "gemini"));
    const to = T0 + 3_600_000;
    assert.ok(listLogs(db, { from: T0, to }).data.every((r) => r.ts >= T0 && r.ts < to));
    assert.deepEqual(listLogs(db, { q: "synth000000zz" }).data.map((r) => r.requestId), ["req_synth000000zz"]);
    assert.deepEqual(listLogs(db, { keyId: "nobody" }, { chunk: 100 }), { data: [], nextCursor: null });
  });
});

Deno.test("listLogs() stops at its time budget with a cursor to continue from", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 2000, from: T0, to: T0 + 1000, seed: 1 });
    const page = listLogs(db, { keyId: "nobody" }, { chunk: 100, budgetMs: 0 });
    assert.deepEqual(page, { data: [], nextCursor: 1901 });
  });
});

Deno.test("logDetail() finds a request's rows with and without bodies", () => {
  withDb((db) => {
    insertSyntheticUsage(db, { rows: 500, from: T0, to: T0 + 1000, seed: 2 });
    const row = listLogs(db, {}, { limit: 1, cursor: 100 }).data[0];
    assert.equal(logDetail(db, row.requestId)?.rows[0].id, 99);
    assert.equal(logDetail(db, row.requestId)?.bodies, null);
    assert.equal(logDetail(db, row.requestId, { ts: row.ts })?.rows[0].id, 99);
    assert.equal(logDetail(db, row.requestId, { ts: row.ts + 1 })?.rows[0].id, 99, "a wrong ts falls back to the scan");
    insertBodies(db, [{ requestId: row.requestId, ts: row.ts, request: '{"a":1}', response: "ok", truncated: true }]);
    assert.deepEqual(logDetail(db, row.requestId)?.bodies, { request: '{"a":1}', response: "ok", truncated: true });
    assert.equal(logDetail(db, "req_missing"), undefined);
  });
});

Deno.test("parseAttempts() reads the route header form, models with slashes included", () => {
  assert.deepEqual(parseAttempts("openai:work/gpt-4.1=429, openrouter:main/meta/llama-3=200"), [
    { provider: "openai", connection: "work", model: "gpt-4.1", status: 429 },
    { provider: "openrouter", connection: "main", model: "meta/llama-3", status: 200 },
  ]);
  assert.deepEqual(parseAttempts(""), []);
});

Deno.test("requestIdTime() reads the time a gateway id carries; logDetail() finds an old row by id alone", () => {
  const minted = Date.parse("2026-11-02T10:00:00Z");
  const id = `req_${minted.toString(36).padStart(9, "0")}0a1b2c3d00001`;
  assert.equal(requestIdTime(id), minted);
  assert.equal(requestIdTime("req_not-ours"), undefined);
  assert.equal(requestIdTime("chatcmpl-123"), undefined);
  const dir = Deno.makeTempDirSync();
  const db = openDb(`${dir}/t.sqlite`);
  try {
    const put = db.prepare(
      `INSERT INTO usage (ts, request_id, surface, requested_model, status, stream, latency_ms, attempts)
       VALUES (?, ?, 'openai', 'm', 200, 0, 1, 'openai:a/m=200')`,
    );
    put.run(minted + 3, id);
    for (let i = 0; i < 50; i++) put.run(minted + 3_600_000 + i, `other-${i}`);
    const found = logDetail(db, id);
    assert.equal(found?.rows.length, 1);
    assert.equal(found?.rows[0].requestId, id);
    assert.equal(logDetail(db, `req_${minted.toString(36).padStart(9, "0")}0a1b2c3d00002`), undefined);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
