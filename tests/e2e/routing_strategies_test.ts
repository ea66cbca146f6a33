/**
 * @module Routing end to end, resolution and order (docs/routing.md §1, §2): account strategies (round-robin with
 * its sticky limit, per-provider overrides), combo strategies (priority, round-robin, weighted), /api/combos and
 * /api/aliases (CRUD, cycles refused at save time, config-file entries read-only, wildcard captures), the global
 * fallback chain, and a key's allow-list skipping disallowed combo targets.
 */
import assert from "node:assert/strict";
import { LIMITED, type RoutingStack, startRoutingStack } from "../helpers/routing_stack.ts";

const ERR_500 = { kind: "error", status: 500, message: "upstream exploded", type: "server_error" } as const;

/** Runs `n` chats with at most `width` in flight; returns the upstream model each first reached. */
async function burst(s: RoutingStack, model: string, n: number, width = 10): Promise<string[]> {
  const from = s.fake.requests.length;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      next++;
      const r = await s.chat(model);
      assert.equal(r.status, 200, r.route);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return s.fake.requests.slice(from).map((r) => (r.body as { model: string }).model);
}

async function sequential(s: RoutingStack, model: string, n: number): Promise<string[]> {
  const from = s.fake.requests.length;
  for (let i = 0; i < n; i++) assert.equal((await s.chat(model)).status, 200);
  return s.sequence(from);
}

