/**
 * @module POST /api/translator/translate: the dashboard playground's view of the codecs. `{from, to, body}`
 * translates a request (default) or, with `kind: "response"`, a response (logic in manage/translator.ts).
 */
import { Hono } from "../packages.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { translateOp } from "../manage/translator.ts";
import { readJsonObject } from "./ingress.ts";

export function translatorRoutes(_gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/api/translator/translate", async (c) => c.json(translateOp(await readJsonObject(c))));
  return app;
}
