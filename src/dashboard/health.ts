/** @module The health page's view model: process facts, breaker states, cooldowns, lockouts, queues, latency. */
import { formatDuration, formatInt, formatMs } from "./format.ts";

export interface HealthConnectionInput {
  id: string;
  provider: string;
  name: string;
  profile: string;
  state: string;
  failures: number;
  openUntil: number | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  lockouts: Array<{ model: string; until: number }>;
  inFlight: number;
  requests: number;
  latencyEwmaMs: number | null;
  queue: { active: number; waiting: number; rpm: number; maxConcurrent: number; queueSize: number };
}

export interface HealthInput {
  now: number;
  version: string;
  startedAt: number;
  storeOk: boolean;
  memory: { rss: number; heapUsed: number };
  inFlight: number;
  connections: HealthConnectionInput[];
  latency: Array<{ series: string; count: number; p50: number | null; p95: number | null; p99: number | null }>;
}

export interface HealthModel {
  stats: Array<{ label: string; value: string; cls?: string }>;
  connections: Array<{
    id: string;
    label: string;
    profile: string;
    state: string;
    stateClass: string;
    failures: number;
    open: string;
    cooldown: string;
    lockouts: Array<{ model: string; left: string }>;
    locked: boolean;
    inFlight: number;
    requests: string;
    ewma: string;
  }>;
  queues: Array<{ label: string; active: number; waiting: number; limits: string }>;
  latency: Array<{ series: string; count: string; p50: string; p95: string; p99: string }>;
  anyLocked: boolean;
}

const MIB = 1048576;

function limitsText(q: HealthConnectionInput["queue"]): string {
  const parts: string[] = [];
  if (q.rpm > 0) parts.push(`${q.rpm} rpm`);
  if (q.maxConcurrent > 0) parts.push(`${q.maxConcurrent} concurrent`);
  return parts.length ? `${parts.join(", ")}, queue ${q.queueSize}` : "unlimited";
}

export function healthModel(input: HealthInput): HealthModel {
  const now = input.now;
  const left = (until: number | null) => (until && until > now ? formatDuration(until - now) : "");
  const connections = input.connections.map((c) => {
    const cooldown = left(c.cooldownUntil);
    const lockouts = c.lockouts.filter((l) => l.until > now).map((l) => ({ model: l.model, left: left(l.until) }));
    return {
      id: c.id,
      label: `${c.provider}/${c.name}`,
      profile: c.profile,
      state: c.state.replace("_", "-"),
      stateClass: c.state === "closed" ? "ok" : c.state === "open" ? "bad" : "warn",
      failures: c.failures,
      open: c.state === "closed" ? "" : left(c.openUntil) || "probing",
      cooldown: cooldown ? `${cooldown}${c.cooldownReason ? ` (${c.cooldownReason})` : ""}` : "",
      lockouts,
      locked: c.state !== "closed" || cooldown !== "" || lockouts.length > 0,
      inFlight: c.inFlight,
      requests: formatInt(c.requests),
      ewma: formatMs(c.latencyEwmaMs),
    };
  });
  return {
    stats: [
      { label: "Status", value: input.storeOk ? "ok" : "store not writable", cls: input.storeOk ? "ok" : "bad" },
      { label: "Version", value: input.version },
      { label: "Uptime", value: formatDuration(now - input.startedAt) },
      {
        label: "Memory (RSS / heap)",
        value: `${(input.memory.rss / MIB).toFixed(0)} / ${(input.memory.heapUsed / MIB).toFixed(0)} MiB`,
      },
      { label: "In flight", value: formatInt(input.inFlight) },
    ],
    connections,
    queues: input.connections.map((c) => ({
      label: `${c.provider}/${c.name}`,
      active: c.queue.active,
      waiting: c.queue.waiting,
      limits: limitsText(c.queue),
    })),
    latency: input.latency
      .filter((l) => l.count > 0)
      .sort((a, b) => a.series.localeCompare(b.series))
      .map((l) => ({
        series: l.series,
        count: formatInt(l.count),
        p50: formatMs(l.p50),
        p95: formatMs(l.p95),
        p99: formatMs(l.p99),
      })),
    anyLocked: connections.some((c) => c.locked),
  };
}
