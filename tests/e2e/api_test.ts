/**
 * @module The management API end to end: connections (keys always masked), connection tests, models and
 * custom models, usage, config-file entries, backups, restarts on the same DATA_DIR, and no plaintext
 * provider key anywhere in DATA_DIR.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ADMIN_KEY, DEV_KEY, json, KEY_A, KEY_B, startStack } from "../helpers/stack.ts";
import { freePort, startGateway } from "../helpers/server.ts";
import { defaultConfig } from "../helpers/stack.ts";

const SECRET_C = "sk-test-created-c-5e6f7a8b9c0d1e2f3a4b5c6d";
const SECRET_D = "sk-test-rotated-d-a1b2c3d4e5f6a7b8c9d0e1f2";
const ALL_SECRETS = [KEY_A, KEY_B, SECRET_C, SECRET_D];

interface ConnectionView {
  id: string;
  provider: string;
  name: string;
  apiKey: string | null;
  hasKey: boolean;
  priority: number;
  source: string;
}

function assertNoSecret(text: string, where: string): void {
  for (const s of ALL_SECRETS) assert.ok(!text.includes(s), `${where} contains a provider key`);
  // Even a long fragment would be a leak.
  for (const s of ALL_SECRETS) assert.ok(!text.includes(s.slice(8, 28)), `${where} contains part of a provider key`);
}

/** Every file under `dir` (recursively), binary included, searched for each needle as raw bytes. */
function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const enc = new TextEncoder();
  const patterns = needles.map((n) => enc.encode(n));
  const walk = (d: string): void => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile) {
        const bytes = Deno.readFileSync(p);
        patterns.forEach((pat, i) => {
          if (indexOf(bytes, pat) >= 0) hits.push(`${p} contains ${needles[i].slice(0, 12)}…`);
        });
      }
    }
  };
  walk(dir);
  return hits;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

