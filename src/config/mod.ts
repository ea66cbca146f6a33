/**
 * @module The program's configuration: CLI flags, then environment, then the config file, then defaults.
 * The only reader of `Deno.env` in the codebase.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../core/errors.ts";
import { loadConfigFile, type LoadedConfigFile, loadYamlSupport, YamlNotLoaded } from "./file.ts";

export type Command = "serve" | "reset-password" | "export" | "import" | "version" | "help";

export interface AppConfig {
  command: Command;
  /** The FILE argument of export/import. */
  file?: string;
  /** `reset-password --password P`. */
  password?: string;
  port: number;
  host: string;
  dataDir: string;
  /** The user's home folder (HOME): where the dashboard's CLI-tools page writes a tool's config for a local user. */
  homeDir?: string;
  configFile?: LoadedConfigFile;
  initialPassword?: string;
  jwtSecret?: string;
  apiKeySecret?: string;
  /** undefined: the default (false on a loopback bind, true otherwise). */
  requireApiKey?: boolean;
  /** True when REQUIRE_API_KEY=false was set explicitly (proxied loopback requests then need no key either). */
  requireApiKeyExplicitFalse: boolean;
  trustProxy: boolean;
  authCookieSecure: boolean;
  /** From MAX_BODY_MB; beats the settings value. */
  maxBodyMb?: number;
  cacheMaxSize: number;
  enableRequestLogs: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  logFormat: "text" | "json";
  /**
   * An outbound proxy is set in the environment (HTTP_PROXY, HTTPS_PROXY or ALL_PROXY, either case): upstream calls
   * then go through the runtime's fetch, which honours them (with NO_PROXY), instead of the gateway's own client.
   */
  outboundProxy: boolean;
  /** For tests: an injectable DNS resolver is wired in http; not configured here. */
}

export const USAGE = `switchyard — a self-hosted AI gateway

Usage: switchyard [command] [flags]

Commands:
  serve                 start the gateway (default)
  reset-password        set the dashboard password (--password P, or read from stdin)
  export FILE           write a consistent .sqlite snapshot of the store to FILE
  import FILE           replace the store with FILE (validated; the current store is backed up first)
  version               print the version

Flags:
  --port N              listen port (env PORT, default 20128)
  --host H              bind address (env HOST, default 127.0.0.1)
  --data-dir D          data directory (env DATA_DIR, default ~/.switchyard)
  --config FILE         config file, JSON or YAML (env SWITCHYARD_CONFIG)
  --password P          with reset-password
  -h, --help            this text
`;

const COMMANDS = new Set(["serve", "reset-password", "export", "import", "version", "help"]);

function envBool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`environment ${name}: expected true or false, got "${value}"`);
}

