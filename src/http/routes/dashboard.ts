/** @module Dashboard auth and assets: first-run setup (loopback only), login, logout, /static. Pages: dashboard_*.ts. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "../packages.ts";
import { assetDir } from "../../assets.ts";
import { GatewayError } from "../../core/errors.ts";
import { createRenderer, ensureViews } from "../../dashboard/mod.ts";
import {
  createSession,
  deleteSession,
  getPasswordHash,
  hashPassword,
  randomToken,
  safeEqual,
  setPasswordHash,
  sign,
  verifyPassword,
} from "../../store/mod.ts";
import { checkCsrf, clientAddress, currentSession, isLocalClient, SESSION_COOKIE } from "../auth.ts";
import type { AppEnv, Gateway } from "../context.ts";

export const SESSION_TTL_MS = 12 * 3600 * 1000;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const LOGIN_MAX_FAILURES = 5;
const LOGIN_TRACKED_MAX = 10_000;

const STATIC_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

function html(c: Context<AppEnv>, body: string, status = 200): Response {
  return c.html(body, status as 200, { "cache-control": "no-store" });
}

export function dashboardRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const render = createRenderer();
  /** Failed logins per client address: bounded, oldest dropped first. */
  const failures = new Map<string, { count: number; since: number }>();

  function startSession(c: Context<AppEnv>): void {
    const id = randomToken(24);
    createSession(gw.db, id, gw.now(), SESSION_TTL_MS);
    setCookie(c, SESSION_COOKIE, `${id}.${sign(gw.secrets.jwtSecret, id)}`, {
      httpOnly: true,
      sameSite: "Strict",
      secure: gw.config.authCookieSecure,
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
  }

  function tooManyFailures(addr: string): number | undefined {
    const f = failures.get(addr);
    if (!f) return undefined;
    const elapsed = gw.now() - f.since;
    if (elapsed > LOGIN_WINDOW_MS) {
      failures.delete(addr);
      return undefined;
    }
    return f.count >= LOGIN_MAX_FAILURES ? Math.ceil((LOGIN_WINDOW_MS - elapsed) / 1000) : undefined;
  }

  function noteFailure(addr: string): void {
    const f = failures.get(addr);
    if (f) f.count++;
    else {
      if (failures.size >= LOGIN_TRACKED_MAX) failures.delete(failures.keys().next().value!);
      failures.set(addr, { count: 1, since: gw.now() });
    }
  }

  app.get("/login", async (c) => {
    await ensureViews();
    if (!getPasswordHash(gw.db)) return c.redirect("/setup", 303);
    if (currentSession(gw, c)) return c.redirect("/", 303);
    return html(c, render.page("login", {}));
  });

  app.post("/login", async (c) => {
    await ensureViews();
    const addr = clientAddress(c, gw.config.trustProxy) ?? "unknown";
    const wait = tooManyFailures(addr);
    if (wait !== undefined) {
      throw new GatewayError("rate_limited", `too many failed logins; try again in ${wait} s`, { retryAfter: wait });
    }
    const hash = getPasswordHash(gw.db);
    if (!hash) return c.redirect("/setup", 303);
    const form = await c.req.parseBody();
    const password = typeof form.password === "string" ? form.password : "";
    if (!(await verifyPassword(password, hash))) {
      noteFailure(addr);
      gw.logger.log("warn", "dashboard login failed", { client: addr });
      return html(c, render.page("login", { error: "Wrong password." }), 401);
    }
    failures.delete(addr);
    startSession(c);
    return c.redirect("/", 303);
  });

  app.get("/setup", async (c) => {
    await ensureViews();
    if (getPasswordHash(gw.db)) return c.redirect("/login", 303);
    if (!isLocalClient(c)) {
      throw new GatewayError("permission_denied", "first-run setup is only served to this machine (loopback)");
    }
    return html(c, render.page("setup", {}));
  });

  app.post("/setup", async (c) => {
    await ensureViews();
    if (getPasswordHash(gw.db)) return c.redirect("/login", 303);
    if (!isLocalClient(c)) {
      throw new GatewayError("permission_denied", "first-run setup is only served to this machine (loopback)");
    }
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const confirm = typeof form.confirm === "string" ? form.confirm : "";
    const expected = gw.setupToken();
    let error: string | undefined;
    if (!expected || !safeEqual(token, expected)) error = "The setup token is not right.";
    else if (password.length < 8) error = "The password needs at least 8 characters.";
    else if (password !== confirm) error = "The two passwords differ.";
    if (error) return html(c, render.page("setup", { error }), 400);
    setPasswordHash(gw.db, await hashPassword(password), gw.now());
    gw.clearSetupToken();
    startSession(c);
    return c.redirect("/", 303);
  });

  app.post("/logout", async (c) => {
    const session = currentSession(gw, c);
    if (session) {
      await checkCsrf(c, session);
      deleteSession(gw.db, session.id);
    }
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  const staticDir = assetDir("static");
  const staticCache = new Map<string, Uint8Array<ArrayBuffer>>();
  app.get("/static/:file", (c) => {
    const file = c.req.param("file");
    const ext = file.slice(file.lastIndexOf("."));
    if (!/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith(".") || !STATIC_TYPES[ext]) {
      throw new GatewayError("not_found", "no such file");
    }
    let data = staticCache.get(file);
    if (!data) {
      try {
        data = Deno.readFileSync(`${staticDir}/${file}`) as Uint8Array<ArrayBuffer>;
      } catch {
        throw new GatewayError("not_found", "no such file");
      }
      staticCache.set(file, data);
    }
    return c.body(data, 200, { "content-type": STATIC_TYPES[ext], "cache-control": "public, max-age=3600" });
  });

  return app;
}
