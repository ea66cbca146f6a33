/** @module Number, money, duration and time formatting shared by the dashboard's view models (pure, locale-fixed). */

/** Made on first use: ICU's number formatting takes ~9 ms to set up, which the gateway's start should not pay. */
let int: Intl.NumberFormat | undefined;

export function formatInt(n: number): string {
  int ??= new Intl.NumberFormat("en-US");
  return int.format(Math.round(n));
}

/** 1234 → "1.2k", 2_500_000 → "2.5M": for chart labels and dense tables. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(2)}`;
}

/** USD with enough decimals to show small per-request costs. */
export function formatUsd(n: number): string {
  if (n === 0) return "$0.00";
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** 3725000 → "1h 2m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** `2025-01-02 03:04` in UTC (the dashboard labels times as UTC). */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

export function formatMs(ms: number | null): string {
  return ms === null ? "–" : `${Math.round(ms)} ms`;
}
