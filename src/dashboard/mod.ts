/** @module The dashboard's public face: renderer, nav, chart helper and the pure view models of each page. */
export * from "./render.ts";
export * from "./nav.ts";
export * from "./chart.ts";
export * from "./format.ts";
export * from "./overview.ts";
export * from "./account.ts";
export * from "./providers.ts";
export * from "./keys.ts";
export * from "./combos.ts";
export * from "./health.ts";
export * from "./logs.ts";
export * from "./log_detail.ts";
export * from "./usage.ts";
export * from "./costs.ts";
export * from "./settings.ts";
export * from "./translator.ts";
export * from "./cli_tools.ts";
