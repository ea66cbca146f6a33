/** @module The OpenAI surface: chat completions (also per provider) and the model list. */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, runProxy, validate } from "./ingress.ts";
import { listActiveModels } from "./model_list.ts";

/**
 * The pass-through path's edge check: the fields the gateway itself reads. Messages are checked for a `role` by
 * hand rather than parsed by zod (which would copy every message); translation validates them in full.
 */
export const chatSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  messages: z.array(z.unknown()).min(1, "messages must not be empty"),
  stream: z.boolean().nullish(),
}).superRefine((body, ctx) => {
  body.messages.forEach((m, i) => {
    if (m === null || typeof m !== "object" || typeof (m as { role?: unknown }).role !== "string") {
      ctx.addIssue({ code: "custom", path: ["messages", i, "role"], message: "each message needs a string role" });
    }
  });
});

type ChatEdge = z.infer<typeof chatSchema>;

/**
 * The common case checked by hand, with no copy: a body that passes is exactly one zod would accept. Anything else
 * goes through zod, which names the bad field.
 */
export function checkChat(body: Record<string, unknown>): ChatEdge {
  const { model, messages, stream } = body;
  let ok = typeof model === "string" && model.length > 0 && Array.isArray(messages) && messages.length > 0 &&
    (stream === undefined || stream === null || typeof stream === "boolean");
  if (ok) {
    for (const m of messages as unknown[]) {
      if (m === null || typeof m !== "object" || typeof (m as { role?: unknown }).role !== "string") ok = false;
    }
  }
  return ok ? body as ChatEdge : validate(chatSchema, body);
}

export function openaiRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/v1/chat/completions", async (c) => {
    const body = await readJsonObject(c);
    const req = checkChat(body);
    return await runProxy(gw, c, { surface: "openai", model: req.model, stream: req.stream === true, body });
  });

  app.post("/v1/providers/:provider/chat/completions", async (c) => {
    const provider = gw.state.registry.get(c.req.param("provider"));
    if (!provider) throw new GatewayError("not_found", `unknown provider "${c.req.param("provider")}"`);
    const body = await readJsonObject(c);
    const req = checkChat(body);
    let model = req.model;
    const slash = model.indexOf("/");
    if (slash > 0) {
      const named = gw.state.registry.get(model.slice(0, slash));
      if (named && named.id !== provider.id) {
        throw new GatewayError(
          "invalid_request",
          `model "${model}" belongs to provider ${named.id}, not ${provider.id}`,
          { param: "model" },
        );
      }
      if (named) model = model.slice(slash + 1);
    }
    return await runProxy(gw, c, {
      surface: "openai",
      model: `${provider.prefix}/${model}`,
      stream: req.stream === true,
      body,
      targets: [{ provider, model }],
    });
  });

  app.get("/v1/models", (c) => {
    const created = Math.floor(gw.startedAt / 1000);
    return c.json({
      object: "list",
      data: listActiveModels(gw.state).map((m) => ({ id: m.id, object: "model", created, owned_by: m.ownedBy })),
    });
  });

  return app;
}
