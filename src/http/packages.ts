/**
 * @module The npm packages the management API and the dashboard use, re-exported for the modules only admin_app.ts
 * reaches. `createApp` imports that side on first use, and under `deno run` every package import met in a lazily
 * imported module costs start-up an npm install check (~2.5 ms each; ~40 of them added 100 ms), while an import of
 * a module the server has already loaded (app.ts imports this one) costs nothing. Type-only imports are free and
 * stay direct. tests/architecture_test.ts keeps it so.
 */
export { Hono } from "hono";
export { bodyLimit } from "hono/body-limit";
export { deleteCookie, getCookie, setCookie } from "hono/cookie";
export { z } from "zod";
