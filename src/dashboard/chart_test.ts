import assert from "node:assert/strict";
import { barChart, escapeXml, lineChart, niceMax } from "./chart.ts";

Deno.test("niceMax() rounds up to 1, 2 or 5 × 10ⁿ and copes with empty series", () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(Number.NaN), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(13), 20);
  assert.equal(niceMax(420), 500);
  assert.equal(niceMax(1000), 1000);
  assert.equal(niceMax(0.03), 0.05);
});

Deno.test("barChart() draws one bar per point, scaled to the axis top, with tooltips", () => {
  const svg = barChart([{ label: "a", value: 5 }, { label: "b", value: 10 }, { label: "c", value: 0 }], {
    title: "Requests",
    width: 300,
    height: 100,
  });
  assert.match(svg, /^<svg class="chart chart-bar" viewBox="0 0 300 100" role="img" aria-label="Requests"/);
  const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(heights.length, 3);
  assert.equal(heights[1], 64, "the largest bar fills the plot (100 - 14 - 22)");
  assert.equal(heights[0], 32);
  assert.equal(heights[2], 0);
  assert.match(svg, /<title>b: 10<\/title>/);
  assert.ok(svg.endsWith("</svg>"));
});

Deno.test("charts escape labels and titles (templates insert them raw)", () => {
  const svg = barChart([{ label: "<script>", value: 1 }], { title: `a "b" & c` });
  assert.ok(!svg.includes("<script>"));
  assert.match(svg, /&#60;script&#62;/);
  assert.match(svg, /aria-label="a &#34;b&#34; &#38; c"/);
  assert.equal(escapeXml(`'`), "&#39;");
});

Deno.test("lineChart() draws a polyline with a dot per point and uses the formatter", () => {
  const svg = lineChart([{ label: "d1", value: 0.5 }, { label: "d2", value: 1.5 }], {
    title: "Cost",
    format: (n) => `$${n.toFixed(2)}`,
  });
  assert.match(svg, /<polyline class="line" fill="none" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"\/>/);
  assert.equal([...svg.matchAll(/<circle /g)].length, 2);
  assert.match(svg, /<title>d2: \$1.50<\/title>/);
  assert.match(svg, />\$2.00<\/text>/, "axis top label uses the formatter");
});

Deno.test("charts of no points or negative/NaN values stay valid", () => {
  const empty = lineChart([], { title: "none" });
  assert.ok(!empty.includes("<polyline"));
  const odd = barChart([{ label: "x", value: -3 }, { label: "y", value: Number.NaN }], { title: "odd" });
  assert.ok(!odd.includes("NaN"));
  assert.ok(!/height="-/.test(odd));
});
