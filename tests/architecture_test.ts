/**
 * @module Enforces STYLE.md §8 (dependency direction) and §1/§9 (naming, file size) by scanning the import
 * statements and text of every file under src/.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const SRC = new URL("src/", ROOT);

/** Soft limit from STYLE.md §9. */
const MAX_LINES = 400;
/**
 * Files allowed past MAX_LINES. Only test files (under tests/ or `*_test.ts`) may be listed here, each with the
 * reason; source files are split by concern instead.
 */
const LONG_FILE_ALLOW_LIST = new Set<string>([
  // The conformance suite's table of SDK client calls per surface: one long list of cases, read top to bottom.
  "tests/e2e/conformance_clients.ts",
  // Generators for every canonical part and event, one after another; splitting them would scatter one grammar.
  "tests/properties/arbitraries.ts",
]);

interface SourceFile {
  /** Path relative to the repo root, with `/` separators (`src/http/app.ts`). */
  path: string;
  text: string;
  imports: Array<{ specifier: string; line: number; kind: ImportKind }>;
}

function walk(dir: URL, out: URL[] = []): URL[] {
  for (const entry of Deno.readDirSync(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) walk(url, out);
    else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) out.push(url);
  }
  return out;
}

/** How a module is imported: loaded with the importer, only for types (erased), or on demand. */
type ImportKind = "static" | "type" | "dynamic";

/** Every static, re-export, side-effect and dynamic import specifier with its line number and kind. */
export function importsOf(text: string): Array<{ specifier: string; line: number; kind: ImportKind }> {
  const found: Array<{ specifier: string; index: number; kind: ImportKind }> = [];
  const patterns: Array<[RegExp, ImportKind]> = [
    [/\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g, "static"],
    [/\bimport\s*["']([^"']+)["']/g, "static"],
    [/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, "dynamic"],
  ];
  // Comments could mention "import … from" in prose; strip them first (keeping line numbers).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(
    /(^|[^:"'`])\/\/.*$/gm,
    (m, p) => p + " ".repeat(m.length - p.length),
  );
  for (const [re, kind] of patterns) {
    for (const m of code.matchAll(re)) {
      found.push({ specifier: m[1], index: m.index!, kind: /^(?:import|export)\s+type\b/.test(m[0]) ? "type" : kind });
    }
  }
  return found.map((f) => ({
    specifier: f.specifier,
    line: code.slice(0, f.index).split("\n").length,
    kind: f.kind,
  }));
}

function load(): SourceFile[] {
  const rootPath = ROOT.pathname;
  return walk(SRC).map((url) => {
    const text = Deno.readTextFileSync(url);
    return { path: url.pathname.slice(rootPath.length), text, imports: importsOf(text) };
  });
}

const FILES = load();

function isTest(path: string): boolean {
  return /_test\.ts$/.test(path);
}

/** The repo-relative path a relative import points at, or undefined for a bare/npm/node specifier. */
function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const url = new URL(specifier, new URL(from, ROOT));
  return url.pathname.slice(ROOT.pathname.length);
}

function inDir(path: string, dir: string): boolean {
  return path.startsWith(`src/${dir}/`);
}

/** Collects `file:line imports x` lines for every import that `bad` flags. */
function violations(
  files: SourceFile[],
  bad: (file: SourceFile, specifier: string, resolved: string | undefined, kind: ImportKind) => boolean,
): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const imp of f.imports) {
      if (bad(f, imp.specifier, target(f.path, imp.specifier), imp.kind)) {
        out.push(`${f.path}:${imp.line} imports ${imp.specifier}`);
      }
    }
  }
  return out;
}

Deno.test("importsOf() finds static, type, re-export, multi-line and dynamic imports, not comments", () => {
  const found = importsOf(`import { a } from "./a.ts";
import type { B } from '../b.ts';
export * from "./c.ts";
import {
  d,
  e,
} from "./d.ts";
import "./side.ts";
// import { x } from "./commented.ts";
/* import { y } from "./block.ts"; */
const m = await import("./dyn.ts");
const url = "http://example.com/x"; import { z } from "zod";
`);
  assert.deepEqual(found.map((i) => i.specifier).sort(), [
    "../b.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
    "./dyn.ts",
    "./side.ts",
    "zod",
  ]);
  assert.equal(found.find((i) => i.specifier === "./d.ts")?.line, 4);
  assert.equal(found.find((i) => i.specifier === "../b.ts")?.kind, "type");
  assert.equal(found.find((i) => i.specifier === "./dyn.ts")?.kind, "dynamic");
  assert.equal(found.find((i) => i.specifier === "./d.ts")?.kind, "static");
});

Deno.test("architecture: the scan sees the source tree", () => {
  assert.ok(FILES.length > 40, `only ${FILES.length} files found under src/`);
  assert.ok(FILES.some((f) => f.path === "src/main.ts"));
  assert.ok(FILES.reduce((n, f) => n + f.imports.length, 0) > 100);
});

