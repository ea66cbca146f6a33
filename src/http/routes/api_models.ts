/** @module /api/models (every known model with `active`), /api/provider-models (custom models), /api/models/catalog. */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import { deleteProviderModel, listProviderModels, upsertProviderModel } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";
import { listAllModels } from "./model_list.ts";

const customModelSchema = z.strictObject({
  provider: z.string().min(1),
  modelId: z.string().min(1).max(256),
  modelName: z.string().max(256).optional(),
});

export function modelRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/models", (c) => c.json({ data: listAllModels(gw.state) }));

  app.get("/api/models/catalog", (c) => {
    const all = listAllModels(gw.state);
    const data = gw.state.registry.providers.map((p) => ({
      id: p.id,
      prefix: p.prefix,
      name: p.name,
      format: p.format,
      custom: p.custom === true,
      active: (gw.state.connections.get(p.id) ?? []).length > 0,
      models: all.filter((m) => m.provider === p.id).map((m) => ({
        id: m.id,
        model: m.model,
        type: m.type,
        context: m.context,
        price: m.price,
        custom: m.custom,
      })),
    }));
    return c.json({ data });
  });

  function providerId(name: string): string {
    const spec = gw.state.registry.get(name);
    if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
    return spec.id;
  }

  app.get("/api/provider-models", (c) => {
    const provider = c.req.query("provider");
    const rows = listProviderModels(gw.db, provider ? providerId(provider) : undefined);
    return c.json({
      data: rows.map((r) => ({
        id: `${r.provider}/${r.modelId}`,
        provider: r.provider,
        modelId: r.modelId,
        modelName: r.modelName,
        createdAt: new Date(r.createdAt).toISOString(),
      })),
    });
  });

  app.post("/api/provider-models", async (c) => {
    const input = validate(customModelSchema, await readJsonObject(c));
    const provider = providerId(input.provider);
    upsertProviderModel(gw.db, { provider, modelId: input.modelId, modelName: input.modelName ?? null }, gw.now());
    await gw.reload();
    return c.json({
      id: `${provider}/${input.modelId}`,
      provider,
      modelId: input.modelId,
      modelName: input.modelName ?? null,
    }, 201);
  });

  app.delete("/api/provider-models", async (c) => {
    const provider = c.req.query("provider");
    const model = c.req.query("model");
    if (!provider || !model) {
      throw new GatewayError("invalid_request", "provider and model query parameters are required", {
        param: provider ? "model" : "provider",
      });
    }
    const id = providerId(provider);
    if (!deleteProviderModel(gw.db, id, model)) {
      throw new GatewayError("not_found", `no custom model ${model} for ${id}`);
    }
    await gw.reload();
    return c.json({ id: `${id}/${model}`, deleted: true });
  });

  return app;
}
