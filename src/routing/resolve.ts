/**
 * @module Model-name resolution: `{prefix}/{model}` → provider; a bare name → combo, then alias (exact, then
 * wildcard with `*`/`?` captures). The result is the ordered list of targets to try, with why.
 */
import { GatewayError } from "../core/errors.ts";
import type { ProviderSpec } from "../providers/mod.ts";
import type { GatewayState, RuntimeConnection } from "./state.ts";

export interface Target {
  provider: ProviderSpec;
  /** Model id as the upstream knows it (prefix stripped). */
  model: string;
}

export interface Candidate {
  target: Target;
  connection: RuntimeConnection;
}

/** `*` matches any run, `?` one character; returns the captures or undefined. */
export function matchWildcard(pattern: string, name: string): string[] | undefined {
  let re = "^";
  for (const ch of pattern) {
    if (ch === "*") re += "(.*)";
    else if (ch === "?") re += "(.)";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const m = new RegExp(re + "$").exec(name);
  return m ? m.slice(1) : undefined;
}

/** Fills a target's `*`/`?` with the captures, in order. */
function fillCaptures(target: string, captures: string[]): string {
  let i = 0;
  return target.replace(/[*?]/g, (w) => captures[i++] ?? w);
}

/** `openai/gpt-4.1` → its target, when the prefix names a provider. */
export function splitPrefixed(state: GatewayState, name: string): Target | undefined {
  const slash = name.indexOf("/");
  if (slash <= 0) return undefined;
  const provider = state.registry.get(name.slice(0, slash));
  const model = name.slice(slash + 1);
  return provider && model ? { provider, model } : undefined;
}

const MAX_DEPTH = 8;

/** Expands a requested name into targets in order; throws model_not_found for an unknown bare name. */
export function resolveTargets(state: GatewayState, name: string, depth = 0, seen = new Set<string>()): Target[] {
  if (depth > MAX_DEPTH || seen.has(name)) {
    throw new GatewayError("invalid_request", `model "${name}" resolves in a cycle`, { param: "model" });
  }
  seen.add(name);
  const direct = splitPrefixed(state, name);
  if (direct) return [direct];
  const combo = state.combos.get(name);
  if (combo) {
    const out: Target[] = [];
    for (const entry of combo.models) {
      try {
        out.push(...resolveTargets(state, entry.model, depth + 1, new Set(seen)));
      } catch (err) {
        // A combo entry that no longer resolves is skipped, not fatal: the others may still answer.
        if (!(err instanceof GatewayError) || err.code !== "model_not_found") throw err;
      }
    }
    return out;
  }
  const exact = state.aliases.find((a) => a.pattern === name);
  if (exact) return resolveTargets(state, exact.target, depth + 1, seen);
  for (const alias of state.aliases) {
    if (!/[*?]/.test(alias.pattern)) continue;
    const captures = matchWildcard(alias.pattern, name);
    if (captures) return resolveTargets(state, fillCaptures(alias.target, captures), depth + 1, seen);
  }
  throw new GatewayError("model_not_found", `The model \`${name}\` does not exist or you do not have access to it.`, {
    param: "model",
  });
}

/** True when a connection serves this model (its `models` list, if any, names it). */
function serves(connection: RuntimeConnection, model: string): boolean {
  return connection.models === null || connection.models.length === 0 || connection.models.includes(model);
}

/** Targets → (target, connection) pairs in try order: each target's connections by priority. */
export function candidatesFor(state: GatewayState, targets: Target[]): Candidate[] {
  const out: Candidate[] = [];
  for (const target of targets) {
    if (state.settings.security.blockedProviders.includes(target.provider.id)) continue;
    for (const connection of state.connections.get(target.provider.id) ?? []) {
      if (serves(connection, target.model)) out.push({ target, connection });
    }
  }
  return out;
}
