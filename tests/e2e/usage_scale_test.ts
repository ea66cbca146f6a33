/**
 * @module /api/usage and /api/logs stay fast on a large store: 200k synthetic rows over 30 days, rolled up by the
 * background job, then every range and group is asked through the real app. (The 1M-row numbers come from
 * `deno bench src/store/usage_bench.ts`.)
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import { USAGE_GROUPS } from "../../src/store/mod.ts";
import { insertSyntheticUsage } from "../../src/store/usage_synthetic.ts";
import { createMaintenance } from "../../src/usage/maintenance.ts";

const ADMIN = "sy-admin-scale-0123456789abcdef";
const DAY = 86_400_000;
/** Generous for a shared CI machine; measured times are around 1–5 ms. */
const LIMIT_MS = 150;

Deno.test("GET /api/usage and /api/logs answer within bounds at 200k rows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-scale-" });
  const file = `${dir}/config.json`;
  await Deno.writeTextFile(file, JSON.stringify({ apiKeys: [{ name: "ops", key: ADMIN, scopes: ["admin"] }] }));
  const now = Date.UTC(2026, 5, 1, 12, 34, 56);
  const config = loadConfig({ args: ["serve", "--data-dir", dir, "--config", file], env: () => undefined });
  const gw = await createGateway(config, { now: () => now, logger: { log() {}, enabled: () => false } });
  try {
    insertSyntheticUsage(gw.db, { rows: 200_000, from: now - 30 * DAY, to: now });
    const maintenance = createMaintenance(gw.db, {
      now: () => now,
      settings: () => ({ usageMaxAgeDays: 90, usageMaxRows: 5_000_000, bodiesMaxAgeDays: 7, bodiesMaxRows: 50_000 }),
    });
    const done = await maintenance.runOnce();
    assert.equal(done.rolledUp, 200_000);
    assert.equal(done.deleted.usage, 0);
    const app = createApp(gw);
    const headers = { authorization: `Bearer ${ADMIN}` };
    const timed = async (path: string) => {
      const started = performance.now();
      const res = await app.request(path, { headers });
      const body = await res.json();
      const ms = performance.now() - started;
      assert.equal(res.status, 200, path);
      assert.ok(ms < LIMIT_MS, `${path} took ${ms.toFixed(0)} ms`);
      return body;
    };
    for (const days of [1, 7, 30]) {
      const range = `from=${new Date(now - days * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
      const total = await timed(`/api/usage?${range}`);
      assert.ok(Math.abs(total.totalRequests - 200_000 * days / 30) < 2, `${days}d: ${total.totalRequests}`);
      for (const g of USAGE_GROUPS) {
        const grouped = await timed(`/api/usage?${range}&groupBy=${g}`);
        assert.equal(grouped.totalRequests, total.totalRequests);
        const sum = grouped.rows.reduce((a: number, r: { requests: number }) => a + r.requests, 0);
        assert.equal(sum, total.totalRequests, `${days}d by ${g}`);
      }
    }
    const page = await timed("/api/logs?limit=50");
    assert.equal(page.data.length, 50);
    await timed(`/api/logs?limit=50&cursor=${page.nextCursor}&statusClass=5xx`);
    await timed("/api/logs?key=key_3&provider=openai");
  } finally {
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
