/**
 * @module Runs the real gateway as a subprocess (`deno run <start flags> src/main.ts serve`) on a free 127.0.0.1 port with a
 * temp DATA_DIR and a config file, waits for /healthz, and stops it (SIGTERM, then SIGKILL on timeout).
 * Also runs one-shot CLI commands.
 */

export const REPO_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const MAIN = `${REPO_ROOT}/src/main.ts`;

/**
 * The permission flags of `deno task start`, read from deno.json, so the gateway under test runs with exactly the
 * permissions users give it (not `-A`: Deno's node:sqlite behaves differently under --allow-all).
 */
export const START_FLAGS: string[] = (() => {
  const config = JSON.parse(Deno.readTextFileSync(`${REPO_ROOT}/deno.json`)) as { tasks: { start: string } };
  const flags = config.tasks.start.split(/\s+/).filter((t) => t.startsWith("--allow-") || t.startsWith("--unstable-"));
  if (flags.length === 0) throw new Error("deno.json tasks.start has no --allow flags");
  return flags;
})();

/** A port nobody listens on right now (the OS picks it; released before the gateway binds it). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The environment a child gets: nothing inherited but what deno itself needs, plus `extra`. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "TMPDIR", "XDG_CACHE_HOME"]) {
    const v = Deno.env.get(name);
    if (v !== undefined) env[name] = v;
  }
  return { ...env, ...extra };
}

export interface StartOptions {
  /** A temp folder the test owns: DATA_DIR is `{root}/data`, the config file `{root}/switchyard.json`. */
  root: string;
  /** Written as JSON to the config file; omitted: no config file. */
  config?: unknown;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Extra CLI flags after `serve`. */
  args?: string[];
  /** How long to wait for /healthz. */
  startTimeoutMs?: number;
}

export interface GatewayProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  dataDir: string;
  configPath?: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit status. Safe to call twice. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
  /** SIGKILL at once (a crash); resolves when the process is gone. */
  kill9(): Promise<Deno.CommandStatus>;
}

/** Writes the config file (if any) and starts `serve`; throws with the process output when it does not come up. */
export async function startGateway(options: StartOptions): Promise<GatewayProcess> {
  const dataDir = `${options.root}/data`;
  let configPath: string | undefined;
  if (options.config !== undefined) {
    configPath = `${options.root}/switchyard.json`;
    await Deno.writeTextFile(configPath, JSON.stringify(options.config, null, 2));
  }
  const port = freePort();
  const args = [
    "run",
    ...START_FLAGS,
    "--quiet",
    MAIN,
    "serve",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--data-dir",
    dataDir,
    ...(configPath ? ["--config", configPath] : []),
    ...(options.args ?? []),
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO_ROOT,
    clearEnv: true,
    env: childEnv(options.env ?? {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let out = "";
  const collect = async (stream: ReadableStream<Uint8Array>): Promise<void> => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) out += decoder.decode(chunk, { stream: true });
  };
  const readers = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited: Deno.CommandStatus | undefined;
  const status = child.status.then(async (s) => {
    exited = s;
    await readers;
    return s;
  });

  let stopping: Promise<Deno.CommandStatus> | undefined;
  const gw: GatewayProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    configPath,
    pid: child.pid,
    output: () => out,
    stop(graceMs = 12_000) {
      if (stopping) return stopping;
      stopping = (async () => {
        if (exited) return await status;
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const killed = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            try {
              child.kill("SIGKILL");
            } catch { /* already gone */ }
            resolve();
          }, graceMs);
        });
        await Promise.race([status, killed]);
        clearTimeout(timer);
        return await status;
      })();
      return stopping;
    },
    kill9() {
      if (!stopping) {
        stopping = (async () => {
          if (!exited) {
            try {
              child.kill("SIGKILL");
            } catch { /* already gone */ }
          }
          return await status;
        })();
      }
      return stopping;
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (true) {
    if (exited) {
      await status;
      throw new Error(`gateway exited with code ${exited.code} before it was healthy:\n${out}`);
    }
    try {
      const res = await fetch(`${gw.url}/healthz`);
      await res.body?.cancel();
      if (res.status === 200) return gw;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await gw.stop(1000);
      throw new Error(`gateway did not become healthy in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run src/main.ts ...args` to completion (bounded by `timeoutMs`). */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...START_FLAGS, "--quiet", MAIN, ...args],
    cwd: REPO_ROOT,
    clearEnv: true,
    env: childEnv(options.env ?? {}),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 20_000);
  try {
    const result = await child.output();
    const dec = new TextDecoder();
    return { code: result.code, stdout: dec.decode(result.stdout), stderr: dec.decode(result.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh temp folder for one test; remove it with `Deno.remove(root, { recursive: true })`. */
export async function makeRoot(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "switchyard-e2e-" });
}

/** Removes a test's temp folder, ignoring a folder already gone. */
export async function removeRoot(root: string): Promise<void> {
  await Deno.remove(root, { recursive: true }).catch(() => {});
}
