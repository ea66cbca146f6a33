import assert from "node:assert/strict";
import { openDb, rollupWatermark, summarizeUsage } from "../store/mod.ts";
import { insertSyntheticUsage } from "../store/usage_synthetic.ts";
import { createMaintenance, startMaintenance } from "./maintenance.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1);
const settings = { usageMaxAgeDays: 10, usageMaxRows: 3000, bodiesMaxAgeDays: 7, bodiesMaxRows: 100 };

Deno.test("createMaintenance().runOnce() rolls up, then enforces the row cap and the age limit in batches", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sy-maint-" });
  const db = openDb(`${dir}/s.sqlite`);
  try {
    // 5000 rows over 20 days: half are past the 10-day limit, and 2000 are over the 3000-row cap.
    insertSyntheticUsage(db, { rows: 5000, from: NOW - 20 * DAY, to: NOW });
    const m = createMaintenance(db, { now: () => NOW, settings: () => settings, batch: 300 });
    const r = await m.runOnce();
    assert.equal(r.rolledUp, 5000);
    assert.equal(r.deleted.usage, 2500);
    const left = db.prepare("SELECT COUNT(*) AS n, MIN(ts) AS t FROM usage").get() as { n: number; t: number };
    assert.equal(left.n, 2500);
    assert.ok(left.t >= NOW - 10 * DAY);
    // The hourly rollups still count the deleted rows.
    assert.equal(summarizeUsage(db, NOW - 20 * DAY, NOW).totalRequests, 5000);
    await m.stop();
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("startMaintenance() runs in the background and stops cleanly", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "sy-maint-" });
  const db = openDb(`${dir}/s.sqlite`);
  try {
    insertSyntheticUsage(db, { rows: 1000, from: NOW - DAY, to: NOW });
    const m = startMaintenance(db, { now: () => NOW, settings: () => settings, rollupEveryMs: 10 });
    for (let i = 0; i < 100 && rollupWatermark(db) < 1000; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(rollupWatermark(db), 1000);
    await m.stop();
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
