/**
 * @module The command line as a user runs it: version, --help, bad flags and config files (non-zero exit naming
 * the file, path and reason), and the export / import round trip with its automatic backup.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { freePort, makeRoot, removeRoot, runCli } from "../helpers/server.ts";

function adminHash(dataDir: string): string | undefined {
  const db = new DatabaseSync(`${dataDir}/switchyard.sqlite`, { readOnly: true });
  try {
    return (db.prepare("SELECT password_hash FROM admin WHERE id = 1").get() as { password_hash: string } | undefined)
      ?.password_hash;
  } finally {
    db.close();
  }
}

Deno.test("switchyard version and --help print and exit 0", async () => {
  const version = await runCli(["version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^switchyard \d+\.\d+\.\d+/);
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  for (const word of ["serve", "reset-password", "export", "import", "version", "--port", "--data-dir", "--config"]) {
    assert.ok(help.stdout.includes(word), `--help does not mention ${word}`);
  }
});

Deno.test("switchyard stops on an unknown flag or command, naming it", async () => {
  const flag = await runCli(["serve", "--prot", "8080"]);
  assert.notEqual(flag.code, 0);
  assert.match(flag.stderr, /--prot/);
  const command = await runCli(["srve"]);
  assert.notEqual(command.code, 0);
  assert.match(command.stderr, /srve/);
});

Deno.test("a bad config file makes serve exit non-zero naming the file, the path and the reason", async () => {
  const root = await makeRoot();
  try {
    const path = `${root}/switchyard.json`;
    const serve = (env: Record<string, string> = {}) =>
      runCli(["serve", "--port", String(freePort()), "--data-dir", `${root}/data`, "--config", path], { env });

    await Deno.writeTextFile(
      path,
      JSON.stringify({
        connections: [{ provider: "openai", name: "a" }, { provider: "openai", name: "b", baseUrl: "not-a-url" }],
      }),
    );
    const badValue = await serve();
    assert.notEqual(badValue.code, 0);
    assert.ok(badValue.stderr.includes(path), badValue.stderr);
    assert.match(badValue.stderr, /connections\[1\]\.baseUrl/);
    assert.match(badValue.stderr, /URL/i);

    await Deno.writeTextFile(
      path,
      JSON.stringify({ connections: [{ provider: "openai", name: "a", apiKey: "${SY_UNSET_KEY}" }] }),
    );
    const unset = await serve();
    assert.notEqual(unset.code, 0);
    assert.match(unset.stderr, /SY_UNSET_KEY/);
    assert.match(unset.stderr, /connections\[0\]\.apiKey/);
    const set = await runCli(["--help"], { env: { SY_UNSET_KEY: "x" } });
    assert.equal(set.code, 0);

    await Deno.writeTextFile(path, JSON.stringify({ connections: [{ provider: "nosuchvendor", name: "a" }] }));
    const provider = await serve();
    assert.notEqual(provider.code, 0);
    assert.ok(provider.stderr.includes(path), provider.stderr);
    assert.match(provider.stderr, /connections\[0\]\.provider/);
    assert.match(provider.stderr, /nosuchvendor/);

    await Deno.writeTextFile(
      `${root}/switchyard.yaml`,
      "connections:\n  - provider: openai\n    name: a\n    colour: red\n",
    );
    const yaml = await runCli(["serve", "--data-dir", `${root}/data`, "--config", `${root}/switchyard.yaml`]);
    assert.notEqual(yaml.code, 0);
    assert.match(yaml.stderr, /switchyard\.yaml/);
    assert.match(yaml.stderr, /colour/);
  } finally {
    await removeRoot(root);
  }
});

Deno.test("export FILE and import FILE round trip, and import keeps a backup in DATA_DIR/backups", async () => {
  const root = await makeRoot();
  try {
    const one = `${root}/one`;
    const two = `${root}/two`;
    assert.equal((await runCli(["reset-password", "--password", "password-one", "--data-dir", one])).code, 0);
    assert.equal((await runCli(["reset-password", "--password", "password-two", "--data-dir", two])).code, 0);
    const hashOne = adminHash(one)!;
    const hashTwo = adminHash(two)!;
    assert.notEqual(hashOne, hashTwo);

    const snap = `${root}/snap.sqlite`;
    const exported = await runCli(["export", snap, "--data-dir", one]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(
      new TextDecoder().decode((await Deno.readFile(snap)).slice(0, 16)),
      "SQLite format 3\0",
    );

    const imported = await runCli(["import", snap, "--data-dir", two]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(adminHash(two), hashOne, "import did not replace the store");
    const backups = [...Deno.readDirSync(`${two}/backups`)].filter((e) => e.name.endsWith(".sqlite"));
    assert.equal(backups.length, 1);
    assert.ok(imported.stdout.includes(backups[0].name));
    const backup = new DatabaseSync(`${two}/backups/${backups[0].name}`, { readOnly: true });
    const old = (backup.prepare("SELECT password_hash FROM admin").get() as { password_hash: string }).password_hash;
    backup.close();
    assert.equal(old, hashTwo, "the backup must hold the store as it was before the import");

    await Deno.writeTextFile(`${root}/junk.sqlite`, "not a database ".repeat(100));
    const junk = await runCli(["import", `${root}/junk.sqlite`, "--data-dir", two]);
    assert.notEqual(junk.code, 0);
    assert.match(junk.stderr, /import refused/);
    assert.equal(adminHash(two), hashOne, "a refused import changed the store");
  } finally {
    await removeRoot(root);
  }
});
