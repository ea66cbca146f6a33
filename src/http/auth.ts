/**
 * @module Who is calling: gateway API keys on inference routes, admin session or admin key on /api.
 * Keys are looked up by keyed hash in the in-memory index (no store read per request).
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { isLoopbackHost } from "../config/mod.ts";
import { createIpRules, type IpRules } from "../core/ip_rules.ts";
import { GatewayError } from "../core/errors.ts";
import { type ApiKeyRow, safeEqual, sessionValid, sign } from "../store/mod.ts";
import type { Gateway } from "./context.ts";

export const SESSION_COOKIE = "sy_session";

/** The key a client sent, from any of the headers its SDK uses, or `?key=`. */
export function presentedKey(c: Context): string | undefined {
  const auth = c.req.header("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m) return m[1].trim();
  }
  return c.req.header("x-api-key") ?? c.req.header("x-goog-api-key") ??
    // The query is parsed only when it can hold a key (most requests carry none).
    (c.req.url.includes("key=") ? c.req.query("key") : undefined) ?? undefined;
}

/** True when the request came through a reverse proxy. */
export function isProxied(c: Context): boolean {
  return c.req.header("forwarded") !== undefined || c.req.header("x-forwarded-for") !== undefined;
}

/** The peer address (or, with TRUST_PROXY, the first X-Forwarded-For hop). */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const xff = c.req.header("x-forwarded-for");
    if (xff) return xff.split(",")[0].trim();
  }
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return info?.remoteAddr?.hostname;
}

/** A loopback client that did not come through a proxy (may use host-writing and setup features). */
export function isLocalClient(c: Context): boolean {
  const addr = clientAddress(c, false);
  return addr !== undefined && isLoopbackHost(addr) && !isProxied(c);
}

function keyRow(gw: Gateway, key: string): ApiKeyRow | undefined {
  return gw.state.keysByHash.get(gw.cipher.hashKey(key));
}

/**
 * Inference routes: a sent key must be valid; a key is required per REQUIRE_API_KEY and proxy rules. A plain check
 * (throws, or sets `apiKey`), run by the inference edge middleware in app.ts.
 */
export function inferenceAuth(gw: Gateway): (c: Context) => void {
  const loopback = isLoopbackHost(gw.config.host);
  return function inferenceAuth(c) {
    const key = presentedKey(c);
    if (key !== undefined) {
      const row = keyRow(gw, key);
      if (!row) throw new GatewayError("authentication_error", "Invalid API key.");
      if (!row.scopes.includes("inference") && !row.scopes.includes("admin")) {
        throw new GatewayError("permission_denied", "This API key may not call inference routes.");
      }
      c.set("apiKey", row);
    } else {
      const configured = gw.config.requireApiKey;
      const listing = c.req.method === "GET" && (c.req.path === "/v1/models" || c.req.path === "/v1beta/models");
      const required = (configured ?? !loopback) || (listing && gw.state.settings.security.requireApiKeyForModels);
      const proxied = !gw.config.requireApiKeyExplicitFalse && isProxied(c);
      if (required || proxied) {
        throw new GatewayError("authentication_error", "An API key is required (Authorization: Bearer <key>).");
      }
    }
  };
}

export interface SessionInfo {
  id: string;
  csrf: string;
}

/** The valid session behind the request's cookie, if any. */
export function currentSession(gw: Gateway, c: Context): SessionInfo | undefined {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return undefined;
  const dot = cookie.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const id = cookie.slice(0, dot);
  if (!safeEqual(cookie.slice(dot + 1), sign(gw.secrets.jwtSecret, id))) return undefined;
  if (!sessionValid(gw.db, id, gw.now())) return undefined;
  return { id, csrf: csrfToken(gw, id) };
}

export function csrfToken(gw: Gateway, sessionId: string): string {
  return sign(gw.secrets.jwtSecret, `csrf:${sessionId}`);
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Checks the CSRF token of a cookie-authenticated write (header `x-csrf-token` or form field `_csrf`). */
export async function checkCsrf(c: Context, session: SessionInfo): Promise<void> {
  if (!UNSAFE.has(c.req.method)) return;
  let token = c.req.header("x-csrf-token");
  if (!token) {
    const type = c.req.header("content-type") ?? "";
    if (type.includes("form")) {
      const form = await c.req.parseBody();
      token = typeof form["_csrf"] === "string" ? form["_csrf"] : undefined;
    }
  }
  if (!token || !safeEqual(token, session.csrf)) {
    throw new GatewayError("permission_denied", "Missing or bad CSRF token.");
  }
}

/** `/api/*`: an admin-scope key, or a dashboard session (with CSRF on writes). One check for every route. */
export function adminAuth(gw: Gateway): MiddlewareHandler {
  return async function adminAuth(c, next) {
    const key = presentedKey(c);
    if (key !== undefined) {
      const row = keyRow(gw, key);
      if (!row) throw new GatewayError("authentication_error", "Invalid API key.");
      if (!row.scopes.includes("admin")) {
        throw new GatewayError("permission_denied", "This API key has no admin scope.");
      }
      c.set("apiKey", row);
      return await next();
    }
    const session = currentSession(gw, c);
    if (!session) throw new GatewayError("authentication_error", "Log in to the dashboard or send an admin API key.");
    await checkCsrf(c, session);
    c.set("session", session);
    await next();
  };
}

/**
 * IP access control from settings.security (allow and deny lists): a refused address gets 403. Loopback clients
 * without a proxy header are always admitted. The rules are rebuilt only when the settings object changes.
 */
export function ipAccess(gw: Gateway): (c: Context) => void {
  let built: { from: unknown; rules: IpRules } | undefined;
  return function ipAccess(c) {
    const security = gw.state.settings.security;
    if (security.ipAllowList.length === 0 && security.ipDenyList.length === 0) return;
    // Health checks and static assets stay reachable (load balancers, the login page's stylesheet).
    if (c.req.path === "/healthz" || c.req.path.startsWith("/static/")) return;
    if (built?.from !== security) {
      built = { from: security, rules: createIpRules(security.ipAllowList, security.ipDenyList) };
    }
    if (!isLocalClient(c) && !built.rules.admits(clientAddress(c, gw.config.trustProxy))) {
      throw new GatewayError("permission_denied", "this address may not use the gateway (IP access control)");
    }
  };
}
