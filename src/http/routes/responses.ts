/** @module The OpenAI Responses surface: POST /v1/responses (stream and non-stream), translated to any upstream. */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, runProxy, validate } from "./ingress.ts";

const responsesSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
});

export function responsesRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/v1/responses", async (c) => {
    const body = await readJsonObject(c);
    const req = validate(responsesSchema, body);
    if (req.previous_response_id) {
      // The gateway keeps no conversation state: clients must send the whole input (Codex does, with store: false).
      throw new GatewayError(
        "invalid_request",
        "previous_response_id is not supported by this gateway: send the full conversation in `input` (store: false)",
        { param: "previous_response_id" },
      );
    }
    return await runProxy(gw, c, { surface: "responses", model: req.model, stream: req.stream === true, body });
  });
  return app;
}
