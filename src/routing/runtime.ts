/**
 * @module The routing runtime that outlives config reloads: breaker/cooldown health, rate limiters, strategy
 * cursors, and the planner that turns a model name into ordered candidates (docs/routing.md).
 */
import type { Settings } from "../config/schema.ts";
import { isLoopbackHost } from "../config/mod.ts";
import { type BreakerProfile, createHealthRegistry, type HealthRegistry } from "./health.ts";
import { createLimiter, type Limiter, type Limits } from "./limiter.ts";
import { type Candidate, candidatesFor, resolveTargets, type Target } from "./resolve.ts";
import type { GatewayState, RuntimeConnection } from "./state.ts";
import {
  type AccountStrategy,
  type ComboStrategy,
  createRoundRobin,
  orderComboEntries,
  orderConnections,
  type RoundRobin,
} from "./strategies.ts";

export interface RoutingRuntime {
  health: HealthRegistry;
  limiter: Limiter;
  comboCursor: RoundRobin;
  accountCursor: RoundRobin;
  random: () => number;
  now: () => number;
}

export function createRoutingRuntime(deps: { now: () => number; random?: () => number }): RoutingRuntime {
  const random = deps.random ?? Math.random;
  return {
    health: createHealthRegistry({ now: deps.now, random }),
    limiter: createLimiter({ now: deps.now }),
    comboCursor: createRoundRobin(),
    accountCursor: createRoundRobin(),
    random,
    now: deps.now,
  };
}

type ProfileKind = "oauth" | "apikey" | "local";
/** Per connection object (rebuilt on every reload, so an entry never outlives its base URL). */
const kinds = new WeakMap<RuntimeConnection, ProfileKind>();

/** Which breaker profile a connection uses: local servers, subscription (OAuth) accounts, or API keys. */
export function profileKind(connection: RuntimeConnection): ProfileKind {
  let kind = kinds.get(connection);
  if (kind === undefined) {
    kind = "apikey";
    try {
      if (isLoopbackHost(new URL(connection.baseUrl).hostname)) kind = "local";
    } catch { /* not a URL: treat as remote */ }
    kinds.set(connection, kind);
  }
  return kind;
}

export function profileFor(settings: Settings, connection: RuntimeConnection): BreakerProfile {
  return settings.resilience.profiles[profileKind(connection)];
}

/** Merged limits per connection, valid while the settings object is the same one (settings are replaced, not edited). */
const mergedLimits = new WeakMap<RuntimeConnection, { settings: Settings; limits: Limits }>();

/** Defaults, then the provider's override, then the connection's (`provider/name`). */
export function limitsFor(settings: Settings, connection: RuntimeConnection): Limits {
  const cached = mergedLimits.get(connection);
  if (cached?.settings === settings) return cached.limits;
  const o = settings.resilience.rateLimitOverrides;
  const limits = {
    ...settings.resilience.rateLimits,
    ...o[connection.provider.id],
    ...o[`${connection.provider.id}/${connection.name}`],
  };
  mergedLimits.set(connection, { settings, limits });
  return limits;
}

function priceOf(target: Target): number | undefined {
  const p = target.provider.models.find((m) => m.id === target.model)?.price;
  return p ? p.input + p.output : undefined;
}

/**
 * A model name → ordered candidates: combo strategy on each combo's entries, the global fallback chain after,
 * the account strategy on each provider's connections. `allow` filters targets (a key's allow-list).
 */
export function planCandidates(
  state: GatewayState,
  rt: RoutingRuntime,
  name: string,
  options: { targets?: Target[]; allow?: (t: Target) => boolean } = {},
): { targets: Target[]; candidates: Candidate[] } {
  const routing = state.settings.routing;
  let targets = options.targets ?? resolveTargets(state, name, {
    orderCombo: (combo) => {
      const strategy = (combo.strategy || routing.comboStrategy) as ComboStrategy;
      if (strategy === "priority") return combo.models;
      const infos = combo.models.map((m) => {
        const t = safeResolve(state, m.model);
        return {
          ...m,
          recentRequests: t.reduce((s, x) => s + requestsOf(state, rt, x.provider.id), 0),
          price: t[0] ? priceOf(t[0]) : undefined,
        };
      });
      return orderComboEntries(infos, strategy, {
        random: rt.random,
        cursor: () => rt.comboCursor.next(`combo:${combo.name}`, combo.models.length, 1),
      });
    },
  });
  if (!options.targets && routing.fallbackChain.length > 0) {
    for (const extra of routing.fallbackChain) {
      if (extra === name) continue;
      for (const t of safeResolve(state, extra)) {
        if (!targets.some((x) => x.provider.id === t.provider.id && x.model === t.model)) targets = [...targets, t];
      }
    }
  }
  if (options.allow) targets = targets.filter(options.allow);
  const candidates = candidatesFor(state, targets, (providerId, conns) => {
    const strategy = (routing.providerStrategies[providerId] ?? routing.accountStrategy) as AccountStrategy;
    if (strategy === "fill-first" || strategy === "cost-optimized") return conns;
    const infos = conns.map((c) => {
      const h = rt.health.get(c.id);
      return {
        c,
        priority: c.priority,
        inFlight: h?.inFlight ?? 0,
        latencyEwmaMs: h?.latencyEwmaMs ?? null,
        lastUsedAt: h?.lastUsedAt ?? null,
      };
    });
    return orderConnections(infos, strategy, {
      random: rt.random,
      cursor: () => rt.accountCursor.next(`provider:${providerId}`, conns.length, routing.stickyLimit),
    }).map((x) => x.c);
  });
  return { targets, candidates };
}

function safeResolve(state: GatewayState, name: string): Target[] {
  try {
    return resolveTargets(state, name);
  } catch {
    return [];
  }
}

function requestsOf(state: GatewayState, rt: RoutingRuntime, providerId: string): number {
  let n = 0;
  for (const c of state.connections.get(providerId) ?? []) n += rt.health.get(c.id)?.requests ?? 0;
  return n;
}