function parsePort(source: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${source}: not a port number: "${value}"`);
  return n;
}

function isIpOrLocalhost(value: string): boolean {
  return value === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(value) ||
    /^[0-9a-f:]+$/i.test(value) && value.includes(":");
}

export interface LoadOptions {
  args: string[];
  env?: (name: string) => string | undefined;
  homeDir?: string;
}

function readEnv(name: string): string | undefined {
  return Deno.env.get(name);
}

/** `loadConfig`, loading the YAML parser first when the config file turns out to be YAML. */
export async function loadConfigAsync(options: LoadOptions): Promise<AppConfig> {
  try {
    return loadConfig(options);
  } catch (err) {
    if (!(err instanceof YamlNotLoaded)) throw err;
    await loadYamlSupport();
    return loadConfig(options);
  }
}

/**
 * Parses argv and the environment; loads and validates the config file. Throws ConfigError on any bad input. A YAML
 * file needs `loadYamlSupport()` first (or use `loadConfigAsync`).
 */
export function loadConfig(options: LoadOptions): AppConfig {
  const env = options.env ?? readEnv;
  let parsed;
  try {
    parsed = parseArgs({
      args: options.args,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        config: { type: "string" },
        password: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    throw new ConfigError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  const first = positionals[0] ?? "serve";
  if (!COMMANDS.has(first)) throw new ConfigError(`unknown command "${first}" (try --help)`);
  let command = first as Command;
  if (values.help) command = "help";
  if (values.version) command = "version";
  const file = positionals[1];
  if ((command === "export" || command === "import") && !file) {
    throw new ConfigError(`${command} needs a FILE argument`);
  }
  if (positionals.length > (command === "export" || command === "import" ? 2 : 1)) {
    throw new ConfigError(`unexpected argument "${positionals.at(-1)}"`);
  }

  const home = options.homeDir ?? env("HOME") ?? env("USERPROFILE") ?? ".";
  const hostEnv = env("HOST");
  const hostnameEnv = env("HOSTNAME");
  const host = values.host ?? (hostEnv || (hostnameEnv && isIpOrLocalhost(hostnameEnv) ? hostnameEnv : undefined)) ??
    "127.0.0.1";
  const port = values.port !== undefined
    ? parsePort("--port", values.port)
    : env("PORT")
    ? parsePort("environment PORT", env("PORT")!)
    : 20128;
  const dataDir = values["data-dir"] ?? (env("DATA_DIR") || `${home}/.switchyard`);
  const configPath = values.config ?? (env("SWITCHYARD_CONFIG") || undefined);
  const configFile = configPath && command !== "help" && command !== "version"
    ? loadConfigFile(configPath, env)
    : undefined;

  const requireEnv = envBool("REQUIRE_API_KEY", env("REQUIRE_API_KEY"));
  const maxBodyEnv = env("MAX_BODY_MB");
  let maxBodyMb: number | undefined;
  if (maxBodyEnv) {
    maxBodyMb = Number(maxBodyEnv);
    if (!(maxBodyMb > 0)) {
      throw new ConfigError(`environment MAX_BODY_MB: expected a positive number, got "${maxBodyEnv}"`);
    }
  }
  const cacheEnv = env("SEMANTIC_CACHE_MAX_SIZE");
  const cacheMaxSize = cacheEnv ? Number(cacheEnv) : 100;
  if (!Number.isInteger(cacheMaxSize) || cacheMaxSize < 0) {
    throw new ConfigError(`environment SEMANTIC_CACHE_MAX_SIZE: expected a whole number, got "${cacheEnv}"`);
  }
  const logLevel = (env("LOG_LEVEL") || "info").toLowerCase();
  if (!["debug", "info", "warn", "error"].includes(logLevel)) {
    throw new ConfigError(`environment LOG_LEVEL: expected debug, info, warn or error, got "${logLevel}"`);
  }
  const logFormat = (env("LOG_FORMAT") || "text").toLowerCase();
  if (logFormat !== "text" && logFormat !== "json") {
    throw new ConfigError(`environment LOG_FORMAT: expected text or json, got "${logFormat}"`);
  }

  return {
    command,
    file,
    password: values.password,
    port,
    host,
    dataDir,
    homeDir: home,
    configFile,
    initialPassword: env("INITIAL_PASSWORD") || undefined,
    jwtSecret: env("JWT_SECRET") || undefined,
    apiKeySecret: env("API_KEY_SECRET") || undefined,
    requireApiKey: requireEnv ?? configFile?.config.requireApiKey,
    requireApiKeyExplicitFalse: (requireEnv ?? configFile?.config.requireApiKey) === false,
    trustProxy: envBool("TRUST_PROXY", env("TRUST_PROXY")) ?? false,
    authCookieSecure: envBool("AUTH_COOKIE_SECURE", env("AUTH_COOKIE_SECURE")) ?? false,
    maxBodyMb,
    cacheMaxSize,
    enableRequestLogs: envBool("ENABLE_REQUEST_LOGS", env("ENABLE_REQUEST_LOGS")) ?? false,
    logLevel: logLevel as AppConfig["logLevel"],
    logFormat,
    outboundProxy: PROXY_VARS.some((name) => Boolean(env(name) || env(name.toLowerCase()))),
  };
}

const PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

/** True for a bind address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
