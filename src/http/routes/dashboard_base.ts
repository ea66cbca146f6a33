/**
 * @module What every dashboard page handler builds on: the session guard (expired session → 303 /login, or
 * `HX-Redirect: /login` for htmx), CSRF on writes, partial-or-page rendering, form reading, inline field errors
 * from GatewayError.param, and a one-shot flash cookie for writes answered with a redirect (no-JS forms).
 */
import type { Context, Handler } from "hono";
import { deleteCookie, getCookie, setCookie } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { ensureViews, navModel, type Renderer } from "../../dashboard/mod.ts";
import { checkCsrf, currentSession, type SessionInfo } from "../auth.ts";
import type { AppEnv, Gateway } from "../context.ts";

const FLASH_COOKIE = "sy_flash";

export type PageHandler = (c: Context<AppEnv>, session: SessionInfo) => Response | Promise<Response>;

/** True for an htmx request that wants a fragment (boosted navigation wants the full page). */
export function isHtmx(c: Context): boolean {
  return c.req.header("hx-request") === "true" && c.req.header("hx-boosted") !== "true";
}

/** Runs `handler` only with a valid session; writes must carry the CSRF token (header or `_csrf` field). */
export function guarded(gw: Gateway, handler: PageHandler): Handler<AppEnv> {
  return async function guardedPage(c) {
    await ensureViews();
    const session = currentSession(gw, c);
    if (!session) {
      if (isHtmx(c)) return c.body(null, 401, { "HX-Redirect": "/login", "cache-control": "no-store" });
      return c.redirect("/login", 303);
    }
    await checkCsrf(c, session);
    c.set("session", session);
    return await handler(c, session);
  };
}

export interface ShowOptions {
  /** `pages/<page>.eta` for a full request, `partials/<partial ?? page>.eta` for htmx. */
  page: string;
  partial?: string;
  /** Which nav entry is current. */
  active: string;
  data: Record<string, unknown>;
  status?: number;
}

/** Renders the partial for htmx, the full page otherwise; adds the CSRF token, the nav and any pending flash. */
export function show(c: Context<AppEnv>, render: Renderer, options: ShowOptions): Response {
  const session = c.get("session");
  const data: Record<string, unknown> = {
    flash: takeFlash(c),
    errors: {},
    values: {},
    ...options.data,
    csrf: session?.csrf ?? "",
    nav: navModel(options.active),
  };
  const body = isHtmx(c) ? render.partial(options.partial ?? options.page, data) : render.page(options.page, data);
  return c.html(body, (options.status ?? 200) as 200, { "cache-control": "no-store" });
}

/** A submitted form: single values trimmed, repeated fields as lists. */
export interface Form {
  text(name: string): string;
  all(name: string): string[];
  has(name: string): boolean;
  /** Every single-valued field except `_csrf`, for re-filling a form after an error (never secrets). */
  values(omit?: string[]): Record<string, string>;
}

export async function readForm(c: Context): Promise<Form> {
  const type = c.req.header("content-type") ?? "";
  const fd = type.includes("form") ? await c.req.formData() : new FormData();
  const str = (v: FormDataEntryValue | null): string => (typeof v === "string" ? v.trim() : "");
  return {
    text: (name) => str(fd.get(name)),
    all: (name) => fd.getAll(name).map(str).filter((v) => v !== ""),
    has: (name) => fd.has(name),
    values(omit = []) {
      const out: Record<string, string> = {};
      for (const [k, v] of fd.entries()) if (k !== "_csrf" && !omit.includes(k) && typeof v === "string") out[k] = v;
      return out;
    },
  };
}

/** Field errors keyed by the form field (`budget.daily` → `budget`), `_form` for the rest. Rethrows 5xx. */
export function fieldErrors(err: unknown, fieldOf: (param: string) => string = (p) => p.split(/[.[]/)[0]): Record<
  string,
  string
> {
  if (!(err instanceof GatewayError) || err.status >= 500) throw err;
  const field = err.param ? fieldOf(err.param) : "_form";
  return { [field]: err.message };
}

/** One line per entry, commas also split: for model lists typed into a textarea. */
export function lines(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== "");
}

export function setFlash(c: Context, message: string): void {
  // hono/cookie percent-encodes the value (and getCookie decodes it).
  setCookie(c, FLASH_COOKIE, message.slice(0, 500), {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    maxAge: 60,
  });
}

export function takeFlash(c: Context): string | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (raw === undefined) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: "/" });
  return raw;
}

/**
 * After a successful write: htmx gets the page's fragment rendered now (with the flash inline); a plain form post
 * gets 303 to `location` and the flash on the next page (post/redirect/get).
 */
export function written(
  c: Context<AppEnv>,
  flash: string,
  location: string,
  fragment: (flash: string) => Response,
): Response {
  if (isHtmx(c)) return fragment(flash);
  setFlash(c, flash);
  return c.redirect(location, 303);
}
