/** @module Unit tests for opening the store: WAL mode, the schema_version table, idempotent migrations. */
import assert from "node:assert/strict";
import { isWritable, migrate, openDb, REQUIRED_TABLES, transaction } from "./db.ts";
import { MIGRATIONS } from "./migrations.ts";

function withDb(fn: (path: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "sy-db-" });
  try {
    fn(`${dir}/switchyard.sqlite`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("openDb() creates every required table and records each migration in schema_version", () => {
  withDb((path) => {
    const db = openDb(path);
    try {
      const tables = new Set(
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((
          t,
        ) => t.name),
      );
      for (const t of REQUIRED_TABLES) assert.ok(tables.has(t), `missing table ${t}`);
      const versions = db.prepare("SELECT version, name FROM schema_version ORDER BY version").all() as Array<
        { version: number; name: string }
      >;
      assert.deepEqual(
        versions.map((v) => ({ version: v.version, name: v.name })),
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
    } finally {
      db.close();
    }
  });
});

Deno.test("openDb() puts the store in WAL mode with foreign keys on", () => {
  withDb((path) => {
    const db = openDb(path);
    try {
      assert.equal((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
      assert.equal((db.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys, 1);
      assert.ok(isWritable(db));
    } finally {
      db.close();
    }
  });
});

Deno.test("migrate() is idempotent: reopening and re-running applies nothing twice and keeps data", () => {
  withDb((path) => {
    const first = openDb(path);
    first.prepare("INSERT INTO settings (section, value, updated_at) VALUES ('ai', '{}', 1)").run();
    const latest = MIGRATIONS.at(-1)!.version;
    assert.equal(migrate(first), latest);
    first.close();
    const second = openDb(path);
    try {
      assert.equal(migrate(second), latest);
      const rows = (second.prepare("SELECT COUNT(*) AS n FROM schema_version").get() as { n: number }).n;
      assert.equal(rows, MIGRATIONS.length);
      assert.equal((second.prepare("SELECT COUNT(*) AS n FROM settings").get() as { n: number }).n, 1);
    } finally {
      second.close();
    }
  });
});

Deno.test("MIGRATIONS are numbered 1, 2, 3… without gaps", () => {
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1, `migration ${m.name}`));
});

Deno.test("transaction() rolls everything back when the function throws", () => {
  withDb((path) => {
    const db = openDb(path);
    try {
      assert.throws(() =>
        transaction(db, () => {
          db.prepare("INSERT INTO settings (section, value, updated_at) VALUES ('a', '{}', 1)").run();
          throw new Error("boom");
        }), /boom/);
      assert.equal((db.prepare("SELECT COUNT(*) AS n FROM settings").get() as { n: number }).n, 0);
      transaction(
        db,
        () => db.prepare("INSERT INTO settings (section, value, updated_at) VALUES ('b', '{}', 1)").run(),
      );
      assert.equal((db.prepare("SELECT COUNT(*) AS n FROM settings").get() as { n: number }).n, 1);
    } finally {
      db.close();
    }
  });
});
