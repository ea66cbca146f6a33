/**
 * @module Per-connection health: a three-state circuit breaker with per-model lockouts, cooldowns from 429/402/401,
 * and the live counters strategies read (in flight, recent latency, last use). Closures over small records, an
 * injected clock, bounded by the number of connections.
 */
import { DEFAULT_SETTINGS } from "../config/schema.ts";
import type { FailureAction } from "./classify.ts";

export interface BreakerProfile {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker stays open before its half-open probe. */
  openMs: number;
  /** Ceiling for the open time, which doubles after each failed probe. */
  maxOpenMs: number;
  /** Cooldown after a 401/403. */
  credentialCooldownMs: number;
  /** Cooldown after a 402 / quota-exhausted answer. */
  quotaCooldownMs: number;
  /** Lockout of a model a connection answered 404 for. */
  modelLockoutMs: number;
  /** Backoff after a 429 without a hint: base and cap. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Presets by kind of connection: the settings defaults (editable in settings.resilience.profiles). */
export const PROFILE_PRESETS: Readonly<Record<"oauth" | "apikey" | "local", BreakerProfile>> =
  DEFAULT_SETTINGS.resilience.profiles;

export type BreakerState = "closed" | "open" | "half_open";

interface Entry {
  state: BreakerState;
  failures: number;
  openUntil: number;
  openMs: number;
  probeInFlight: boolean;
  cooldownUntil: number;
  cooldownReason: string | null;
  rateLimitStreak: number;
  lockouts: Map<string, number>;
  inFlight: number;
  requests: number;
  lastUsedAt: number;
  latencyEwmaMs: number;
}

export type Admission = { ok: true; probe: boolean } | { ok: false; until: number; reason: string };

export interface HealthView {
  connectionId: string;
  state: BreakerState;
  failures: number;
  openUntil: number | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  lockouts: Array<{ model: string; until: number }>;
  inFlight: number;
  requests: number;
  lastUsedAt: number | null;
  latencyEwmaMs: number | null;
}

/** What survives a restart (open breakers, cooldowns, lockouts: a six-hour quota lockout stays six hours). */
export interface HealthSnapshot {
  connectionId: string;
  state: BreakerState;
  failures: number;
  openUntil: number;
  openMs: number;
  cooldownUntil: number;
  cooldownReason: string | null;
  lockouts: Array<[string, number]>;
}

export interface HealthRegistry {
  /** May this connection take a request for `model` now? A half-open breaker admits exactly one probe. */
  admit(connectionId: string, model: string, profile: BreakerProfile): Admission;
  /** A request started (after admit): counts in-flight and last use. */
  begin(connectionId: string): void;
  onSuccess(connectionId: string, latencyMs: number): void;
  /** `retryAfterMs` from the upstream's hint, for rate limits. */
  onFailure(
    connectionId: string,
    failure: { action: FailureAction; model: string; retryAfterMs?: number },
    profile: BreakerProfile,
  ): void;
  /** The request ended without a verdict on the upstream (client left): releases a probe and the in-flight count. */
  end(connectionId: string): void;
  /** A half-open probe was admitted but never sent (rate limiter refused it): the next request may probe. */
  releaseProbe(connectionId: string): void;
  get(connectionId: string): HealthView | undefined;
  list(): HealthView[];
  /** Clears one connection's breaker, cooldown and lockouts (force unlock). */
  unlock(connectionId: string, model?: string): boolean;
  reset(): void;
  /** Drops entries of connections that no longer exist. */
  retain(ids: Set<string>): void;
  snapshot(): HealthSnapshot[];
  restore(rows: HealthSnapshot[]): void;
}

export function createHealthRegistry(deps: { now: () => number; random: () => number }): HealthRegistry {
  const entries = new Map<string, Entry>();

  function entry(id: string): Entry {
    let e = entries.get(id);
    if (!e) {
      e = {
        state: "closed",
        failures: 0,
        openUntil: 0,
        openMs: 0,
        probeInFlight: false,
        cooldownUntil: 0,
        cooldownReason: null,
        rateLimitStreak: 0,
        lockouts: new Map(),
        inFlight: 0,
        requests: 0,
        lastUsedAt: 0,
        latencyEwmaMs: 0,
      };
      entries.set(id, e);
    }
    return e;
  }

  function open(e: Entry, profile: BreakerProfile, now: number): void {
    e.openMs = e.state === "half_open"
      ? Math.min(profile.maxOpenMs, Math.max(e.openMs, profile.openMs) * 2)
      : profile.openMs;
    e.state = "open";
    e.openUntil = now + e.openMs;
    e.probeInFlight = false;
  }

  function view(id: string, e: Entry): HealthView {
    const now = deps.now();
    return {
      connectionId: id,
      state: e.state === "open" && now >= e.openUntil ? "half_open" : e.state,
      failures: e.failures,
      openUntil: e.state === "closed" ? null : e.openUntil,
      cooldownUntil: e.cooldownUntil > now ? e.cooldownUntil : null,
      cooldownReason: e.cooldownUntil > now ? e.cooldownReason : null,
      lockouts: [...e.lockouts].filter(([, until]) => until > now).map(([model, until]) => ({ model, until })),
      inFlight: e.inFlight,
      requests: e.requests,
      lastUsedAt: e.lastUsedAt || null,
      latencyEwmaMs: e.requests ? Math.round(e.latencyEwmaMs * 10) / 10 : null,
    };
  }

  return {
    admit(id, model, profile) {
      const e = entries.get(id);
      if (!e) return { ok: true, probe: false };
      const now = deps.now();
      if (e.cooldownUntil > now) return { ok: false, until: e.cooldownUntil, reason: e.cooldownReason ?? "cooldown" };
      const locked = e.lockouts.get(model);
      if (locked !== undefined) {
        if (locked > now) return { ok: false, until: locked, reason: `model ${model} locked out` };
        e.lockouts.delete(model);
      }
      if (e.state === "open") {
        if (now < e.openUntil) return { ok: false, until: e.openUntil, reason: "circuit open" };
        e.state = "half_open";
      }
      if (e.state === "half_open") {
        if (e.probeInFlight) return { ok: false, until: now + profile.openMs, reason: "half-open probe in flight" };
        e.probeInFlight = true;
        return { ok: true, probe: true };
      }
      return { ok: true, probe: false };
    },
    begin(id) {
      const e = entry(id);
      e.inFlight++;
      e.requests++;
      e.lastUsedAt = deps.now();
    },
    onSuccess(id, latencyMs) {
      const e = entry(id);
      e.inFlight = Math.max(0, e.inFlight - 1);
      e.failures = 0;
      e.rateLimitStreak = 0;
      e.state = "closed";
      e.probeInFlight = false;
      e.openMs = 0;
      e.latencyEwmaMs = e.latencyEwmaMs === 0 ? latencyMs : e.latencyEwmaMs * 0.8 + latencyMs * 0.2;
    },
    onFailure(id, failure, profile) {
      const e = entry(id);
      const now = deps.now();
      e.inFlight = Math.max(0, e.inFlight - 1);
      switch (failure.action) {
        case "return":
          // The request was wrong, not the connection: a probe that got a 400 still proves the upstream is up.
          if (e.state === "half_open") {
            e.state = "closed";
            e.failures = 0;
          }
          e.probeInFlight = false;
          return;
        case "credential":
          e.cooldownUntil = now + profile.credentialCooldownMs;
          e.cooldownReason = "credential rejected (401/403)";
          break;
        case "quota":
          e.cooldownUntil = now + profile.quotaCooldownMs;
          e.cooldownReason = "quota exhausted";
          break;
        case "model":
          e.lockouts.set(failure.model, now + profile.modelLockoutMs);
          e.probeInFlight = false;
          return;
        case "rate_limit": {
          e.rateLimitStreak++;
          const wait = failure.retryAfterMs ??
            Math.round(
              Math.min(profile.backoffMaxMs, profile.backoffBaseMs * 2 ** (e.rateLimitStreak - 1)) *
                (0.5 + deps.random() / 2),
            );
          e.cooldownUntil = now + Math.min(wait, profile.quotaCooldownMs * 6);
          e.cooldownReason = "rate limited (429)";
          e.probeInFlight = false;
          return;
        }
        case "upstream":
          e.failures++;
          if (e.state === "half_open" || e.failures >= profile.failureThreshold) open(e, profile, now);
          return;
      }
      e.probeInFlight = false;
    },
    end(id) {
      const e = entries.get(id);
      if (!e) return;
      e.inFlight = Math.max(0, e.inFlight - 1);
      e.probeInFlight = false;
    },
    releaseProbe(id) {
      const e = entries.get(id);
      if (e) e.probeInFlight = false;
    },
    get(id) {
      const e = entries.get(id);
      return e ? view(id, e) : undefined;
    },
    list() {
      return [...entries].map(([id, e]) => view(id, e));
    },
    unlock(id, model) {
      const e = entries.get(id);
      if (!e) return false;
      if (model) return e.lockouts.delete(model);
      e.state = "closed";
      e.failures = 0;
      e.openUntil = 0;
      e.openMs = 0;
      e.probeInFlight = false;
      e.cooldownUntil = 0;
      e.cooldownReason = null;
      e.rateLimitStreak = 0;
      e.lockouts.clear();
      return true;
    },
    reset() {
      for (const id of [...entries.keys()]) this.unlock(id);
    },
    retain(ids) {
      for (const id of [...entries.keys()]) if (!ids.has(id)) entries.delete(id);
    },
    snapshot() {
      const now = deps.now();
      const out: HealthSnapshot[] = [];
      for (const [id, e] of entries) {
        const lockouts = [...e.lockouts].filter(([, until]) => until > now);
        if (e.state === "closed" && e.cooldownUntil <= now && lockouts.length === 0) continue;
        out.push({
          connectionId: id,
          state: e.state,
          failures: e.failures,
          openUntil: e.openUntil,
          openMs: e.openMs,
          cooldownUntil: e.cooldownUntil,
          cooldownReason: e.cooldownReason,
          lockouts,
        });
      }
      return out;
    },
    restore(rows) {
      for (const r of rows) {
        const e = entry(r.connectionId);
        e.state = r.state === "half_open" ? "open" : r.state;
        e.failures = r.failures;
        e.openUntil = r.openUntil;
        e.openMs = r.openMs;
        e.cooldownUntil = r.cooldownUntil;
        e.cooldownReason = r.cooldownReason;
        e.lockouts = new Map(r.lockouts);
      }
    },
  };
}
