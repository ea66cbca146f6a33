/** @module Unit tests for configuration loading: precedence, the config file, `${VAR}` substitution, errors. */
import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { loadYamlSupport } from "./file.ts";
import { loadConfig, loadConfigAsync } from "./mod.ts";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "sy-config-" });
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Asserts that `fn` throws a ConfigError whose message contains every fragment. */
function assertConfigError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" should mention "${f}"`);
    return true;
  });
}

Deno.test("loadConfig() uses the defaults with no flags, env or file", () => {
  const config = loadConfig({ args: [], env: envOf({}), homeDir: "/home/u" });
  assert.equal(config.command, "serve");
  assert.equal(config.port, 20128);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.dataDir, "/home/u/.switchyard");
  assert.equal(config.configFile, undefined);
  assert.equal(config.requireApiKey, undefined);
  assert.equal(config.maxBodyMb, undefined);
  assert.equal(config.logLevel, "info");
  assert.equal(config.logFormat, "text");
  assert.equal(config.outboundProxy, false);
});

Deno.test("loadConfig() notes an outbound proxy in the environment, in either case", () => {
  for (const name of ["HTTP_PROXY", "https_proxy", "ALL_PROXY"]) {
    assert.equal(loadConfig({ args: [], env: envOf({ [name]: "http://127.0.0.1:3128" }) }).outboundProxy, true, name);
  }
  assert.equal(loadConfig({ args: [], env: envOf({ NO_PROXY: "example.com", HTTP_PROXY: "" }) }).outboundProxy, false);
});

Deno.test("loadConfig() lets flags beat env vars", () => {
  const env = envOf({ PORT: "2222", HOST: "10.0.0.1", DATA_DIR: "/env/data" });
  const fromEnv = loadConfig({ args: [], env });
  assert.equal(fromEnv.port, 2222);
  assert.equal(fromEnv.host, "10.0.0.1");
  assert.equal(fromEnv.dataDir, "/env/data");
  const fromFlags = loadConfig({
    args: ["serve", "--port", "1111", "--host", "0.0.0.0", "--data-dir", "/flag/data"],
    env,
  });
  assert.equal(fromFlags.port, 1111);
  assert.equal(fromFlags.host, "0.0.0.0");
  assert.equal(fromFlags.dataDir, "/flag/data");
});

Deno.test("loadConfig() lets --config beat SWITCHYARD_CONFIG", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(`${dir}/a.json`, JSON.stringify({ requireApiKey: true }));
    Deno.writeTextFileSync(`${dir}/b.json`, JSON.stringify({ requireApiKey: false }));
    const env = envOf({ SWITCHYARD_CONFIG: `${dir}/a.json` });
    assert.equal(loadConfig({ args: [], env }).configFile?.path, `${dir}/a.json`);
    assert.equal(loadConfig({ args: ["--config", `${dir}/b.json`], env }).configFile?.path, `${dir}/b.json`);
  });
});

Deno.test("loadConfig() lets env vars beat the config file, and the file beat defaults", () => {
  withDir((dir) => {
    const path = `${dir}/switchyard.json`;
    Deno.writeTextFileSync(path, JSON.stringify({ requireApiKey: true, settings: { maxBodyMb: 7 } }));
    const fileOnly = loadConfig({ args: ["--config", path], env: envOf({}) });
    assert.equal(fileOnly.requireApiKey, true);
    assert.equal(fileOnly.requireApiKeyExplicitFalse, false);
    assert.deepEqual(fileOnly.configFile?.settings, { advanced: { maxBodyMb: 7 } });
    const envWins = loadConfig({
      args: ["--config", path],
      env: envOf({ REQUIRE_API_KEY: "false", MAX_BODY_MB: "3" }),
    });
    assert.equal(envWins.requireApiKey, false);
    assert.equal(envWins.requireApiKeyExplicitFalse, true);
    assert.equal(envWins.maxBodyMb, 3);
  });
});

Deno.test("loadConfig() reads HOSTNAME only when it is an IP or localhost and HOST is unset", () => {
  assert.equal(loadConfig({ args: [], env: envOf({ HOSTNAME: "3f2a9c0d1b7e" }) }).host, "127.0.0.1");
  assert.equal(loadConfig({ args: [], env: envOf({ HOSTNAME: "0.0.0.0" }) }).host, "0.0.0.0");
  assert.equal(loadConfig({ args: [], env: envOf({ HOSTNAME: "0.0.0.0", HOST: "127.0.0.2" }) }).host, "127.0.0.2");
});

