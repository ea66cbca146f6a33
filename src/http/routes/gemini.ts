/**
 * @module The Gemini surface: GET /v1beta/models, POST /v1beta/models/{model}:generateContent and
 * :streamGenerateContent. `{model}` may contain `/` (Gemini CLI puts `openai/gpt-4.1` in the path unencoded).
 */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, runProxy, validate } from "./ingress.ts";
import { listActiveModels } from "./model_list.ts";

const generateSchema = z.looseObject({
  contents: z.array(z.looseObject({})).min(1, "contents must not be empty"),
});

export function geminiRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/v1beta/models", (c) =>
    c.json({
      models: listActiveModels(gw.state).map((m) => ({
        name: `models/${m.id}`,
        baseModelId: m.id,
        displayName: m.id,
        inputTokenLimit: m.context,
        supportedGenerationMethods: ["generateContent", "streamGenerateContent"],
      })),
    }));

  app.post("/v1beta/models/*", async (c) => {
    const rest = decodeURIComponent(c.req.path.slice("/v1beta/models/".length));
    const colon = rest.lastIndexOf(":");
    if (colon <= 0) throw new GatewayError("not_found", `no route for POST ${c.req.path}`);
    const model = rest.slice(0, colon);
    const method = rest.slice(colon + 1);
    if (method !== "generateContent" && method !== "streamGenerateContent") {
      throw new GatewayError("not_found", `method ${method} is not supported (generateContent, streamGenerateContent)`);
    }
    const body = await readJsonObject(c);
    validate(generateSchema, body);
    return await runProxy(gw, c, { surface: "gemini", model, stream: method === "streamGenerateContent", body });
  });

  return app;
}
