/**
 * @module The compile-ready artifact logic: `deno bundle --platform=deno` (what `deno compile` would embed) runs
 * from another directory with views/ and static/ beside it, and serves the dashboard assets and the API.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("bundle runs from another directory and finds its assets through the resolver", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sy-bundle-" });
  try {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform=deno", "-o", `${dir}/switchyard.js`, `${root}src/main.ts`],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      env: { RUST_BACKTRACE: "0", NO_COLOR: "1" },
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
    await Deno.mkdir(`${dir}/static`);
    await Deno.mkdir(`${dir}/views/pages`, { recursive: true });
    for (const f of Deno.readDirSync(`${root}static`)) {
      await Deno.copyFile(`${root}static/${f.name}`, `${dir}/static/${f.name}`);
    }
    await Deno.copyFile(`${root}views/layout.eta`, `${dir}/views/layout.eta`);
    for (const f of Deno.readDirSync(`${root}views/pages`)) {
      await Deno.copyFile(`${root}views/pages/${f.name}`, `${dir}/views/pages/${f.name}`);
    }
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-config",
        `${dir}/switchyard.js`,
        "serve",
        "--port",
        String(port),
        "--data-dir",
        `${dir}/data`,
      ],
      cwd: "/",
      stdout: "null",
      stderr: "piped",
      env: { RUST_BACKTRACE: "0", NO_COLOR: "1", INITIAL_PASSWORD: "bundle-password" },
    }).spawn();
    try {
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          await r.body?.cancel();
          ok = r.status === 200;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      assert.ok(ok, "bundle answered /healthz");
      const css = await fetch(`http://127.0.0.1:${port}/static/app.css`);
      assert.equal(css.status, 200);
      assert.match(await css.text(), /--accent/);
      const htmx = await fetch(`http://127.0.0.1:${port}/static/htmx.min.js`);
      assert.equal(htmx.status, 200);
      assert.ok((await htmx.text()).includes("htmx"));
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      assert.equal(login.status, 200);
      assert.match(await login.text(), /<form method="post" action="\/login">/);
    } finally {
      child.kill("SIGTERM");
      const status = await child.status;
      await child.stderr.cancel();
      assert.equal(status.code, 0, "SIGTERM exits 0");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
