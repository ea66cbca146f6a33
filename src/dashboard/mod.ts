/** @module The dashboard's public face: renderer and view models. */
export * from "./render.ts";
export * from "./overview.ts";