Deno.test("routing e2e: strategies, combos, aliases and allow-lists through the real gateway", async (t) => {
  const s: RoutingStack = await startRoutingStack();
  const patchRouting = async (routing: Record<string, unknown>): Promise<void> => {
    const res = await s.api("/api/settings", { method: "PATCH", json: { routing } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  try {
    await t.step("fill-first (the default) keeps to the first connection", async () => {
      assert.deepEqual(await sequential(s, "openai/gpt-4.1", 4), ["a", "a", "a", "a"]);
    });

    await t.step("account round-robin rotates in runs of stickyLimit (3 by default)", async () => {
      await patchRouting({ accountStrategy: "round-robin" });
      const seq = await sequential(s, "openai/gpt-4.1", 12);
      assert.deepEqual(seq, ["a", "a", "a", "b", "b", "b", "c", "c", "c", "a", "a", "a"]);
    });

    await t.step("providerStrategies overrides the default for one provider; stickyLimit applies", async () => {
      await patchRouting({ accountStrategy: "fill-first", providerStrategies: { deepseek: "round-robin" } });
      assert.deepEqual(await sequential(s, "openai/gpt-4.1", 3), ["a", "a", "a"], "openai: fill-first");
      const ds = await sequential(s, "ds/deepseek-chat", 6);
      assert.deepEqual(ds, ["d1", "d1", "d1", "d2", "d2", "d2"], "deepseek: round-robin");
      await patchRouting({ stickyLimit: 1 });
      const one = await sequential(s, "ds/deepseek-chat", 4);
      assert.deepEqual(one, ["d1", "d2", "d1", "d2"]);
      await patchRouting({ providerStrategies: {}, stickyLimit: 3 });
      assert.deepEqual(await sequential(s, "ds/deepseek-chat", 2), ["d1", "d1"], "override removed");
    });

    await t.step("a priority combo always tries its first entry first", async () => {
      const res = await s.api("/api/combos", {
        json: { name: "pcombo", strategy: "priority", models: ["ds/deepseek-chat", "openai/gpt-4.1"] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const models = await burst(s, "pcombo", 20);
      assert.deepEqual(new Set(models), new Set(["deepseek-chat"]));
    });

    await t.step("a round-robin combo rotates its starting entry per request", async () => {
      await s.api("/api/combos", {
        json: { name: "rrcombo", strategy: "round-robin", models: ["ds/deepseek-chat", "openai/gpt-4.1"] },
      });
      const from = s.fake.requests.length;
      for (let i = 0; i < 4; i++) await s.chat("rrcombo");
      const models = s.fake.requests.slice(from).map((r) => (r.body as { model: string }).model);
      assert.deepEqual(models, ["deepseek-chat", "gpt-4.1", "deepseek-chat", "gpt-4.1"]);
    });

    await t.step("a weighted combo distributes roughly by weight over 200 requests", async () => {
      const res = await s.api("/api/combos", {
        json: {
          name: "wcombo",
          strategy: "weighted",
          models: [{ model: "openai/gpt-4.1", weight: 3 }, { model: "ds/deepseek-chat", weight: 1 }],
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const models = await burst(s, "wcombo", 200);
      assert.equal(models.length, 200, "one upstream call per request");
      const share = models.filter((m) => m === "gpt-4.1").length / models.length;
      // Expected 0.75; the bounds are about ±4.5 standard deviations of a binomial(200, 0.75).
      assert.ok(share > 0.6 && share < 0.9, `gpt-4.1 share ${share}`);
    });

    await t.step("/api/combos: create, update, delete; duplicates 409; unknown names 404", async () => {
      const created = await s.api("/api/combos", { json: { name: "crud", models: ["openai/gpt-4.1"] } });
      assert.equal(created.status, 201);
      assert.equal(created.body.readOnly, false);
      assert.equal((await s.api("/api/combos", { json: { name: "crud", models: ["openai/x"] } })).status, 409);
      assert.equal((await s.chat("crud")).route, "openai:a/gpt-4.1=200");
      const updated = await s.api(`/api/combos/${created.body.id}`, {
        method: "PUT",
        json: { models: ["ds/deepseek-chat"] },
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal((await s.chat("crud")).route, "deepseek:d1/deepseek-chat=200");
      const list = await s.api("/api/combos");
      assert.ok(list.body.data.some((c: { name: string }) => c.name === "crud"));
      assert.equal((await s.api(`/api/combos/${created.body.id}`, { method: "DELETE" })).status, 200);
      const gone = await s.chat("crud");
      assert.equal(gone.status, 404);
      assert.equal((gone.body.error as { code: string }).code, "model_not_found");
    });

    await t.step("a cycle is refused with 400 when saved", async () => {
      const a = await s.api("/api/combos", { json: { name: "cyc-a", models: ["openai/gpt-4.1"] } });
      assert.equal(a.status, 201);
      assert.equal((await s.api("/api/combos", { json: { name: "cyc-b", models: ["cyc-a"] } })).status, 201);
      const loop = await s.api(`/api/combos/${a.body.id}`, { method: "PUT", json: { models: ["cyc-b"] } });
      assert.equal(loop.status, 400, JSON.stringify(loop.body));
      assert.match(loop.body.error.message, /cycle/);
      assert.equal((await s.api("/api/combos", { json: { name: "selfie", models: ["selfie"] } })).status, 400);
      assert.equal((await s.chat("cyc-b")).route, "openai:a/gpt-4.1=200", "the refused save changed nothing");
      assert.equal((await s.api("/api/aliases", { json: { pattern: "loop1", target: "loop2" } })).status, 201);
      assert.equal((await s.api("/api/aliases", { json: { pattern: "loop2", target: "loop1" } })).status, 400);
      assert.equal((await s.api("/api/aliases/loop1", { method: "DELETE" })).status, 200);
    });

    await t.step("config-file combos are read-only (409)", async () => {
      const list = await s.api("/api/combos");
      const file = list.body.data.find((c: { name: string }) => c.name === "filecombo");
      assert.equal(file.readOnly, true);
      const put = await s.api(`/api/combos/${file.id}`, { method: "PUT", json: { models: ["ds/deepseek-chat"] } });
      assert.equal(put.status, 409);
      assert.equal((await s.api(`/api/combos/${file.id}`, { method: "DELETE" })).status, 409);
      assert.equal((await s.api("/api/combos", { json: { name: "filecombo", models: ["ds/x"] } })).status, 409);
      assert.equal((await s.chat("filecombo")).route, "openai:a/gpt-4.1=200");
    });

    await t.step("a wildcard alias fills its captures into the target", async () => {
      const res = await s.api("/api/aliases", { json: { pattern: "claude-*", target: "openai/*" } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const r = await s.chat("claude-sonnet-4-5");
      assert.equal(r.route, "openai:a/sonnet-4-5=200");
      assert.equal((s.fake.requests.at(-1)!.body as { model: string }).model, "sonnet-4-5");
      await s.api("/api/aliases", { json: { pattern: "ds-?-chat", target: "ds/deepseek-?" } });
      assert.equal((await s.chat("ds-r-chat")).route, "deepseek:d1/deepseek-r=200");
      assert.equal((await s.chat("unknown-name")).status, 404, "no guess for an unknown bare name");
      assert.equal((await s.api(`/api/aliases/${encodeURIComponent("claude-*")}`, { method: "DELETE" })).status, 200);
      assert.equal((await s.chat("claude-sonnet-4-5")).status, 404);
    });

    await t.step("settings.routing.fallbackChain is appended to every request's targets, once", async () => {
      await patchRouting({ fallbackChain: ["ds/deepseek-chat"] });
      for (const name of ["a", "b", "c"] as const) s.script(name, ERR_500);
      const r = await s.chat("openai/gpt-4.1");
      assert.equal(r.status, 200);
      assert.equal(
        r.route,
        "openai:a/gpt-4.1=500, openai:b/gpt-4.1=500, openai:c/gpt-4.1=500, deepseek:d1/deepseek-chat=200",
      );
      s.script("d1", ERR_500);
      const own = await s.chat("ds/deepseek-chat");
      assert.equal(own.route, "deepseek:d1/deepseek-chat=500, deepseek:d2/deepseek-chat=200", "no duplicate");
      await patchRouting({ fallbackChain: [] });
      await s.reset();
    });

    await t.step("a key's allow-list skips disallowed combo targets", async () => {
      const res = await s.api("/api/combos", {
        json: { name: "mycombo", strategy: "priority", models: ["anthropic/x-model", "openai/y-model"] },
      });
      assert.equal(res.status, 201);
      const r = await s.chat("mycombo", { key: LIMITED });
      assert.equal(r.status, 200);
      assert.equal(r.route, "openai:a/y-model=200");
      assert.equal(s.fake.requests.filter((q) => q.path === "/v1/messages").length, 0, "anthropic never called");
      assert.equal(s.hits("x"), 0);
      const denied = await s.chat("ds/deepseek-chat", { key: LIMITED });
      assert.equal(denied.status, 403);
      const dev = await s.chat("mycombo");
      assert.match(dev.route, /^anthropic:x\/x-model=404/, "an unrestricted key does try the first entry");
    });
  } finally {
    await s.stop();
  }
});
