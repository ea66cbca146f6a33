/** @module Structured logs (text or one JSON object per line); callers pass fields, never secrets or bodies. */

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

/** Field names whose values are never written, whatever a caller passes. */
const SECRET_FIELD = /key|token|secret|password|authorization|cookie/i;

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) && k !== "keyId" ? "[redacted]" : v;
  return out;
}

export function createLogger(
  options: { level: LogLevel; format: "text" | "json"; write?: (line: string) => void },
): Logger {
  const min = ORDER[options.level];
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    enabled: (level) => ORDER[level] >= min,
    log(level, msg, fields = {}) {
      if (ORDER[level] < min) return;
      const clean = scrub(fields);
      if (options.format === "json") {
        write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...clean }));
      } else {
        const extra = Object.entries(clean).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
        write(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${extra.length ? " " + extra.join(" ") : ""}`);
      }
    },
  };
}