Deno.test("loadConfig() substitutes ${VAR} and ${VAR:-default} in the config file", () => {
  withDir((dir) => {
    const path = `${dir}/c.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify({
        connections: [
          { provider: "openai", name: "work", apiKey: "${OPENAI_KEY}", baseUrl: "${BASE:-http://127.0.0.1:9/v1}" },
        ],
        apiKeys: [{ name: "ci", key: "prefix-${CI_KEY}-suffix" }],
      }),
    );
    const config = loadConfig({
      args: ["--config", path],
      env: envOf({ OPENAI_KEY: "sk-from-env-1234567890", CI_KEY: "0123456789abcdef" }),
    });
    const conn = config.configFile!.config.connections[0];
    assert.equal(conn.apiKey, "sk-from-env-1234567890");
    assert.equal(conn.baseUrl, "http://127.0.0.1:9/v1");
    assert.equal(config.configFile!.config.apiKeys[0].key, "prefix-0123456789abcdef-suffix");
    assert.deepEqual(config.configFile!.config.apiKeys[0].scopes, ["inference"]);
    const overridden = loadConfig({
      args: ["--config", path],
      env: envOf({ OPENAI_KEY: "sk-x-1234567890", CI_KEY: "0123456789abcdef", BASE: "https://example.test/v1" }),
    });
    assert.equal(overridden.configFile!.config.connections[0].baseUrl, "https://example.test/v1");
  });
});

Deno.test("loadConfig() stops on an unset ${VAR} without default, naming the variable and the path", () => {
  withDir((dir) => {
    const path = `${dir}/c.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify({
        connections: [{ provider: "openai", name: "a" }, { provider: "openai", name: "b", apiKey: "${NOPE_KEY}" }],
      }),
    );
    assertConfigError(
      () => loadConfig({ args: ["--config", path], env: envOf({}) }),
      path,
      "NOPE_KEY",
      "connections[1].apiKey",
    );
  });
});