Deno.test("management API manages connections, models, usage and backups end to end", async (t) => {
  const stack = await startStack();
  const texts: string[] = [];
  /** Calls the API and keeps every response text for the final no-secret check. */
  const call = async <T = Record<string, unknown>>(path: string, init?: RequestInit & { json?: unknown }) => {
    const res = await stack.api(path, init);
    const text = await res.text();
    texts.push(`${path}: ${text}`);
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  };
  try {
    let created: ConnectionView;

    await t.step("GET /v1/models has no ds/ models before a deepseek connection exists", async () => {
      const models = await stack.client().models.list();
      assert.ok(!models.data.some((m) => m.id.startsWith("ds/")));
    });

    await t.step("POST /api/connections creates a connection (prefix accepted) and masks the key", async () => {
      const res = await call<ConnectionView>("/api/connections", {
        method: "POST",
        json: { provider: "ds", name: "mine", apiKey: SECRET_C, baseUrl: stack.fake.baseUrl, priority: 2 },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.provider, "deepseek");
      assert.equal(res.body.apiKey, `sk-…${SECRET_C.slice(-4)}`);
      assert.equal(res.body.hasKey, true);
      assert.equal(res.body.source, "api");
      created = res.body;
      const dup = await call("/api/connections", { method: "POST", json: { provider: "deepseek", name: "mine" } });
      assert.equal(dup.status, 409);
      const bad = await call<{ error: { param: string } }>("/api/connections", {
        method: "POST",
        json: { provider: "openai", name: "x", baseUrl: "ftp://nope" },
      });
      assert.equal(bad.status, 400);
      const unknown = await call("/api/connections", { method: "POST", json: { provider: "nosuch", name: "x" } });
      assert.equal(unknown.status, 400);
    });

    await t.step("GET /v1/models lists ds/ models once deepseek has a connection, and routes to it", async () => {
      const models = await stack.client().models.list();
      assert.ok(models.data.some((m) => m.id === "ds/deepseek-chat"));
      const res = await stack.client().chat.completions.create({
        model: "ds/deepseek-chat",
        messages: [{ role: "user", content: "hi" }],
      });
      assert.ok(res.choices[0].message.content);
      assert.equal(stack.fake.requests.at(-1)!.headers["authorization"], `Bearer ${SECRET_C}`);
    });

    await t.step("GET /api/connections lists file and API connections, all masked", async () => {
      const list = await call<{ data: ConnectionView[] }>("/api/connections");
      assert.equal(list.status, 200);
      const names = list.body.data.map((c) => `${c.provider}/${c.name}:${c.source}`).sort();
      assert.deepEqual(names, ["deepseek/mine:api", "openai/a:file", "openai/b:file"]);
      for (const c of list.body.data) assert.match(c.apiKey ?? "", /^sk-…[A-Za-z0-9]{4}$/);
      const one = await call<ConnectionView>(`/api/connections/${created.id}`);
      assert.equal(one.body.name, "mine");
    });

    await t.step("PATCH /api/connections/:id updates fields and rotates the key, still masked", async () => {
      const res = await call<ConnectionView>(`/api/connections/${created.id}`, {
        method: "PATCH",
        json: { priority: 3, apiKey: SECRET_D },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.priority, 3);
      assert.equal(res.body.apiKey, `sk-…${SECRET_D.slice(-4)}`);
    });

    await t.step("POST /api/connections/:id/test calls the upstream's /v1/models: ok true", async () => {
      const res = await call<{ ok: boolean; status: number; models: number }>(`/api/connections/${created.id}/test`, {
        method: "POST",
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.equal(res.body.models, 3);
      const seen = stack.fake.requests.at(-1)!;
      assert.equal(`${seen.method} ${seen.path}`, "GET /v1/models");
      assert.equal(seen.headers["authorization"], `Bearer ${SECRET_D}`);
    });

    await t.step("POST /api/connections/:id/test against a dead port: ok false", async () => {
      const dead = await call<ConnectionView>("/api/connections", {
        method: "POST",
        json: { provider: "groq", name: "dead", apiKey: SECRET_C, baseUrl: `http://127.0.0.1:${freePort()}/v1` },
      });
      assert.equal(dead.status, 201);
      const res = await call<{ ok: boolean; error: string }>(`/api/connections/${dead.body.id}/test`, {
        method: "POST",
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, false);
      assert.ok(res.body.error);
      assert.equal((await call(`/api/connections/${dead.body.id}`, { method: "DELETE" })).status, 200);
    });

    await t.step("config-file connections cannot be changed or deleted via the API (409)", async () => {
      const list = await call<{ data: ConnectionView[] }>("/api/connections");
      const fileConn = list.body.data.find((c) => c.name === "a")!;
      assert.equal(fileConn.source, "file");
      assert.equal((await call(`/api/connections/${fileConn.id}`, { method: "DELETE" })).status, 409);
      assert.equal(
        (await call(`/api/connections/${fileConn.id}`, { method: "PATCH", json: { priority: 5 } })).status,
        409,
      );
    });

    await t.step(
      "settings from the config file are read-only for PATCH /api/settings (409); others merge",
      async () => {
        const locked = await call("/api/settings", {
          method: "PATCH",
          json: { resilience: { requestTimeoutMs: 5000 } },
        });
        assert.equal(locked.status, 409);
        const patched = await call<
          { ai: { systemPrompt: string }; resilience: { requestTimeoutMs: number }; locked: string[] }
        >(
          "/api/settings",
          { method: "PATCH", json: { ai: { systemPrompt: "Be brief." } } },
        );
        assert.equal(patched.status, 200);
        assert.equal(patched.body.ai.systemPrompt, "Be brief.");
        assert.equal(patched.body.resilience.requestTimeoutMs, 1000);
        assert.ok(patched.body.locked.includes("resilience.requestTimeoutMs"));
        const bad = await call("/api/settings", { method: "PATCH", json: { ai: { systemPromptMode: "sideways" } } });
        assert.equal(bad.status, 400);
        assert.equal(
          (await call("/api/settings", { method: "PATCH", json: { ai: { systemPrompt: "" } } })).status,
          200,
        );
      },
    );

    await t.step("/api/models lists every known model with an active flag", async () => {
      const res = await call<{ data: Array<{ id: string; active: boolean }> }>("/api/models");
      const byId = new Map(res.body.data.map((m) => [m.id, m]));
      assert.equal(byId.get("openai/gpt-4.1")?.active, true);
      assert.equal(byId.get("anthropic/claude-sonnet-4-5")?.active, false);
      assert.equal(byId.get("ds/deepseek-chat")?.active, true);
    });

    await t.step("/api/provider-models adds, lists and deletes a custom model", async () => {
      const add = await call<{ id: string }>("/api/provider-models", {
        method: "POST",
        json: { provider: "openai", modelId: "ft:my-finetune", modelName: "Mine" },
      });
      assert.equal(add.status, 201);
      assert.equal(add.body.id, "openai/ft:my-finetune");
      const list = await call<{ data: Array<{ id: string; modelName: string }> }>(
        "/api/provider-models?provider=openai",
      );
      assert.deepEqual(list.body.data.map((m) => m.id), ["openai/ft:my-finetune"]);
      const v1 = await stack.client().models.list();
      assert.ok(v1.data.some((m) => m.id === "openai/ft:my-finetune"), "custom model missing from /v1/models");
      const all = await call<{ data: Array<{ id: string; custom: boolean }> }>("/api/models");
      assert.equal(all.body.data.find((m) => m.id === "openai/ft:my-finetune")?.custom, true);
      const del = await call("/api/provider-models?provider=openai&model=ft:my-finetune", { method: "DELETE" });
      assert.equal(del.status, 200);
      assert.deepEqual((await call<{ data: unknown[] }>("/api/provider-models")).body.data, []);
      assert.equal(
        (await call("/api/provider-models?provider=openai&model=ft:my-finetune", { method: "DELETE" })).status,
        404,
      );
    });

    await t.step("/api/models/catalog groups models by provider with active flags", async () => {
      const res = await call<{ data: Array<{ id: string; prefix: string; active: boolean; models: unknown[] }> }>(
        "/api/models/catalog",
      );
      const openai = res.body.data.find((p) => p.id === "openai")!;
      assert.equal(openai.active, true);
      assert.ok(openai.models.length > 3);
      const ds = res.body.data.find((p) => p.id === "deepseek")!;
      assert.equal(ds.prefix, "ds");
      assert.equal(res.body.data.find((p) => p.id === "anthropic")?.active, false);
    });

    await t.step("/api/usage counts the requests, totals and groupBy=model", async () => {
      const client = stack.client();
      for (let i = 0; i < 3; i++) {
        await client.chat.completions.create({
          model: "openai/gpt-4.1-nano",
          messages: [{ role: "user", content: "x" }],
        });
      }
      const res = await call<{
        totalRequests: number;
        totalTokens: { input: number; output: number };
        rows: Array<{ group: string; requests: number; tokens: { input: number } }>;
      }>("/api/usage?groupBy=model");
      assert.equal(res.status, 200);
      assert.ok(res.body.totalRequests >= 4, `totalRequests ${res.body.totalRequests}`);
      const nano = res.body.rows.find((r) => r.group === "openai/gpt-4.1-nano");
      assert.equal(nano?.requests, 3);
      assert.equal(nano?.tokens.input, 33);
      const future = await call<{ totalRequests: number }>(
        `/api/usage?from=${new Date(Date.now() + 3600_000).toISOString()}`,
      );
      assert.equal(future.body.totalRequests, 0);
      assert.equal((await call("/api/usage?groupBy=planet")).status, 400);
    });

    await t.step("/api/db-backups/export returns a valid SQLite store; import via multipart restores it", async () => {
      const res = await stack.api("/api/db-backups/export");
      assert.equal(res.status, 200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.equal(new TextDecoder().decode(bytes.slice(0, 16)), "SQLite format 3\0");
      assertNoSecret(new TextDecoder("latin1").decode(bytes), "the exported store");
      const path = `${stack.root}/export.sqlite`;
      await Deno.writeFile(path, bytes);
      const copy = new DatabaseSync(path, { readOnly: true });
      const names = (copy.prepare("SELECT name FROM connections ORDER BY name").all() as Array<{ name: string }>)
        .map((r) => r.name);
      copy.close();
      assert.deepEqual(names, ["a", "b", "mine"]);

      const all = await stack.api("/api/db-backups/exportAll");
      assert.equal(all.status, 200);
      assert.equal(all.headers.get("content-type"), "application/gzip");
      const tar = new Uint8Array(
        await new Response(all.body!.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
      );
      assert.ok(new TextDecoder("latin1").decode(tar).includes("SQLite format 3"));
      const leftovers = [...Deno.readDirSync(`${stack.gw.dataDir}/backups`)].map((e) => e.name);
      assert.deepEqual(leftovers, [], "export left temp files behind");

      const extra = await call<ConnectionView>("/api/connections", {
        method: "POST",
        json: { provider: "xai", name: "after-export" },
      });
      assert.equal(extra.status, 201);
      const form = new FormData();
      form.append("file", new File([bytes], "switchyard.sqlite", { type: "application/vnd.sqlite3" }));
      const imported = await call<{ ok: boolean; backup: string }>("/api/db-backups/import", {
        method: "POST",
        body: form,
      });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      assert.equal(imported.body.ok, true);
      assert.ok(Deno.statSync(`${stack.gw.dataDir}/${imported.body.backup}`).isFile);
      const after = await call<{ data: ConnectionView[] }>("/api/connections");
      assert.ok(!after.body.data.some((c) => c.name === "after-export"), "import did not replace the store");
      assert.ok(after.body.data.some((c) => c.name === "mine"));

      const junk = new FormData();
      junk.append("file", new File([new TextEncoder().encode("not a database ".repeat(50))], "x.sqlite"));
      const refused = await call<{ error: { code: string } }>("/api/db-backups/import", { method: "POST", body: junk });
      assert.equal(refused.status, 400);
      assert.ok(
        (await call<{ data: unknown[] }>("/api/connections")).body.data.length >= 3,
        "a refused import wiped the store",
      );
    });

    await t.step("no API response ever contained a provider key", () => {
      assert.ok(texts.length > 20);
      for (const text of texts) assertNoSecret(text, text.slice(0, 60));
    });

    await t.step("DATA_DIR (every file, binary included) never holds a provider key or a gateway key", async () => {
      const created = await call<{ key: string }>("/api/keys", { method: "POST", json: { name: "grep-me" } });
      const needles = [...ALL_SECRETS, ADMIN_KEY, DEV_KEY, created.body.key];
      assert.deepEqual(filesContaining(stack.gw.dataDir, needles), []);
      const status = await stack.gw.stop();
      assert.equal(status.code, 0, stack.gw.output());
      assert.deepEqual(filesContaining(stack.gw.dataDir, needles), []);
      // The search itself works: the config file outside DATA_DIR does hold KEY_A.
      assert.equal(filesContaining(stack.root, [KEY_A]).length, 1);
    });
  } finally {
    await stack.stop();
  }
});

Deno.test("a restart on the same DATA_DIR keeps API connections and keys", async () => {
  const stack = await startStack();
  try {
    const conn = await json<ConnectionView>(
      await stack.api("/api/connections", {
        method: "POST",
        json: { provider: "mistral", name: "kept", apiKey: SECRET_C, baseUrl: stack.fake.baseUrl },
      }),
    );
    assert.equal(conn.status, 201);
    const key = await json<{ id: string; key: string }>(
      await stack.api("/api/keys", { method: "POST", json: { name: "kept-key" } }),
    );
    assert.equal(key.status, 201);
    assert.equal((await stack.gw.stop()).code, 0);

    // The next start's file drops connection "b" and key "ci": file entries follow the file, API ones stay.
    const config = defaultConfig(stack.fake) as {
      connections: Array<{ name: string }>;
      apiKeys: Array<{ name: string }>;
    };
    config.connections = config.connections.filter((c) => c.name !== "b");
    config.apiKeys = config.apiKeys.filter((k) => k.name !== "ci");
    const again = await startGateway({ root: stack.root, config, env: { LOG_LEVEL: "warn" } });
    try {
      const list = await json<{ data: ConnectionView[] }>(
        await fetch(`${again.url}/api/connections`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
      );
      assert.ok(list.body.data.some((c) => c.id === conn.body.id && c.name === "kept"));
      assert.deepEqual(
        list.body.data.map((c) => c.name).sort(),
        ["a", "kept"],
        "a file entry removed from the file stays",
      );
      const keys = await json<{ data: Array<{ id: string }> }>(
        await fetch(`${again.url}/api/keys`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
      );
      assert.ok(keys.body.data.some((k) => k.id === key.body.id));
      assert.ok(
        !keys.body.data.some((k) => (k as { name?: string }).name === "ci"),
        "key ci was removed from the file",
      );
      const res = await fetch(`${again.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.body.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "mistral/mistral-small-latest", messages: [{ role: "user", content: "hi" }] }),
      });
      await res.body?.cancel();
      assert.equal(res.status, 200, "the key and the decrypted provider key survive a restart");
      assert.equal(stack.fake.requests.at(-1)!.headers["authorization"], `Bearer ${SECRET_C}`);
    } finally {
      await again.stop();
    }
  } finally {
    await stack.stop();
  }
});
