import assert from "node:assert/strict";
import { openDb } from "./db.ts";
import { createUsageWriter, type UsageRecord } from "./usage.ts";

function row(requestId: string): UsageRecord {
  return {
    ts: 1_767_000_000_000,
    requestId,
    keyId: null,
    surface: "openai",
    requestedModel: "openai/gpt-4.1",
    provider: "openai",
    connectionId: "c1",
    model: "gpt-4.1",
    status: 200,
    stream: false,
    tokensIn: 3,
    tokensOut: 2,
    tokensCached: 0,
    tokensReasoning: 0,
    estimated: false,
    latencyMs: 5,
    ttftMs: 5,
    cost: 0.001,
    attempts: "openai:c1/gpt-4.1=200",
    errorCode: null,
  };
}

function withDb(fn: (db: ReturnType<typeof openDb>) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = Deno.makeTempDirSync({ prefix: "sy-usage-writer-" });
    const db = openDb(`${dir}/store.sqlite`);
    try {
      await fn(db);
    } finally {
      db.close();
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

const count = (db: ReturnType<typeof openDb>): number =>
  (db.prepare("SELECT COUNT(*) AS n FROM usage").get() as { n: number }).n;

Deno.test(
  "usage writer: a lone request's row is committed before record() returns",
  withDb(async (db) => {
    const writer = createUsageWriter(db, { inFlight: () => 1 });
    const done = writer.record(row("r1"));
    assert.equal(count(db), 1);
    await done;
  }),
);

Deno.test(
  "usage writer: rows of one loop turn under load share a commit, and each caller waits for it",
  withDb(async (db) => {
    const writer = createUsageWriter(db, { inFlight: () => 3 });
    const waits = ["a", "b", "c"].map((id) => writer.record(row(id)));
    assert.equal(count(db), 0, "nothing is written before the end of the turn");
    await Promise.all(waits);
    assert.equal(count(db), 3);
    const ids = db.prepare("SELECT request_id FROM usage ORDER BY id").all().map((r) => r.request_id);
    assert.deepEqual(ids, ["a", "b", "c"]);
  }),
);

Deno.test(
  "usage writer: a batch that fails leaves none of its rows and rejects every caller",
  withDb(async (db) => {
    const writer = createUsageWriter(db, { inFlight: () => 3 });
    const bad = { ...row("bad"), requestId: null as unknown as string };
    const results = await Promise.allSettled([writer.record(row("x")), writer.record(bad), writer.record(row("y"))]);
    assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected", "rejected"]);
    assert.equal(count(db), 0);
    // The writer goes on: the next turn's rows commit.
    await writer.record(row("z"));
    assert.equal(count(db), 1);
  }),
);
