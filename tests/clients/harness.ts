/**
 * @module Runs one real coding CLI (installed by tests/clients/run.sh) headless and offline against the in-process
 * gateway, which routes it to a scripted fake upstream of another wire format. Records what the CLI sent to the
 * gateway and what the upstream received, so a test can check the system prompt and the tools arrived whole.
 */
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import { createGateway } from "../../src/http/gateway.ts";
import { type ScriptedUpstream, startScriptedUpstream } from "./fake_upstream.ts";
import type { ScriptedToolCall, UpstreamFormat } from "./wire_read.ts";

export type { ClientFormat, UpstreamFormat } from "./wire_read.ts";

export const GATEWAY_KEY = "sy-clients-test-key-0123456789abcdef";

export const UPSTREAM_MODELS: Record<UpstreamFormat, { gateway: string; upstream: string }> = {
  openai: { gateway: "openai/gpt-4.1", upstream: "gpt-4.1" },
  anthropic: { gateway: "anthropic/claude-sonnet-4-5", upstream: "claude-sonnet-4-5" },
  gemini: { gateway: "gemini/gemini-2.5-flash", upstream: "gemini-2.5-flash" },
};

/** Where run.sh installs the CLIs. */
export const CLIENTS_DIR = Deno.env.get("CLIENTS_DIR") ?? `${Deno.env.get("HOME") ?? "."}/.cache/switchyard-clients`;

/** Per-CLI time limit (ms). */
export const CLI_TIMEOUT_MS = Number(Deno.env.get("CLIENTS_TIMEOUT_MS") ?? 120_000);

/** The path of an installed CLI's bin, or why it is not usable (the test is then skipped with that reason). */
export function cliBin(name: string): { path?: string; skip?: string } {
  const path = `${CLIENTS_DIR}/node_modules/.bin/${name}`;
  try {
    Deno.statSync(path);
  } catch {
    return { skip: `${path} not found: run tests/clients/run.sh (or set CLIENTS_DIR)` };
  }
  try {
    const reason = Deno.readTextFileSync(`${CLIENTS_DIR}/unusable-${name}.txt`).trim();
    if (reason) return { skip: reason };
  } catch {
    // No reason recorded by run.sh: usable.
  }
  return { path };
}

export interface GatewayExchange {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  /** The response body as the CLI got it (complete once the CLI has read it to its end). */
  responseText: string;
}