Deno.test("architecture: core/ imports nothing of ours but other core/ files, and no packages", () => {
  const bad = violations(
    FILES.filter((f) => inDir(f.path, "core") && !isTest(f.path)),
    (_f, _spec, to) => to ? !inDir(to, "core") : true,
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture: translate/ imports only translate/ and core/ (and zod)", () => {
  const bad = violations(
    FILES.filter((f) => inDir(f.path, "translate") && !isTest(f.path)),
    (_f, spec, to) => to ? !(inDir(to, "translate") || inDir(to, "core")) : spec !== "zod",
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture: translate/ is pure (no clock, randomness, fetch or Deno APIs)", () => {
  const bad: string[] = [];
  for (const f of FILES.filter((f) => inDir(f.path, "translate") && !isTest(f.path))) {
    f.text.split("\n").forEach((line, i) => {
      if (/\bDate\.now\(|new Date\(\)|Math\.random\(|randomUUID\(|\bfetch\(|\bDeno\./.test(line)) {
        bad.push(`${f.path}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(bad, []);
});

Deno.test("architecture: providers/ do no I/O of their own (no global fetch, no Deno APIs)", () => {
  const bad: string[] = [];
  for (const f of FILES.filter((f) => inDir(f.path, "providers") && !isTest(f.path))) {
    f.text.split("\n").forEach((line, i) => {
      if (/(^|[^.\w])fetch\(|\bDeno\./.test(line)) bad.push(`${f.path}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bad, []);
});

Deno.test("architecture: only store/ imports node:sqlite", () => {
  const bad = violations(
    FILES.filter((f) => !inDir(f.path, "store")),
    (_f, spec) => spec === "node:sqlite" || spec === "sqlite",
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture: only main.ts imports http/ (tests excepted)", () => {
  const bad = violations(
    FILES.filter((f) => !inDir(f.path, "http") && f.path !== "src/main.ts" && !isTest(f.path)),
    (_f, _spec, to) => to !== undefined && inDir(to, "http"),
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture: only http/ imports dashboard/", () => {
  const bad = violations(
    FILES.filter((f) => !inDir(f.path, "http") && !inDir(f.path, "dashboard") && !isTest(f.path)),
    (_f, _spec, to) => to !== undefined && inDir(to, "dashboard"),
  );
  assert.deepEqual(bad, []);
});

/** The files `start` loads with it: the closure of its static (not type-only, not dynamic) relative imports. */
function loadedWith(start: string): Set<string> {
  const byPath = new Map(FILES.map((f) => [f.path, f]));
  const loaded = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const f = byPath.get(queue.pop()!);
    if (!f || loaded.has(f.path)) continue;
    loaded.add(f.path);
    for (const imp of f.imports) {
      const to = imp.kind === "static" ? target(f.path, imp.specifier) : undefined;
      if (to) queue.push(to);
    }
  }
  return loaded;
}

Deno.test("architecture: starting the server loads no management API or dashboard module (they load on first use)", () => {
  const loaded = loadedWith("src/main.ts");
  assert.ok(loaded.has("src/http/proxy/execute.ts"), "the walk reaches the proxy");
  const admin = [...loaded].filter((p) =>
    inDir(p, "dashboard") || inDir(p, "http/manage") || /^src\/http\/routes\/(api_|dashboard)/.test(p) ||
    p === "src/http/admin_app.ts"
  );
  assert.deepEqual(admin, []);
});

Deno.test("architecture: modules only the admin side loads take their packages from http/packages.ts", () => {
  const atStart = loadedWith("src/main.ts");
  assert.ok(atStart.has("src/http/packages.ts"), "the server loads packages.ts before the admin side needs it");
  const adminOnly = [...loadedWith("src/http/admin_app.ts")].filter((p) => !atStart.has(p));
  assert.ok(adminOnly.length > 30, `only ${adminOnly.length} admin-only modules: the walk would prove little`);
  const bad = violations(
    FILES.filter((f) => adminOnly.includes(f.path)),
    (_f, spec, _to, kind) => kind === "static" && /^(@[\w-]+\/)?\w[\w.-]*(\/[\w.-]+)*$/.test(spec),
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture: only config/ reads Deno.env", () => {
  const bad: string[] = [];
  for (const f of FILES.filter((f) => !inDir(f.path, "config") && !isTest(f.path))) {
    f.text.split("\n").forEach((line, i) => {
      if (/\bDeno\s*\.\s*env\b/.test(line)) bad.push(`${f.path}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bad, []);
});

Deno.test("architecture: every relative import ends in .ts", () => {
  const bad = violations(FILES, (_f, spec, to) => to !== undefined && !spec.endsWith(".ts"));
  assert.deepEqual(bad, []);
});

Deno.test("architecture: every relative import points at a file that exists", () => {
  const bad = violations(FILES, (_f, _spec, to) => {
    if (to === undefined) return false;
    try {
      return !Deno.statSync(new URL(to, ROOT)).isFile;
    } catch {
      return true;
    }
  });
  assert.deepEqual(bad, []);
});

Deno.test("architecture: no index.ts anywhere (mod.ts is a folder's public face)", () => {
  const all = [...walk(SRC), ...walk(new URL("tests/", ROOT))].map((u) => u.pathname.slice(ROOT.pathname.length));
  assert.deepEqual(all.filter((p) => /(^|\/)index\.(ts|js)$/.test(p)), []);
});

Deno.test(`architecture: files stay under ${MAX_LINES} lines unless allow-listed`, () => {
  const tests = walk(new URL("tests/", ROOT)).map((url) => ({
    path: url.pathname.slice(ROOT.pathname.length),
    text: Deno.readTextFileSync(url),
  }));
  const long = [...FILES, ...tests]
    .map((f) => ({ path: f.path, lines: f.text.split("\n").length - (f.text.endsWith("\n") ? 1 : 0) }))
    .filter((f) => f.lines > MAX_LINES && !LONG_FILE_ALLOW_LIST.has(f.path))
    .map((f) => `${f.path} has ${f.lines} lines`);
  assert.deepEqual(long, [], `split these files by concern:\n${long.join("\n")}`);
  for (const path of LONG_FILE_ALLOW_LIST) {
    assert.ok(isTest(path) || path.startsWith("tests/"), `only test files may be allow-listed: ${path}`);
  }
});
