/** @module Providers' public face. */
export * from "./types.ts";
export * from "./registry.ts";
export { BUILTIN_PROVIDERS } from "./catalog.ts";
export { ANTHROPIC_VERSION } from "./native.ts";
