import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { createApp } from "./app.ts";
import { createGateway } from "./gateway.ts";

Deno.test("every route fits Hono's RegExpRouter (one regex match a request, not the slower trie walk)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-router-" });
  const gw = await createGateway(loadConfig({ args: ["serve", "--data-dir", dir] }), {
    logger: { log() {}, enabled: () => false },
  });
  try {
    const app = createApp(gw);
    // The router is chosen at the first match: a static route beside a `:param` route with a longer path
    // (e.g. `/combos/preview` and `/combos/:id/edit`) makes RegExpRouter give up and Hono fall back to the trie.
    await app.request("/healthz");
    assert.equal((app.router as { name: string }).name, "SmartRouter + RegExpRouter");
  } finally {
    gw.usage.flush();
    gw.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