export interface CliRun {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Rig {
  /** `http://127.0.0.1:{port}` of the gateway. */
  url: string;
  upstream: ScriptedUpstream;
  /** What the CLI sent to the gateway (inference routes only) and the status/headers it got. */
  exchanges: GatewayExchange[];
  /** A throwaway root; `work` (the CLI's cwd, holding secret.txt) and `home` are inside it. */
  root: string;
  work: string;
  home: string;
  secret: string;
  /** The gateway model name that routes to the upstream. */
  model: string;
  run(cmd: string, args: string[], env: Record<string, string>, opts?: { cwd?: string }): Promise<CliRun>;
  close(): Promise<void>;
}

export interface RigOptions {
  upstream: UpstreamFormat;
  /** Builds the scripted tool call from the working dir and the secret file's path. */
  toolCall: (work: string, secretFile: string) => ScriptedToolCall;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "switchyard-clients-" }));
  const work = `${root}/work`;
  const home = `${root}/home`;
  await Deno.mkdir(work, { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(`${root}/tmp`, { recursive: true });
  const secret = `PLUM${crypto.randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;
  const secretFile = `${work}/secret.txt`;
  await Deno.writeTextFile(secretFile, `SECRET_WORD=${secret}\n`);

  const models = UPSTREAM_MODELS[options.upstream];
  const upstream = startScriptedUpstream({
    format: options.upstream,
    secret,
    toolCall: options.toolCall(work, secretFile),
    model: models.upstream,
  });
  const configPath = `${root}/gateway.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({
      apiKeys: [{ name: "clients", key: GATEWAY_KEY, scopes: ["inference"] }],
      connections: [{
        provider: options.upstream,
        name: "fake",
        apiKey: options.upstream === "gemini" ? "fake-gemini-key-000000000000" : "sk-fake-000000000000",
        baseUrl: upstream.baseUrl,
      }],
    }),
  );
  const env: Record<string, string> = { REQUIRE_API_KEY: "false", LOG_LEVEL: "error" };
  const config = loadConfig({
    args: ["serve", "--port", "0", "--data-dir", `${root}/data`, "--config", configPath],
    env: (name) => env[name],
  });
  const gw = await createGateway(config);
  const app = createApp(gw);
  const exchanges: GatewayExchange[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req, info) => {
      const url = new URL(req.url);
      const inference = url.pathname.startsWith("/v1/") || url.pathname.startsWith("/v1beta/");
      let body: Record<string, unknown> | undefined;
      if (inference && req.method === "POST") {
        try {
          body = JSON.parse(await req.clone().text());
        } catch {
          body = undefined;
        }
      }
      const res = await app.fetch(req, info);
      if (!inference) return res;
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => responseHeaders[k] = v);
      const exchange: GatewayExchange = {
        method: req.method,
        path: url.pathname + url.search,
        body,
        status: res.status,
        responseHeaders,
        responseText: "",
      };
      exchanges.push(exchange);
      if (!res.body) return res;
      // Keep a copy of what the CLI reads (SSE included) for the dump and for failure reports.
      const decoder = new TextDecoder();
      const copy = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            exchange.responseText += decoder.decode(chunk, { stream: true });
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(copy, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  );
  const url = `http://127.0.0.1:${server.addr.port}`;

  async function run(
    cmd: string,
    args: string[],
    cliEnv: Record<string, string>,
    opts: { cwd?: string } = {},
  ): Promise<CliRun> {
    const started = performance.now();
    // setsid makes the CLI a process-group leader, so a timeout can kill the wrappers' native children too.
    // CLIENTS_STRACE=DIR logs every connect() the CLI and its children make (to check that all stay on loopback).
    const straceDir = Deno.env.get("CLIENTS_STRACE");
    const traced = straceDir
      ? ["strace", "-f", "-qq", "-e", "trace=connect", "-o", `${straceDir}/${cmd.split("/").pop()}-${Date.now()}.log`]
      : [];
    const child = new Deno.Command("setsid", {
      args: [...traced, cmd, ...args],
      cwd: opts.cwd ?? work,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
        HOME: home,
        TMPDIR: `${root}/tmp`,
        LANG: "C.UTF-8",
        TERM: "dumb",
        NO_COLOR: "1",
        ...cliEnv,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const killGroup = (signal: string) => {
      try {
        new Deno.Command("kill", { args: [`-${signal}`, "--", `-${child.pid}`], stderr: "null" }).outputSync();
      } catch {
        // Already gone.
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("KILL");
    }, CLI_TIMEOUT_MS);
    const out = await child.output();
    clearTimeout(timer);
    killGroup("KILL"); // Anything the CLI left behind in its group.
    const dec = new TextDecoder();
    return {
      code: out.code,
      timedOut,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      ms: Math.round(performance.now() - started),
    };
  }

  return {
    url,
    upstream,
    exchanges,
    root,
    work,
    home,
    secret,
    model: models.gateway,
    run,
    async close() {
      const dump = Deno.env.get("CLIENTS_DUMP");
      if (dump) {
        await Deno.mkdir(dump, { recursive: true });
        const name = `${dump}/${options.upstream}-${Date.now()}.json`;
        await Deno.writeTextFile(name, JSON.stringify({ exchanges, upstream: upstream.requests }, null, 2));
      }
      await server.shutdown();
      await upstream.close();
      gw.usage.flush();
      gw.db.close();
      if (!Deno.env.get("CLIENTS_KEEP")) await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * The upstream formats to run a CLI against: its suggested cross-format pairing first, then the others (one of
 * them is the CLI's own format, a pass-through). `CLIENTS_UPSTREAMS=openai,gemini` narrows the list.
 */
export function upstreamsFor(preferred: UpstreamFormat): UpstreamFormat[] {
  const all: UpstreamFormat[] = [
    preferred,
    ...(["openai", "anthropic", "gemini"] as const).filter((f) => f !== preferred),
  ];
  const only = Deno.env.get("CLIENTS_UPSTREAMS");
  if (!only) return all;
  const wanted = new Set(only.split(",").map((s) => s.trim()));
  return all.filter((f) => wanted.has(f));
}

export const FORMAT_LABEL: Record<UpstreamFormat, string> = {
  openai: "OpenAI-format",
  anthropic: "Anthropic-format",
  gemini: "Gemini-format",
};
