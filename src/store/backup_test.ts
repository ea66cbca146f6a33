/**
 * @module Unit tests for snapshots: export, validate, import with a backup first, the credential-free archive.
 * `deno task test` runs without --allow-all, as `deno task start` does, so these also prove no ATTACH/VACUUM.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openDb } from "./db.ts";
import { exportSnapshot, importSnapshot, validateSnapshot } from "./backup.ts";
import { insertConnection, listConnections } from "./connections.ts";
import { insertApiKey } from "./api_keys.ts";
import { setPasswordHash } from "./admin.ts";
import { exportAllArchive } from "./archive.ts";

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "sy-backup-" });
  try {
    await fn(dir);
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

Deno.test("exportSnapshot() writes a valid copy that validateSnapshot() accepts", async () => {
  await withDir(async (dir) => {
    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "one");
      await exportSnapshot(db, `${dir}/snap.sqlite`);
      assert.equal(validateSnapshot(`${dir}/snap.sqlite`), undefined);
      const copy = new DatabaseSync(`${dir}/snap.sqlite`, { readOnly: true });
      assert.equal((copy.prepare("SELECT COUNT(*) AS n FROM connections").get() as { n: number }).n, 1);
      copy.close();
    } finally {
      db.close();
    }
  });
});

Deno.test("validateSnapshot() refuses a non-SQLite file and a foreign SQLite database", async () => {
  await withDir((dir) => {
    Deno.writeTextFileSync(`${dir}/text.sqlite`, "this is not a database at all, just text ".repeat(20));
    assert.match(validateSnapshot(`${dir}/text.sqlite`) ?? "", /not a readable SQLite database/);
    const other = new DatabaseSync(`${dir}/other.sqlite`);
    other.exec("CREATE TABLE notes (id INTEGER)");
    other.close();
    assert.match(validateSnapshot(`${dir}/other.sqlite`) ?? "", /missing tables/);
    assert.match(validateSnapshot(`${dir}/absent.sqlite`) ?? "", /not a readable/);
  });
});

Deno.test("importSnapshot() replaces the contents and keeps a backup of the previous store", async () => {
  await withDir(async (dir) => {
    const source = openDb(`${dir}/source.sqlite`);
    addConnection(source, "imported");
    await exportSnapshot(source, `${dir}/snap.sqlite`);
    source.close();

    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "before");
      const backup = await importSnapshot(db, { dataDir: dir, source: `${dir}/snap.sqlite`, now: new Date(0) });
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

Deno.test("importSnapshot() leaves the store untouched when the file is invalid", async () => {
  await withDir(async (dir) => {
    Deno.writeTextFileSync(`${dir}/bad.sqlite`, "garbage".repeat(100));
    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "kept");
      await assert.rejects(() => importSnapshot(db, { dataDir: dir, source: `${dir}/bad.sqlite`, now: new Date() }));
      assert.deepEqual(listConnections(db).map((c) => c.name), ["kept"]);
    } finally {
      db.close();
    }
  });
});

Deno.test("exportSnapshot() leaves one self-contained file (no WAL beside it) and replaces an old one", async () => {
  await withDir(async (dir) => {
    const db = openDb(`${dir}/live.sqlite`);
    try {
      addConnection(db, "one");
      Deno.writeTextFileSync(`${dir}/snap.sqlite`, "stale");
      await exportSnapshot(db, `${dir}/snap.sqlite`);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("snap")), [
        "snap.sqlite",
      ]);
      const copy = new DatabaseSync(`${dir}/snap.sqlite`, { readOnly: true });
      assert.equal((copy.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "delete");
      copy.close();
    } finally {
      db.close();
    }
  });
});

Deno.test("exportAllArchive() strips every credential, leaving no trace of it in the archive's bytes", async () => {
  await withDir(async (dir) => {
    const db = openDb(`${dir}/live.sqlite`);
    try {
      const enc = "v1:ENCRYPTEDPROVIDERKEYMARKER0123456789";
      insertConnection(db, {
        provider: "openai",
        name: "one",
        apiKeyEnc: enc,
        keyHint: "sk-…abcd",
        baseUrl: null,
        priority: 1,
        enabled: true,
        models: null,
        proxy: null,
        source: "api",
      }, 1);
      const hash = "f".repeat(24) + "KEYHASHMARKER" + "0".repeat(27);
      insertApiKey(db, {
        name: "k",
        keyHash: hash,
        keyHint: "sy-…1234",
        scopes: ["inference"],
        models: null,
        budget: null,
        source: "api",
      }, 1);
      setPasswordHash(db, "pbkdf2$1$PASSWORDHASHMARKER$x", 1);
      const archive = await exportAllArchive(db, `${dir}/tmp.sqlite`, 0);
      const tar = new Uint8Array(
        await new Response(new Blob([archive as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip")))
          .arrayBuffer(),
      );
      const text = new TextDecoder("latin1").decode(tar);
      assert.ok(text.includes("switchyard.sqlite") && text.includes("connections.json"));
      assert.ok(text.includes("SQLite format 3"));
      for (const marker of ["ENCRYPTEDPROVIDERKEYMARKER", "KEYHASHMARKER", "PASSWORDHASHMARKER"]) {
        assert.ok(!text.includes(marker), `the archive still holds ${marker}`);
      }
      assert.ok(text.includes('"name": "one"'), "the configuration itself is kept");
      assert.throws(() => Deno.statSync(`${dir}/tmp.sqlite`), Deno.errors.NotFound);
    } finally {
      db.close();
    }
  });
});
