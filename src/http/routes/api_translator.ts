/**
 * @module POST /api/translator/translate: the dashboard playground's view of the codecs. `{from, to, body}`
 * translates a request (default) or, with `kind: "response"`, a response, through the same codecs the proxy uses.
 */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import { codecFor } from "../../translate/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

const FORMATS = ["openai", "anthropic", "gemini", "responses"] as const;

const translateSchema = z.strictObject({
  from: z.enum(FORMATS),
  to: z.enum(FORMATS),
  kind: z.enum(["request", "response"]).default("request"),
  body: z.record(z.string(), z.unknown()),
  /** The upstream model id to put in a translated request (defaults to the body's model, prefix stripped). */
  model: z.string().min(1).optional(),
});

export function translatorRoutes(_gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/api/translator/translate", async (c) => {
    const input = validate(translateSchema, await readJsonObject(c));
    const from = codecFor(input.from);
    const to = codecFor(input.to);
    if (input.kind === "response") {
      let canonical;
      try {
        canonical = from.decodeResponse(input.body);
      } catch (err) {
        // A malformed response is the user's input here, not an upstream fault.
        throw new GatewayError("invalid_request", (err as Error).message, { param: "body" });
      }
      return c.json({
        kind: "response",
        from: input.from,
        to: input.to,
        canonical,
        body: to.encodeResponse(canonical),
      });
    }
    const canonical = from.decodeRequest(input.body);
    const bodyModel = typeof input.body.model === "string" ? input.body.model : "";
    const model = input.model ?? (bodyModel.includes("/") ? bodyModel.slice(bodyModel.indexOf("/") + 1) : bodyModel);
    const encoded = to.encodeRequest(canonical, { model: model || "model" });
    return c.json({
      kind: "request",
      from: input.from,
      to: input.to,
      canonical,
      body: encoded.body,
      dropped: encoded.dropped,
    });
  });
  return app;
}
