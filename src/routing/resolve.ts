/**
 * @module Model-name resolution: `{prefix}/{model}` → provider; a bare name → combo, then alias (exact, then
 * wildcard with `*`/`?` captures). The result is the ordered list of targets to try, with why.
 */
import { GatewayError } from "../core/errors.ts";
import type { ProviderSpec } from "../providers/mod.ts";
import type { ComboModel, ComboRow } from "../store/mod.ts";
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

export interface ResolveOptions {
  /** Orders a combo's entries (its strategy); list order when absent. */
  orderCombo?: (combo: ComboRow) => ComboModel[];
}

/** Expands a requested name into targets in order; throws model_not_found for an unknown bare name. */
export function resolveTargets(state: GatewayState, name: string, options: ResolveOptions = {}): Target[] {
  return expand(state, name, options, 0, new Set());
}

function expand(
  state: GatewayState,
  name: string,
  options: ResolveOptions,
  depth: number,
  seen: Set<string>,
): Target[] {
  if (depth > MAX_DEPTH || seen.has(name)) {
    throw new GatewayError("invalid_request", `model "${name}" resolves in a cycle`, { param: "model" });
  }
  seen.add(name);
  const direct = splitPrefixed(state, name);
  if (direct) return [direct];
  const combo = state.combos.get(name);
  if (combo) {
    const out: Target[] = [];
    for (const entry of options.orderCombo ? options.orderCombo(combo) : combo.models) {
      try {
        out.push(...expand(state, entry.model, options, depth + 1, new Set(seen)));
      } catch (err) {
        // A combo entry that no longer resolves is skipped, not fatal: the others may still answer.
        if (!(err instanceof GatewayError) || err.code !== "model_not_found") throw err;
      }
    }
    return out;
  }
  const exact = state.aliases.find((a) => a.pattern === name);
  if (exact) return expand(state, exact.target, options, depth + 1, seen);
  for (const alias of state.aliases) {
    if (!/[*?]/.test(alias.pattern)) continue;
    const captures = matchWildcard(alias.pattern, name);
    if (captures) return expand(state, fillCaptures(alias.target, captures), options, depth + 1, seen);
  }
  throw new GatewayError("model_not_found", `The model \`${name}\` does not exist or you do not have access to it.`, {
    param: "model",
  });
}

/** True when a connection serves this model (its `models` list, if any, names it). */
function serves(connection: RuntimeConnection, model: string): boolean {
  return connection.models === null || connection.models.length === 0 || connection.models.includes(model);
}

/**
 * Targets → (target, connection) pairs in try order: each target's connections (by priority, or as
 * `orderConnections` — the account strategy — puts them). A pair seen earlier in the list is not repeated.
 */
export function candidatesFor(
  state: GatewayState,
  targets: Target[],
  orderConnections?: (providerId: string, connections: RuntimeConnection[]) => RuntimeConnection[],
): Candidate[] {
  const out: Candidate[] = [];
  // Repeats are possible only across targets: a lone target (the common case) needs no bookkeeping.
  const seen = targets.length > 1 ? new Set<string>() : undefined;
  for (const target of targets) {
    if (state.settings.security.blockedProviders.includes(target.provider.id)) continue;
    const all = state.connections.get(target.provider.id) ?? [];
    const serving = all.filter((c) => serves(c, target.model));
    const ordered = orderConnections && serving.length > 1 ? orderConnections(target.provider.id, serving) : serving;
    for (const connection of ordered) {
      if (seen) {
        const key = `${connection.id}\u0000${target.model}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push({ target, connection });
    }
  }
  return out;
}
