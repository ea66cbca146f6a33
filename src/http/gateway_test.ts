import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { createGateway } from "./gateway.ts";

Deno.test("createGateway() calls upstreams with its own client, and with the runtime fetch behind a proxy", async () => {
  for (const env of [{}, { HTTPS_PROXY: "http://127.0.0.1:3128" }]) {
    const dir = await Deno.makeTempDir({ prefix: "sy-gateway-" });
    const config = loadConfig({
      args: ["serve", "--data-dir", dir],
      env: (name) => (env as Record<string, string>)[name],
    });
    const gw = await createGateway(config, { logger: { log() {}, enabled: () => false } });
    try {
      // The runtime fetch honours HTTP(S)_PROXY and NO_PROXY; the gateway's own client does not speak to proxies.
      assert.equal(gw.fetch === fetch, config.outboundProxy, JSON.stringify(env));
    } finally {
      gw.usage.flush();
      gw.db.close();
      await Deno.remove(dir, { recursive: true });
    }
  }
});
