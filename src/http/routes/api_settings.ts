/** @module /api/settings: GET the five sections; PATCH merges a partial object, validates it, returns the result. */
import { Hono } from "../packages.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { patchSettingsOp } from "../manage/settings.ts";
import { readJsonObject } from "./ingress.ts";

export function settingsRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const view = () => ({ ...gw.state.settings, locked: [...gw.state.lockedSettings].sort() });

  app.get("/api/settings", (c) => c.json(view()));

  app.patch("/api/settings", async (c) => {
    await patchSettingsOp(gw, await readJsonObject(c));
    return c.json(view());
  });

  return app;
}
