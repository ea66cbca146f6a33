/**
 * @module Mounts every dashboard page on one shared renderer. A new page: a view model in src/dashboard/<page>.ts,
 * handlers in dashboard_<page>.ts exporting `<page>Routes(gw, render)`, one line here, one entry in dashboard/nav.ts.
 */
import { Hono } from "../packages.ts";
import { createRenderer } from "../../dashboard/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { accountRoutes } from "./dashboard_account.ts";
import { comboRoutes } from "./dashboard_combos.ts";
import { healthPageRoutes } from "./dashboard_health.ts";
import { keyPageRoutes } from "./dashboard_keys.ts";
import { logPageRoutes } from "./dashboard_logs.ts";
import { overviewRoutes } from "./dashboard_overview.ts";
import { providerRoutes } from "./dashboard_providers.ts";
import { usagePageRoutes } from "./dashboard_usage.ts";
import { settingsPageRoutes } from "./dashboard_settings.ts";
import { translatorPageRoutes } from "./dashboard_translator.ts";
import { livePageRoutes } from "./dashboard_live.ts";
import { cliToolRoutes } from "./dashboard_cli_tools.ts";

export function dashboardPages(gw: Gateway): Hono<AppEnv> {
  const render = createRenderer();
  const app = new Hono<AppEnv>();
  app.route("/", overviewRoutes(gw, render));
  app.route("/", providerRoutes(gw, render));
  app.route("/", comboRoutes(gw, render));
  app.route("/", keyPageRoutes(gw, render));
  app.route("/", logPageRoutes(gw, render));
  app.route("/", usagePageRoutes(gw, render));
  app.route("/", healthPageRoutes(gw, render));
  app.route("/", translatorPageRoutes(gw, render));
  app.route("/", livePageRoutes(gw));
  app.route("/", cliToolRoutes(gw, render));
  app.route("/", settingsPageRoutes(gw, render));
  app.route("/", accountRoutes(gw, render));
  return app;
}
