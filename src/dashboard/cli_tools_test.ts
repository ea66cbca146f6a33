import assert from "node:assert/strict";
import { cliTools, lineDiff, mergeCodexToml, toolFileText } from "./cli_tools.ts";

const INPUT = { baseUrl: "http://127.0.0.1:20128", model: "coding", key: "sy-test-key" };

Deno.test("cliTools() gives each CLI the observed settings with this server, key and model", () => {
  const tools = cliTools(INPUT);
  assert.deepEqual(tools.map((t) => t.id), ["claude-code", "codex", "gemini-cli", "cursor", "cline", "openclaw"]);
  const text = (id: string) => tools.flatMap((t) => t.snippets).find((s) => s.id === id)!.text;
  assert.match(text("claude-env"), /ANTHROPIC_BASE_URL='http:\/\/127\.0\.0\.1:20128'\n/);
  assert.match(text("claude-env"), /ANTHROPIC_API_KEY='sy-test-key'/);
  assert.match(text("codex-file"), /base_url = "http:\/\/127\.0\.0\.1:20128\/v1"/);
  assert.match(text("codex-file"), /wire_api = "responses"/);
  assert.match(text("gemini-file"), /"selectedType": "gemini-api-key"/);
  assert.match(text("cline-cli"), /--baseurl 'http:\/\/127\.0\.0\.1:20128\/v1'/);
});

Deno.test("toolFileText() merges into an existing JSON file and keeps the key out of it", () => {
  const merged = JSON.parse(toolFileText("claude-code", '{"theme": "dark", "env": {"FOO": "1"}}', INPUT));
  assert.equal(merged.theme, "dark");
  assert.equal(merged.env.FOO, "1");
  assert.equal(merged.env.ANTHROPIC_MODEL, "coding");
  assert.ok(!JSON.stringify(merged).includes("sy-test-key"));
  assert.throws(() => toolFileText("openclaw", "{ // comment\n}", INPUT), /not plain JSON/);
});

Deno.test("mergeCodexToml() replaces its own keys and table, keeps everything else", () => {
  const before =
    'model = "old"\napproval_policy = "never"\n\n[model_providers.switchyard]\nbase_url = "x"\n\n[features]\nplugins = false\n';
  const after = mergeCodexToml(before, INPUT);
  assert.equal((after.match(/^model = /gm) ?? []).length, 1);
  assert.match(after, /^model = "coding"$/m);
  assert.match(after, /approval_policy = "never"/);
  assert.match(after, /\[features\]\nplugins = false/);
  assert.equal((after.match(/\[model_providers\.switchyard\]/g) ?? []).length, 1);
  assert.ok(after.indexOf("approval_policy") < after.indexOf("[features]"), "top-level keys stay above tables");
});

Deno.test("lineDiff() marks added and removed lines", () => {
  assert.deepEqual(lineDiff("a\nb\nc\n", "a\nc\nd\n"), [
    { op: " ", text: "a" },
    { op: "-", text: "b" },
    { op: " ", text: "c" },
    { op: "+", text: "d" },
  ]);
});
