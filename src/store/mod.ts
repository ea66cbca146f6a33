/** @module The store's public face: every table's functions, the opener, secrets and snapshots. */
export * from "./db.ts";
export * from "./connections.ts";
export * from "./api_keys.ts";
export * from "./routing_data.ts";
export * from "./settings.ts";
export * from "./admin.ts";
export * from "./usage.ts";
export * from "./secrets.ts";
export * from "./backup.ts";
export * from "./archive.ts";
export * from "./config_sync.ts";
export * from "./checkpoint.ts";
export * from "./pricing.ts";
