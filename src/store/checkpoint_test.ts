import assert from "node:assert/strict";
import { startCheckpointer } from "./checkpoint.ts";
import { openDb } from "./db.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function withStore(fn: (db: ReturnType<typeof openDb>, path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sy-checkpoint-" });
  const path = `${dir}/store.sqlite`;
  const db = openDb(path);
  db.exec("CREATE TABLE filler (x BLOB)");
  try {
    await fn(db, path);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** One commit per row: each adds whole pages to the WAL. */
function write(db: ReturnType<typeof openDb>, rows: number): void {
  const put = db.prepare("INSERT INTO filler (x) VALUES (?)");
  for (let i = 0; i < rows; i++) put.run(new Uint8Array(1024));
}

Deno.test("checkpointer: no worker while the WAL is small", async () => {
  await withStore(async (db, path) => {
    const cp = startCheckpointer(db, path, { intervalMs: 10, startAtWalBytes: 8 * 1024 * 1024 });
    try {
      write(db, 20);
      await sleep(80);
      assert.equal(cp.state(), "waiting");
    } finally {
      await cp.stop();
    }
  });
});

Deno.test("checkpointer: the worker starts once the WAL has grown, and copies it into the database", async () => {
  await withStore(async (db, path) => {
    const cp = startCheckpointer(db, path, { intervalMs: 10, startAtWalBytes: 256 * 1024 });
    try {
      const before = Deno.statSync(path).size;
      write(db, 200);
      assert.ok(Deno.statSync(`${path}-wal`).size >= 256 * 1024);
      await until("the worker", () => cp.state() === "worker");
      // Only a checkpoint writes pages into the database file (the main connection's backstop is 20,000 pages).
      await until("a checkpoint", () => Deno.statSync(path).size > before + 100 * 1024);
    } finally {
      await cp.stop();
    }
  });
});
