/** @module Reads the optional config file (JSON or YAML), substitutes `${VAR}` / `${VAR:-default}`, validates it. */
import type { z } from "zod";
import { ConfigError } from "../core/errors.ts";
import {
  type ConfigFile,
  configFileSchema,
  DEFAULT_SETTINGS,
  sectionOfKey,
  type SettingsPatch,
  settingsPatchSchema,
} from "./schema.ts";

/** `connections[2].baseUrl` from a zod/issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(root)";
}

/** The first issues of a zod error as `path: reason` lines. */
export function describeZodError(error: z.ZodError, prefix = ""): string {
  return error.issues.slice(0, 5).map((issue) => {
    const path = formatPath([...(prefix ? [prefix] : []), ...issue.path]);
    if (issue.code === "unrecognized_keys") {
      return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return `${path}: ${issue.message}`;
  }).join("; ");
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` in every string of a parsed document; an unset variable without default is an error. */
export function substituteEnv(
  value: unknown,
  env: (name: string) => string | undefined,
  file: string,
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(VAR, (_m, name: string, fallback: string | undefined) => {
      const found = env(name);
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${file}: ${formatPath(path)}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, file, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, file, [...path, k]);
    return out;
  }
  return value;
}

export interface LoadedConfigFile {
  path: string;
  config: ConfigFile;
  settings: SettingsPatch;
}

/** Reads, substitutes and validates the file; every failure is a ConfigError naming file, path and reason. */
/** The YAML parser, loaded on demand (`loadYamlSupport`): most starts use JSON or no file, and yaml is 12 ms of start. */
let parseYaml: ((text: string) => unknown) | undefined;

/** Thrown by `loadConfigFile` when a YAML file comes before `loadYamlSupport()`; `loadConfigAsync` handles it. */
export class YamlNotLoaded extends Error {}

export async function loadYamlSupport(): Promise<void> {
  parseYaml ??= (await import("yaml")).parse;
}

export function loadConfigFile(path: string, env: (name: string) => string | undefined): LoadedConfigFile {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new ConfigError(`${path}: cannot read config file (${(err as Error).message})`);
  }
  let raw: unknown;
  const yaml = /\.ya?ml$/i.test(path);
  if (yaml && !parseYaml) throw new YamlNotLoaded(path);
  try {
    raw = yaml ? parseYaml!(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) raw = {};
  const substituted = substituteEnv(raw, env, path);
  const parsed = configFileSchema.safeParse(substituted);
  if (!parsed.success) throw new ConfigError(`${path}: ${describeZodError(parsed.error)}`);
  const config = parsed.data;
  checkUnique(path, "connections", config.connections.map((c) => `${c.provider}/${c.name}`));
  checkUnique(path, "apiKeys", config.apiKeys.map((k) => k.name));
  checkUnique(path, "customProviders", config.customProviders.map((p) => p.id));
  checkUnique(path, "combos", config.combos.map((c) => c.name));
  return { path, config, settings: normalizeSettings(path, config.settings) };
}

function checkUnique(file: string, field: string, names: string[]): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new ConfigError(`${file}: ${field}[${i}]: duplicate entry "${n}"`);
    seen.add(n);
  });
}

/** Accepts sectioned (`{routing: {...}}`) and flat (`{accountStrategy: ...}`) settings keys. */
function normalizeSettings(file: string, raw: Record<string, unknown>): SettingsPatch {
  const sectioned: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key in DEFAULT_SETTINGS) {
      sectioned[key] = { ...(sectioned[key] ?? {}), ...(value as Record<string, unknown>) };
      continue;
    }
    const section = sectionOfKey(key);
    if (!section) throw new ConfigError(`${file}: settings.${key}: unknown key "${key}"`);
    sectioned[section] = { ...(sectioned[section] ?? {}), [key]: value };
  }
  const parsed = settingsPatchSchema.safeParse(sectioned);
  if (!parsed.success) throw new ConfigError(`${file}: ${describeZodError(parsed.error, "settings")}`);
  return parsed.data;
}