Deno.test("loadConfig() stops on a bad value naming file, path and reason", () => {
  withDir((dir) => {
    const path = `${dir}/c.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify({
        connections: [{ provider: "openai", name: "ok" }, { provider: "openai", name: "bad", baseUrl: "not a url" }],
      }),
    );
    assertConfigError(
      () => loadConfig({ args: ["--config", path], env: envOf({}) }),
      path,
      "connections[1].baseUrl",
      "URL",
    );
  });
});

Deno.test("loadConfig() stops on an unknown key naming file, path and the key", () => {
  withDir((dir) => {
    const path = `${dir}/c.json`;
    Deno.writeTextFileSync(path, JSON.stringify({ connections: [{ provider: "openai", name: "a", colour: "red" }] }));
    assertConfigError(() => loadConfig({ args: ["--config", path], env: envOf({}) }), path, "connections[0]", "colour");
    Deno.writeTextFileSync(path, JSON.stringify({ conections: [] }));
    assertConfigError(
      () => loadConfig({ args: ["--config", path], env: envOf({}) }),
      path,
      "unknown key",
      "conections",
    );
    Deno.writeTextFileSync(path, JSON.stringify({ settings: { acountStrategy: "p2c" } }));
    assertConfigError(() => loadConfig({ args: ["--config", path], env: envOf({}) }), path, "settings.acountStrategy");
    Deno.writeTextFileSync(path, JSON.stringify({ settings: { accountStrategy: "sometimes" } }));
    assertConfigError(
      () => loadConfig({ args: ["--config", path], env: envOf({}) }),
      path,
      "settings.routing.accountStrategy",
    );
  });
});

Deno.test("loadConfig() reads YAML and JSON files to the same result", () => {
  withDir((dir) => {
    const json = {
      requireApiKey: true,
      connections: [{ provider: "ds", name: "work", apiKey: "${DS_KEY:-sk-default-key-0000}", priority: 2 }],
      combos: [{ name: "coding", models: ["ds/deepseek-chat", { model: "openai/gpt-4.1", weight: 2 }] }],
      aliases: { fast: "ds/deepseek-chat", "claude-*": "anthropic/claude-*" },
      settings: { accountStrategy: "round-robin", resilience: { requestTimeoutMs: 5000 } },
    };
    Deno.writeTextFileSync(`${dir}/c.json`, JSON.stringify(json));
    Deno.writeTextFileSync(
      `${dir}/c.yaml`,
      `# the same file in YAML
requireApiKey: true
connections:
  - provider: ds
    name: work
    apiKey: \${DS_KEY:-sk-default-key-0000}
    priority: 2
combos:
  - name: coding
    models:
      - ds/deepseek-chat
      - { model: openai/gpt-4.1, weight: 2 }
aliases:
  fast: ds/deepseek-chat
  "claude-*": "anthropic/claude-*"
settings:
  accountStrategy: round-robin
  resilience:
    requestTimeoutMs: 5000
`,
    );
    const a = loadConfig({ args: ["--config", `${dir}/c.json`], env: envOf({}) }).configFile!;
    const b = loadConfig({ args: ["--config", `${dir}/c.yaml`], env: envOf({}) }).configFile!;
    assert.deepEqual(a.config, b.config);
    assert.deepEqual(a.settings, b.settings);
    assert.equal(b.config.connections[0].apiKey, "sk-default-key-0000");
    assert.deepEqual(b.settings, {
      routing: { accountStrategy: "round-robin" },
      resilience: { requestTimeoutMs: 5000 },
    });
  });
});

Deno.test("loadConfig() names the file when it is not valid YAML or JSON", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(`${dir}/c.yaml`, "connections: [\n  - {");
    assertConfigError(
      () => loadConfig({ args: ["--config", `${dir}/c.yaml`], env: envOf({}) }),
      `${dir}/c.yaml`,
      "YAML",
    );
    Deno.writeTextFileSync(`${dir}/c.json`, "{ nope");
    assertConfigError(
      () => loadConfig({ args: ["--config", `${dir}/c.json`], env: envOf({}) }),
      `${dir}/c.json`,
      "JSON",
    );
    assertConfigError(() => loadConfig({ args: ["--config", `${dir}/missing.json`], env: envOf({}) }), "missing.json");
  });
});

Deno.test("loadConfig() refuses duplicate connection names per provider", () => {
  withDir((dir) => {
    const path = `${dir}/c.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify({ connections: [{ provider: "openai", name: "a" }, { provider: "openai", name: "a" }] }),
    );
    assertConfigError(
      () => loadConfig({ args: ["--config", path], env: envOf({}) }),
      path,
      "connections[1]",
      "duplicate",
    );
  });
});

Deno.test("loadConfig() stops on an unknown CLI flag naming it", () => {
  assertConfigError(() => loadConfig({ args: ["serve", "--prot", "1"], env: envOf({}) }), "--prot");
  assertConfigError(() => loadConfig({ args: ["--verbose"], env: envOf({}) }), "--verbose");
  assertConfigError(() => loadConfig({ args: ["frobnicate"], env: envOf({}) }), "frobnicate");
});

Deno.test("loadConfig() parses the subcommands and their arguments", () => {
  const env = envOf({});
  assert.equal(loadConfig({ args: ["--help"], env }).command, "help");
  assert.equal(loadConfig({ args: ["version"], env }).command, "version");
  const reset = loadConfig({ args: ["reset-password", "--password", "hunter2hunter2"], env });
  assert.equal(reset.command, "reset-password");
  assert.equal(reset.password, "hunter2hunter2");
  const exp = loadConfig({ args: ["export", "/tmp/x.sqlite"], env });
  assert.equal(exp.command, "export");
  assert.equal(exp.file, "/tmp/x.sqlite");
  assertConfigError(() => loadConfig({ args: ["import"], env }), "import", "FILE");
  assertConfigError(() => loadConfig({ args: ["--port", "70000"], env }), "--port", "70000");
  assertConfigError(() => loadConfig({ args: [], env: envOf({ REQUIRE_API_KEY: "maybe" }) }), "REQUIRE_API_KEY");
  assertConfigError(() => loadConfig({ args: [], env: envOf({ MAX_BODY_MB: "-1" }) }), "MAX_BODY_MB");
});

Deno.test("loadConfigAsync() loads the YAML parser on demand and reads a YAML file", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/c.yml`, "requireApiKey: true\n");
    const config = await loadConfigAsync({ args: ["--config", `${dir}/c.yml`], env: () => undefined });
    assert.equal(config.configFile?.config.requireApiKey, true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// The synchronous loadConfig() of the tests above needs the parser in place (main.ts uses loadConfigAsync).
await loadYamlSupport();
