/** @module The account page: session expiry and change password (old one verified, other sessions ended). */
import { Hono } from "../packages.ts";
import { accountModel, newPasswordErrors, type Renderer } from "../../dashboard/mod.ts";
import {
  deleteOtherSessions,
  getPasswordHash,
  hashPassword,
  sessionExpiresAt,
  setPasswordHash,
  verifyPassword,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { guarded, readForm, show, written } from "./dashboard_base.ts";

export function accountRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const data = (sessionId: string) => ({
    ...accountModel({ now: gw.now(), expiresAt: sessionExpiresAt(gw.db, sessionId) }),
  });

  app.get("/account", guarded(gw, (c, s) => show(c, render, { page: "account", active: "account", data: data(s.id) })));

  app.post(
    "/account/password",
    guarded(gw, async (c, s) => {
      const form = await readForm(c);
      const input = { current: form.text("current"), next: form.text("next"), confirm: form.text("confirm") };
      const hash = getPasswordHash(gw.db);
      const errors = hash && (await verifyPassword(input.current, hash))
        ? newPasswordErrors(input)
        : { current: "The current password is not right." };
      if (Object.keys(errors).length > 0) {
        return show(c, render, { page: "account", active: "account", data: { ...data(s.id), errors }, status: 422 });
      }
      setPasswordHash(gw.db, await hashPassword(input.next), gw.now());
      const ended = deleteOtherSessions(gw.db, s.id);
      const flash = `Password changed; ${ended} other session(s) ended.`;
      return written(
        c,
        flash,
        "/account",
        (f) => show(c, render, { page: "account", active: "account", data: { ...data(s.id), flash: f } }),
      );
    }),
  );

  return app;
}
