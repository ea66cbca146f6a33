/**
 * @module Server-side SVG charts (bars and lines): pure functions from points to an SVG string. Colours come from
 * CSS classes (`.chart .bar`, `.chart .line`), so both themes apply; every text is escaped here because templates
 * insert the result raw.
 */

export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartOptions {
  /** Accessible name (`aria-label` and `<title>`). */
  title: string;
  /** viewBox size; the SVG scales to its container's width. */
  width?: number;
  height?: number;
  /** Formats values for the axis and tooltips. */
  format?: (n: number) => string;
}

const PAD = { top: 14, right: 8, bottom: 22, left: 44 };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (a readable axis top); 1 for an empty or all-zero series. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

/** Non-finite and negative values are drawn (and labelled) as 0. */
function clean(points: ChartPoint[]): ChartPoint[] {
  return points.map((p) => ({ label: p.label, value: Number.isFinite(p.value) && p.value > 0 ? p.value : 0 }));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

interface Frame {
  w: number;
  h: number;
  plotW: number;
  plotH: number;
  top: number;
  fmt: (n: number) => string;
}

function frame(points: ChartPoint[], options: ChartOptions): Frame {
  const w = options.width ?? 600;
  const h = options.height ?? 180;
  const max = Math.max(0, ...points.map((p) => (Number.isFinite(p.value) ? p.value : 0)));
  return {
    w,
    h,
    plotW: w - PAD.left - PAD.right,
    plotH: h - PAD.top - PAD.bottom,
    top: niceMax(max),
    fmt: options.format ?? ((n) => String(n)),
  };
}

function y(f: Frame, value: number): number {
  const v = Number.isFinite(value) ? Math.max(0, value) : 0;
  return round(PAD.top + f.plotH - (v / f.top) * f.plotH);
}

/** Axis lines, the top and zero labels, and up to three x labels (first, middle, last). */
function axes(f: Frame, points: ChartPoint[], xOf: (i: number) => number): string {
  const base = PAD.top + f.plotH;
  let out = `<line class="axis" x1="${PAD.left}" y1="${base}" x2="${f.w - PAD.right}" y2="${base}"/>`;
  out += `<line class="grid" x1="${PAD.left}" y1="${PAD.top}" x2="${f.w - PAD.right}" y2="${PAD.top}"/>`;
  out += `<text class="tick" x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end">${
    escapeXml(f.fmt(f.top))
  }</text>`;
  out += `<text class="tick" x="${PAD.left - 4}" y="${base + 4}" text-anchor="end">0</text>`;
  const picks = points.length === 0 ? [] : [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  for (const i of picks) {
    const anchor = i === 0 ? "start" : i === points.length - 1 ? "end" : "middle";
    out += `<text class="tick" x="${round(xOf(i))}" y="${f.h - 6}" text-anchor="${anchor}">${
      escapeXml(points[i].label)
    }</text>`;
  }
  return out;
}

function open(f: Frame, title: string, kind: string): string {
  return `<svg class="chart chart-${kind}" viewBox="0 0 ${f.w} ${f.h}" role="img" aria-label="${
    escapeXml(title)
  }" xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(title)}</title>`;
}

/** One bar per point; each bar has a tooltip `label: value`. */
export function barChart(input: ChartPoint[], options: ChartOptions): string {
  const points = clean(input);
  const f = frame(points, options);
  const slot = points.length === 0 ? f.plotW : f.plotW / points.length;
  const barW = round(Math.max(1, slot * 0.7));
  const xOf = (i: number): number => PAD.left + slot * i + slot / 2;
  let bars = "";
  points.forEach((p, i) => {
    const top = y(f, p.value);
    const height = round(PAD.top + f.plotH - top);
    bars += `<rect class="bar" x="${round(xOf(i) - barW / 2)}" y="${top}" width="${barW}" height="${height}"><title>${
      escapeXml(`${p.label}: ${f.fmt(p.value)}`)
    }</title></rect>`;
  });
  return `${open(f, options.title, "bar")}${axes(f, points, xOf)}${bars}</svg>`;
}

/** A polyline through the points with a dot (and tooltip) on each. */
export function lineChart(input: ChartPoint[], options: ChartOptions): string {
  const points = clean(input);
  const f = frame(points, options);
  const step = points.length > 1 ? f.plotW / (points.length - 1) : 0;
  const xOf = (i: number): number => PAD.left + (points.length > 1 ? step * i : f.plotW / 2);
  const coords = points.map((p, i) => `${round(xOf(i))},${y(f, p.value)}`);
  let dots = "";
  points.forEach((p, i) => {
    dots += `<circle class="dot" cx="${round(xOf(i))}" cy="${y(f, p.value)}" r="2.5"><title>${
      escapeXml(`${p.label}: ${f.fmt(p.value)}`)
    }</title></circle>`;
  });
  const line = coords.length > 0 ? `<polyline class="line" fill="none" points="${coords.join(" ")}"/>` : "";
  return `${open(f, options.title, "line")}${axes(f, points, xOf)}${line}${dots}</svg>`;
}
