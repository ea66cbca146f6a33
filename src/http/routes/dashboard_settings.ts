/**
 * @module The settings page in five tabs (security, routing, resilience, AI, advanced/system): each tab's form goes
 * through the same patch as PATCH /api/settings (file-locked settings shown read-only), plus the database export,
 * export-all and import of /api/db-backups (100 MB cap, integrity check, automatic pre-import backup).
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { bodyLimit } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  type Renderer,
  SETTINGS_TABS,
  settingsFields,
  settingsFieldViews,
  settingsPatch,
  type SettingsTab,
} from "../../dashboard/mod.ts";
import { DAY_MS, promptCacheStats } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { exportAllOp, exportDatabaseOp, IMPORT_LIMIT_BYTES, importDatabaseOp } from "../manage/backups.ts";
import { patchSettingsOp } from "../manage/settings.ts";
import { download } from "./api_backups.ts";
import { fieldErrors, guarded, readForm, show, written } from "./dashboard_base.ts";

const isTab = (t: string | undefined): t is SettingsTab => SETTINGS_TABS.some((x) => x.id === t);

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

export function settingsPageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function extras(tab: SettingsTab): Record<string, unknown> {
    const s = gw.state.settings;
    if (tab === "routing") {
      return {
        aliases: gw.state.aliases.map((a) => ({ pattern: a.pattern, target: a.target })),
        providerStrategies: Object.entries(s.routing.providerStrategies).map(([p, v]) => ({
          provider: p,
          strategy: v,
        })),
      };
    }
    if (tab === "resilience") {
      const counts: Record<string, number> = { closed: 0, open: 0, half_open: 0 };
      let cooling = 0;
      let total = 0;
      const now = gw.now();
      for (const list of gw.state.connections.values()) {
        for (const conn of list) {
          total++;
          const h = gw.routing.health.get(conn.id);
          counts[h?.state ?? "closed"] = (counts[h?.state ?? "closed"] ?? 0) + 1;
          if (h?.cooldownUntil && h.cooldownUntil > now) cooling++;
        }
      }
      return {
        breakers: { total, closed: counts.closed, open: counts.open, halfOpen: counts.half_open ?? 0, cooling },
      };
    }
    if (tab === "ai") {
      const now = gw.now();
      const rc = gw.responseCache.stats();
      return {
        promptCache: promptCacheStats(gw.db, now - 30 * DAY_MS, now + 1).map((r) => ({
          provider: r.provider,
          requests: r.requests,
          input: r.inputTokens,
          read: r.cacheReadTokens,
          write: r.cacheWriteTokens,
          ratio: pct(r.readRatio),
        })),
        responseCache: {
          entries: rc.entries,
          hits: rc.hits,
          misses: rc.misses,
          bypasses: rc.bypasses,
          hitRate: pct(rc.hitRate),
        },
      };
    }
    if (tab === "advanced") {
      return { maxBodyEnv: gw.config.maxBodyMb ?? null, dataDir: gw.config.dataDir };
    }
    return {};
  }

  function page(c: Context<AppEnv>, tab: SettingsTab, extra: Record<string, unknown> = {}, status = 200): Response {
    const values = (extra.values ?? {}) as Record<string, string>;
    const errors = (extra.errors ?? {}) as Record<string, string>;
    const groups = settingsFieldViews({
      tab,
      settings: gw.state.settings,
      locked: gw.state.lockedSettings,
      providers: gw.state.registry.providers.map((p) => p.id),
      values,
      errors,
    });
    const data = {
      tab,
      tabs: SETTINGS_TABS.map((t) => ({ href: `/settings?tab=${t.id}`, label: t.label, current: t.id === tab })),
      groups,
      anyLocked: groups.some((g) => g.fields.some((f) => f.locked)),
      ...extras(tab),
      ...extra,
    };
    return show(c, render, { page: "settings", active: "settings", data, status });
  }

  app.get(
    "/settings",
    guarded(gw, (c) => page(c, isTab(c.req.query("tab")) ? c.req.query("tab") as SettingsTab : "security")),
  );

  app.get("/settings/db/export", guarded(gw, async (c) => download(c, await exportDatabaseOp(gw))));
  app.get("/settings/db/export-all", guarded(gw, async (c) => download(c, await exportAllOp(gw))));

  app.post(
    "/settings-import",
    bodyLimit({
      maxSize: IMPORT_LIMIT_BYTES + 64 * 1024,
      onError: () => {
        throw new GatewayError("payload_too_large", "an import may be at most 100 MB");
      },
    }),
    guarded(gw, async (c) => {
      let file: unknown;
      try {
        file = (await c.req.parseBody())["file"];
        if (!(file instanceof File) || file.size === 0) {
          throw new GatewayError("invalid_request", "Choose a .sqlite file to import.", { param: "file" });
        }
        const backup = await importDatabaseOp(gw, new Uint8Array(await file.arrayBuffer()));
        const flash = `Imported ${file.name}. The previous store was saved as ${backup}.`;
        return written(c, flash, "/settings?tab=advanced", (f) => page(c, "advanced", { flash: f }));
      } catch (err) {
        return page(c, "advanced", { errors: fieldErrors(err) }, 422);
      }
    }),
  );

  app.post(
    "/settings/:tab",
    guarded(gw, async (c) => {
      const tab = c.req.param("tab");
      if (!isTab(tab)) throw new GatewayError("not_found", `no settings tab ${tab}`);
      const form = await readForm(c);
      const { patch, errors } = settingsPatch(tab, form, gw.state.lockedSettings);
      if (Object.keys(errors).length > 0) return page(c, tab, { errors, values: form.values() }, 422);
      try {
        await patchSettingsOp(gw, patch);
      } catch (err) {
        const paths = settingsFields(tab).map((f) => f.path);
        const errs = fieldErrors(
          err,
          (p) => paths.find((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`)) ?? "_form",
        );
        return page(c, tab, { errors: errs, values: form.values() }, 422);
      }
      const label = SETTINGS_TABS.find((t) => t.id === tab)!.label;
      return written(c, `${label} settings saved.`, `/settings?tab=${tab}`, (f) => page(c, tab, { flash: f }));
    }),
  );

  return app;
}
