/** @module /api/settings: GET the five sections; PATCH merges a partial object, validates it, returns the result. */
import { Hono } from "hono";
import { mergeSettings, settingsPatchSchema, settingsSchema, type SettingsSection } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import { readSettingsRows, transaction, writeSettingsSection } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

export function settingsRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const view = () => ({ ...gw.state.settings, locked: [...gw.state.lockedSettings].sort() });

  app.get("/api/settings", (c) => c.json(view()));

  app.patch("/api/settings", async (c) => {
    const patch = validate(settingsPatchSchema, await readJsonObject(c));
    for (const [section, values] of Object.entries(patch)) {
      for (const key of Object.keys(values ?? {})) {
        if (gw.state.lockedSettings.has(`${section}.${key}`)) {
          throw new GatewayError(
            "invalid_request",
            `${section}.${key} is set by the config file and cannot be changed here`,
            {
              param: `${section}.${key}`,
              status: 409,
            },
          );
        }
      }
    }
    const stored = readSettingsRows(gw.db);
    // Nested objects merge key by key (a partial profile or rateLimits keeps the rest); records are replaced.
    validate(settingsSchema, mergeSettings(gw.state.settings, patch));
    transaction(gw.db, () => {
      for (const [section, values] of Object.entries(patch)) {
        const sectionSchema = settingsSchema.shape[section as SettingsSection];
        const next = mergeSettings(stored[section] ?? {}, values ?? {}, sectionSchema);
        writeSettingsSection(gw.db, section, next, gw.now());
      }
    });
    await gw.reload();
    return c.json(view());
  });

  return app;
}
