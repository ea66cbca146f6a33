/**
 * @module The conformance matrix, end to end through the real server: the official OpenAI (chat + responses),
 * Anthropic and Google GenAI SDKs call the gateway on 127.0.0.1, which translates to fake OpenAI, Anthropic and
 * Gemini upstreams speaking the vendors' real wire formats. Every (client × upstream) pair runs every cell; the
 * matrix is printed and written to tests/artifacts/conformance.md.
 */
import { CELLS } from "./conformance_cells.ts";
import { makeDrivers, SURFACES } from "./conformance_clients.ts";
import { QUIRKS } from "./conformance_quirks.ts";
import { GATEWAY_KEY, startHarness } from "./conformance_harness.ts";
import type { Vendor } from "../helpers/fake_upstreams.ts";

const VENDORS: Vendor[] = ["openai", "anthropic", "gemini"];

function renderMatrix(results: Map<string, Map<string, string>>): string {
  const header = `| client → upstream | ${CELLS.map((c) => c.name).join(" | ")} |`;
  const rule = `|---|${CELLS.map(() => "---").join("|")}|`;
  const rows = [...results].map(([pair, cells]) =>
    `| ${pair} | ${CELLS.map((c) => cells.get(c.name) ?? "skipped").join(" | ")} |`
  );
  return [header, rule, ...rows].join("\n");
}

Deno.test("conformance matrix: every SDK surface × every upstream format × every cell", async (t) => {
  const h = await startHarness();
  const drivers = makeDrivers(h.url, GATEWAY_KEY);
  const results = new Map<string, Map<string, string>>();
  const failures: string[] = [];
  try {
    for (const surface of SURFACES) {
      for (const vendor of VENDORS) {
        const pair = `${surface} → ${vendor}`;
        const row = new Map<string, string>();
        results.set(pair, row);
        for (const cell of CELLS) {
          const ok = await t.step({
            name: `${pair}: ${cell.name}`,
            fn: () => cell.run({ h, driver: drivers[surface], vendor }),
            sanitizeOps: false,
            sanitizeResources: false,
          });
          // Each cell starts from healthy connections: the error cell's 429 puts its connection in a cooldown
          // (docs/routing.md §3), which would turn the next cell's request into an immediate 429.
          h.gw.routing.health.reset();
          row.set(cell.name, ok ? "pass" : "FAIL");
          if (!ok) failures.push(`${pair}: ${cell.name}`);
        }
      }
    }
  } finally {
    await h.close();
    const matrix = renderMatrix(results);
    const passed = [...results.values()].flatMap((r) => [...r.values()]).filter((v) => v === "pass").length;
    const total = SURFACES.length * VENDORS.length * CELLS.length;
    const summary = `${passed}/${total} cells pass` + (failures.length ? `; failing: ${failures.join(", ")}` : "");
    console.log(`\nConformance matrix\n\n${matrix}\n\n${summary}\n`);
    await Deno.mkdir("tests/artifacts", { recursive: true });
    await Deno.writeTextFile(
      "tests/artifacts/conformance.md",
      `# Conformance matrix\n\nOfficial SDK clients through the gateway to fake upstreams (tests/e2e/conformance_test.ts).\n\n${matrix}\n\n${summary}\n`,
    );
  }
});

for (const quirk of QUIRKS) {
  Deno.test(`conformance: ${quirk.name}`, async (t) => {
    const h = await startHarness();
    try {
      await quirk.run(h, t);
    } finally {
      await h.close();
    }
  });
}
