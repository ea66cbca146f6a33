/**
 * @module The dashboard's auth end to end: redirect to login, first-run setup with the token from DATA_DIR,
 * sessions that logout ends on the server, CSRF on /api writes, login rate limiting, INITIAL_PASSWORD and the
 * reset-password command.
 */
import assert from "node:assert/strict";
import { runCli, startGateway } from "../helpers/server.ts";
import { defaultConfig, startStack } from "../helpers/stack.ts";

/** `sy_session=…` from a response's Set-Cookie, or undefined. */
function sessionCookie(res: Response): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const m = /^(sy_session=[^;]+)/.exec(c);
    if (m && !/^sy_session=;/.test(c)) return m[1];
  }
  return undefined;
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  };
}

async function get(url: string, cookie?: string): Promise<{ status: number; location: string | null; text: string }> {
  const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

async function login(base: string, password: string): Promise<Response> {
  const res = await fetch(`${base}/login`, form({ password }));
  await res.body?.cancel();
  return res;
}

Deno.test("dashboard first run, sessions, logout, CSRF and login rate limiting", async (t) => {
  const stack = await startStack();
  const base = stack.gw.url;
  const password = "first-run-password";
  try {
    let cookie = "";
    let csrf = "";

    await t.step("/ without a session redirects (303) to /login, and /login to /setup before a password", async () => {
      const root = await get(`${base}/`);
      assert.equal(root.status, 303);
      assert.equal(root.location, "/login");
      const loginPage = await get(`${base}/login`);
      assert.equal(loginPage.status, 303);
      assert.equal(loginPage.location, "/setup");
      const setup = await get(`${base}/setup`);
      assert.equal(setup.status, 200);
      assert.match(setup.text, /token/i);
    });

    await t.step("first-run /setup refuses a wrong token, then sets the password with the DATA_DIR token", async () => {
      const tokenPath = `${stack.gw.dataDir}/setup-token`;
      const token = (await Deno.readTextFile(tokenPath)).trim();
      assert.ok(token.length >= 16);
      if (Deno.build.os !== "windows") assert.equal((await Deno.stat(tokenPath)).mode! & 0o777, 0o600);
      assert.ok(stack.gw.output().includes(token), "the token is printed on the console at start");
      const wrong = await fetch(`${base}/setup`, form({ token: "wrong-token", password, confirm: password }));
      await wrong.body?.cancel();
      assert.equal(wrong.status, 400);
      assert.equal(sessionCookie(wrong), undefined);
      const ok = await fetch(`${base}/setup`, form({ token, password, confirm: password }));
      await ok.body?.cancel();
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.get("location"), "/");
      cookie = sessionCookie(ok) ?? "";
      assert.ok(cookie, "setup must log the user in");
      await assert.rejects(() => Deno.stat(tokenPath), Deno.errors.NotFound, "the setup token is single use");
      const again = await get(`${base}/setup`);
      assert.equal(again.status, 303);
    });

    await t.step("the session opens the dashboard and /api; /api writes need the CSRF token", async () => {
      const page = await get(`${base}/`, cookie);
      assert.equal(page.status, 200);
      csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
      assert.ok(csrf, "no CSRF token in the page");
      const list = await fetch(`${base}/api/keys`, { headers: { cookie } });
      await list.body?.cancel();
      assert.equal(list.status, 200);
      const body = JSON.stringify({ name: "from-dashboard" });
      const noCsrf = await fetch(`${base}/api/keys`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body,
      });
      await noCsrf.body?.cancel();
      assert.equal(noCsrf.status, 403);
      const withCsrf = await fetch(`${base}/api/keys`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", "x-csrf-token": csrf },
        body,
      });
      await withCsrf.body?.cancel();
      assert.equal(withCsrf.status, 201);
    });

    await t.step("POST /logout ends the session on the server: the old cookie no longer works", async () => {
      const res = await fetch(`${base}/logout`, { ...form({ _csrf: csrf }), headers: { ...form({}).headers, cookie } });
      await res.body?.cancel();
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/login");
      const after = await get(`${base}/`, cookie);
      assert.equal(after.status, 303, "the old cookie still opens the dashboard");
      assert.equal(after.location, "/login");
      const api = await fetch(`${base}/api/keys`, { headers: { cookie } });
      await api.body?.cancel();
      assert.equal(api.status, 401);
    });

    await t.step("login with the right password starts a new session", async () => {
      const res = await login(base, password);
      assert.equal(res.status, 303);
      const fresh = sessionCookie(res);
      assert.ok(fresh && fresh !== cookie);
      assert.equal((await get(`${base}/`, fresh)).status, 200);
    });

    await t.step("five wrong passwords, then 429 (even for the right one)", async () => {
      for (let i = 0; i < 5; i++) {
        const res = await login(base, `wrong-${i}`);
        assert.equal(res.status, 401, `attempt ${i + 1}`);
        assert.equal(sessionCookie(res), undefined);
      }
      const blocked = await login(base, "wrong-again");
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get("retry-after")) > 0);
      assert.equal((await login(base, password)).status, 429);
    });
  } finally {
    await stack.stop();
  }
});

Deno.test("INITIAL_PASSWORD logs in directly; reset-password --password and stdin replace it", async () => {
  const stack = await startStack({ env: { INITIAL_PASSWORD: "initial-password-1" } });
  try {
    await assert.rejects(() => Deno.stat(`${stack.gw.dataDir}/setup-token`), Deno.errors.NotFound);
    const setup = await get(`${stack.gw.url}/setup`);
    assert.equal(setup.status, 303);
    assert.equal(setup.location, "/login");
    const ok = await login(stack.gw.url, "initial-password-1");
    assert.equal(ok.status, 303);
    const cookie = sessionCookie(ok)!;
    assert.equal((await get(`${stack.gw.url}/`, cookie)).status, 200);
    assert.equal((await stack.gw.stop()).code, 0);

    const dataDir = stack.gw.dataDir;
    const flag = await runCli(["reset-password", "--password", "reset-password-2", "--data-dir", dataDir]);
    assert.equal(flag.code, 0, flag.stderr);
    const short = await runCli(["reset-password", "--password", "short", "--data-dir", dataDir]);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /8 characters/);

    // INITIAL_PASSWORD applies only while no password exists: the reset one wins after a restart.
    const again = await startGateway({
      root: stack.root,
      config: defaultConfig(stack.fake),
      env: { INITIAL_PASSWORD: "initial-password-1", LOG_LEVEL: "warn" },
    });
    try {
      assert.equal((await get(`${again.url}/`, cookie)).status, 303, "reset-password must end old sessions");
      assert.equal((await login(again.url, "initial-password-1")).status, 401);
      assert.equal((await login(again.url, "reset-password-2")).status, 303);
      const piped = await runCli(["reset-password", "--data-dir", dataDir], { stdin: "piped-password-3\n" });
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal((await login(again.url, "reset-password-2")).status, 401);
      assert.equal((await login(again.url, "piped-password-3")).status, 303);
    } finally {
      await again.stop();
    }
  } finally {
    await stack.stop();
  }
});
