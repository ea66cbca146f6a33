/** @module Settings patch shared by PATCH /api/settings and the dashboard: file-locked keys refused, merged, validated. */
import { mergeSettings, settingsPatchSchema, settingsSchema, type SettingsSection } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import { readSettingsRows, transaction, writeSettingsSection } from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { validate } from "../routes/ingress.ts";

/** Merges a partial settings object into the stored sections (nested objects key by key; records replaced). */
export async function patchSettingsOp(gw: Gateway, body: unknown): Promise<void> {
  const patch = validate(settingsPatchSchema, body);
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
  validate(settingsSchema, mergeSettings(gw.state.settings, patch));
  transaction(gw.db, () => {
    for (const [section, values] of Object.entries(patch)) {
      const sectionSchema = settingsSchema.shape[section as SettingsSection];
      const next = mergeSettings(stored[section] ?? {}, values ?? {}, sectionSchema);
      writeSettingsSection(gw.db, section, next, gw.now());
    }
  });
  await gw.reload();
}
