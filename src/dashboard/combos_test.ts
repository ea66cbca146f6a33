import assert from "node:assert/strict";
import { combosModel, entriesText, moveEntry, parseEntries } from "./combos.ts";

Deno.test("parseEntries() and entriesText() round-trip `model [weight]` lines", () => {
  const list = parseEntries("openai/gpt-4.1\n\n  anthropic/claude 2 \n");
  assert.deepEqual(list, [{ model: "openai/gpt-4.1", weight: 1 }, { model: "anthropic/claude", weight: 2 }]);
  assert.equal(entriesText(list), "openai/gpt-4.1\nanthropic/claude 2");
  assert.ok(Number.isNaN(parseEntries("m x")[0].weight));
});

Deno.test("moveEntry() swaps neighbours and ignores moves past either end", () => {
  assert.deepEqual(moveEntry(["a", "b", "c"], 2, "up"), ["a", "c", "b"]);
  assert.deepEqual(moveEntry(["a", "b", "c"], 0, "down"), ["b", "a", "c"]);
  assert.deepEqual(moveEntry(["a", "b"], 0, "up"), ["a", "b"]);
  assert.deepEqual(moveEntry(["a", "b"], 1, "down"), ["a", "b"]);
  assert.deepEqual(moveEntry(["a", "b"], Number.NaN, "down"), ["a", "b"]);
});

Deno.test("combosModel() marks first/last entries, wildcard aliases and file-owned rows", () => {
  const m = combosModel({
    combos: [{
      id: "c1",
      name: "coding",
      strategy: "weighted",
      models: [{ model: "a/x", weight: 2 }, { model: "b/y", weight: 1 }],
      source: "api",
    }],
    aliases: [{ pattern: "claude-*", target: "anthropic/claude-*", source: "file" }, {
      pattern: "fast",
      target: "groq/llama",
      source: "api",
    }],
    fallbackChain: ["coding", "openai/gpt-4.1"],
    fallbackLocked: false,
    strategies: ["priority", "weighted"],
  });
  const c = m.combos[0];
  assert.equal(c.weighted, true);
  assert.deepEqual(c.entries.map((e) => [e.first, e.last]), [[true, false], [false, true]]);
  assert.equal(c.entriesText, "a/x 2\nb/y");
  assert.deepEqual(m.aliases.map((a) => [a.wildcard, a.readOnly]), [[true, true], [false, false]]);
  assert.equal(m.fallbackText, "coding\nopenai/gpt-4.1");
  assert.equal(m.preview, null);
});
