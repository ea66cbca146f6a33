/**
 * @module The dashboard handler tests' shared setup: an in-process gateway in a temp folder with a password,
 * logged in (session cookie and CSRF token taken from a rendered page), and form/htmx helpers over `app.request()`.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { createApp } from "../../src/http/app.ts";
import type { Gateway } from "../../src/http/context.ts";
import { createGateway } from "../../src/http/gateway.ts";

/** A loopback peer, for actions offered only to this machine (`isLocalClient`). */
const LOCAL = { remoteAddr: { hostname: "127.0.0.1", port: 1, transport: "tcp" } };

export interface Answer {
  status: number;
  text: string;
  res: Response;
}

export interface DashboardSession {
  gw: Gateway;
  app: ReturnType<typeof createApp>;
  /** The temp folder (data in `data/`). */
  root: string;
  cookie: string;
  csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** A form post; `csrf: false` leaves the token out, `local` makes the peer loopback. */
  post(
    path: string,
    fields: Record<string, string | string[]>,
    options?: { htmx?: boolean; csrf?: boolean; cookie?: string; local?: boolean },
  ): Promise<Answer>;
  close(): Promise<void>;
}

/** Logs in with the password; returns the session cookie (`name=value`). */
export async function login(app: ReturnType<typeof createApp>, password: string): Promise<string> {
  const res = await app.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password }),
  });
  assert.equal(res.status, 303);
  return res.headers.get("set-cookie")!.split(";")[0];
}

export async function startDashboardSession(options: {
  password: string;
  prefix: string;
  fetch: typeof fetch;
  /** Extra environment, given the temp folder (e.g. a HOME inside it). */
  env?: (root: string) => Record<string, string>;
}): Promise<DashboardSession> {
  const root = await Deno.makeTempDir({ prefix: options.prefix });
  const env: Record<string, string> = {
    INITIAL_PASSWORD: options.password,
    LOG_LEVEL: "error",
    ...options.env?.(root),
  };
  const gw = await createGateway(loadConfig({ args: ["--data-dir", `${root}/data`], env: (k) => env[k] }), {
    fetch: options.fetch,
  });
  const app = createApp(gw);
  const cookie = await login(app, options.password);
  // Every page's layout carries the logout form, and with it the CSRF token.
  const page = await (await app.request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  return {
    gw,
    app,
    root,
    cookie,
    csrf,
    async get(path, headers = {}) {
      const res = await app.request(path, { headers: { cookie, ...headers } });
      return { status: res.status, text: await res.text(), res };
    },
    async post(path, fields, opts = {}) {
      const body = new URLSearchParams();
      if (opts.csrf !== false) body.append("_csrf", csrf);
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      const headers = {
        cookie: opts.cookie ?? cookie,
        "content-type": "application/x-www-form-urlencoded",
        ...(opts.htmx ? { "hx-request": "true" } : {}),
      };
      const res = await app.request(path, { method: "POST", headers, body }, opts.local ? LOCAL : undefined);
      return { status: res.status, text: await res.text(), res };
    },
    async close() {
      gw.db.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}
