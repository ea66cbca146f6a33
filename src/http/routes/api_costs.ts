/**
 * @module /api/pricing (list prices and overrides, USD per 1M tokens) and /api/usage/budget (per-key daily, weekly,
 * monthly budgets, as OmniRoute's guide has them: POST {keyId, limit, period}, GET → data). The logic lives in
 * manage/costs.ts, shared with the dashboard's usage page.
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { GatewayError } from "../../core/errors.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { budgetList, deletePriceOp, priceList, savePriceOp, setBudgetOp } from "../manage/costs.ts";
import { readJsonObject } from "./ingress.ts";

export function costRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/pricing", (c) => c.json({ data: priceList(gw), unit: "USD per 1M tokens" }));

  const save = async (c: Context<AppEnv>): Promise<Response> => {
    const { catalog: _catalog, ...saved } = await savePriceOp(gw, await readJsonObject(c));
    return c.json(saved);
  };
  app.post("/api/pricing", save);
  app.put("/api/pricing", save);

  app.delete("/api/pricing", async (c) => {
    const provider = c.req.query("provider");
    const model = c.req.query("model");
    if (!provider || !model) {
      throw new GatewayError("invalid_request", "provider and model query parameters are required", {
        param: provider ? "model" : "provider",
      });
    }
    return c.json({ id: await deletePriceOp(gw, provider, model), deleted: true });
  });

  app.get("/api/usage/budget", (c) => c.json({ data: budgetList(gw, c.req.query("keyId")) }));

  app.post("/api/usage/budget", async (c) => {
    const { keyId, budget } = await setBudgetOp(gw, await readJsonObject(c));
    return c.json({ keyId, budget, data: budget ? gw.budgets.status(keyId, budget) : [] });
  });

  return app;
}
