/** @module /api/models (every known model with `active`), /api/provider-models (custom models), /api/models/catalog. */
import { Hono } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { listProviderModels } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { addCustomModelOp, deleteCustomModelOp, providerIdOf } from "../manage/models.ts";
import { readJsonObject } from "./ingress.ts";
import { listAllModels } from "./model_list.ts";

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

  app.get("/api/provider-models", (c) => {
    const provider = c.req.query("provider");
    const rows = listProviderModels(gw.db, provider ? providerIdOf(gw, provider) : undefined);
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
    const added = await addCustomModelOp(gw, await readJsonObject(c));
    return c.json({ id: `${added.provider}/${added.modelId}`, ...added }, 201);
  });

  app.delete("/api/provider-models", async (c) => {
    const provider = c.req.query("provider");
    const model = c.req.query("model");
    if (!provider || !model) {
      throw new GatewayError("invalid_request", "provider and model query parameters are required", {
        param: provider ? "model" : "provider",
      });
    }
    return c.json({ id: await deleteCustomModelOp(gw, provider, model), deleted: true });
  });

  return app;
}
