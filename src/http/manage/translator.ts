/**
 * @module The translator playground's operation, shared by POST /api/translator/translate and the dashboard:
 * `{from, to, body}` translates a request (default) or, with `kind: "response"`, a response, through the same
 * codecs the proxy uses.
 */
import { z } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { codecFor } from "../../translate/mod.ts";
import { validate } from "../routes/ingress.ts";

export const TRANSLATOR_FORMATS = ["openai", "anthropic", "gemini", "responses"] as const;

export const translateSchema = z.strictObject({
  from: z.enum(TRANSLATOR_FORMATS),
  to: z.enum(TRANSLATOR_FORMATS),
  kind: z.enum(["request", "response"]).default("request"),
  body: z.record(z.string(), z.unknown()),
  /** The upstream model id to put in a translated request (defaults to the body's model, prefix stripped). */
  model: z.string().min(1).optional(),
});

export interface TranslateResult {
  kind: "request" | "response";
  from: string;
  to: string;
  canonical: unknown;
  body: unknown;
  dropped?: string[];
}

export function translateOp(input: unknown): TranslateResult {
  const req = validate(translateSchema, input);
  const from = codecFor(req.from);
  const to = codecFor(req.to);
  if (req.kind === "response") {
    let canonical;
    try {
      canonical = from.decodeResponse(req.body);
    } catch (err) {
      // A malformed response is the user's input here, not an upstream fault.
      throw new GatewayError("invalid_request", (err as Error).message, { param: "body" });
    }
    return { kind: "response", from: req.from, to: req.to, canonical, body: to.encodeResponse(canonical) };
  }
  const canonical = from.decodeRequest(req.body);
  const bodyModel = typeof req.body.model === "string" ? req.body.model : "";
  const model = req.model ?? (bodyModel.includes("/") ? bodyModel.slice(bodyModel.indexOf("/") + 1) : bodyModel);
  const encoded = to.encodeRequest(canonical, { model: model || "model" });
  return { kind: "request", from: req.from, to: req.to, canonical, body: encoded.body, dropped: encoded.dropped };
}
