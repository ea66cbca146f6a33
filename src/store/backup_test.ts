/** @module Unit tests for snapshots: export, validate, import with a backup first. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openDb } from "./db.ts";
import { exportSnapshot, importSnapshot, validateSnapshot } from "./backup.ts";
import { insertConnection, listConnections } from "./connections.ts";

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "sy-backup-" });
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function addConnection(db: ReturnType<typeof openDb>, name: string): void {
  insertConnection(db, {
    provider: "openai",
    name,
    apiKeyEnc: "v1:encrypted",
    keyHint: "sk-…abcd",
    baseUrl: null,
    priority: 1,
    enabled: true,
    models: null,
    proxy: null,
    source: "api",
  }, 1);
}

Deno.test("exportSnapshot() writes a valid copy that validateSnapshot() accepts", () => {
  withDir((dir) => {
    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "one");
      exportSnapshot(db, `${dir}/snap.sqlite`);
      assert.equal(validateSnapshot(`${dir}/snap.sqlite`), undefined);
      const copy = new DatabaseSync(`${dir}/snap.sqlite`, { readOnly: true });
      assert.equal((copy.prepare("SELECT COUNT(*) AS n FROM connections").get() as { n: number }).n, 1);
      copy.close();
    } finally {
      db.close();
    }
  });
});

Deno.test("validateSnapshot() refuses a non-SQLite file and a foreign SQLite database", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(`${dir}/text.sqlite`, "this is not a database at all, just text ".repeat(20));
    assert.match(validateSnapshot(`${dir}/text.sqlite`) ?? "", /not a readable SQLite database/);
    const other = new DatabaseSync(`${dir}/other.sqlite`);
    other.exec("CREATE TABLE notes (id INTEGER)");
    other.close();
    assert.match(validateSnapshot(`${dir}/other.sqlite`) ?? "", /missing tables/);
    assert.match(validateSnapshot(`${dir}/absent.sqlite`) ?? "", /not a readable/);
  });
});

Deno.test("importSnapshot() replaces the contents and keeps a backup of the previous store", () => {
  withDir((dir) => {
    const source = openDb(`${dir}/source.sqlite`);
    addConnection(source, "imported");
    exportSnapshot(source, `${dir}/snap.sqlite`);
    source.close();

    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "before");
      const backup = importSnapshot(db, { dataDir: dir, source: `${dir}/snap.sqlite`, now: new Date(0) });
      assert.ok(backup.startsWith(`${dir}/backups/`));
      assert.deepEqual(listConnections(db).map((c) => c.name), ["imported"]);
      const old = new DatabaseSync(backup, { readOnly: true });
      assert.deepEqual(
        (old.prepare("SELECT name FROM connections").all() as Array<{ name: string }>).map((r) => r.name),
        ["before"],
      );
      old.close();
    } finally {
      db.close();
    }
  });
});

Deno.test("importSnapshot() leaves the store untouched when the file is invalid", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(`${dir}/bad.sqlite`, "garbage".repeat(100));
    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "kept");
      assert.throws(() => importSnapshot(db, { dataDir: dir, source: `${dir}/bad.sqlite`, now: new Date() }));
      assert.deepEqual(listConnections(db).map((c) => c.name), ["kept"]);
    } finally {
      db.close();
    }
  });
});
