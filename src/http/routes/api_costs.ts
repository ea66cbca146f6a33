/**
 * @module /api/pricing (list prices and overrides, USD per 1M tokens) and /api/usage/budget (per-key daily, weekly,
 * monthly budgets, as OmniRoute's guide has them: POST {keyId, limit, period}, GET → data).
 */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import { type Period, PERIODS } from "../../usage/periods.ts";
import {
  type Budget,
  deletePrice,
  getApiKey,
  listApiKeys,
  listPrices,
  updateApiKey,
  upsertPrice,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { readJsonObject, validate } from "./ingress.ts";

const price = z.number().min(0).max(100_000);
const priceSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  input: price,
  output: price,
  cachedInput: price.nullable().optional(),
});

const budgetSchema = z.strictObject({
  keyId: z.string().min(1),
  period: z.enum(PERIODS as unknown as [Period, ...Period[]]),
  /** USD; null removes this period's limit. */
  limit: z.number().positive().max(1_000_000).nullable(),
  warnAt: z.number().min(0).max(1).optional(),
});

export function costRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function providerId(name: string): string {
    const spec = gw.state.registry.get(name);
    if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
    return spec.id;
  }

  app.get("/api/pricing", (c) => {
    const overrides = new Map(listPrices(gw.db).map((p) => [`${p.provider}/${p.model}`, p]));
    const data: Array<Record<string, unknown>> = [];
    for (const provider of gw.state.registry.providers) {
      for (const m of provider.models) {
        const id = `${provider.id}/${m.id}`;
        const o = overrides.get(id);
        overrides.delete(id);
        if (!o && !m.price) continue;
        data.push({
          id,
          provider: provider.id,
          model: m.id,
          input: o?.input ?? m.price!.input,
          output: o?.output ?? m.price!.output,
          cachedInput: o ? o.cachedInput : m.price?.cachedInput ?? null,
          source: o ? "custom" : "catalog",
          catalog: m.price ?? null,
        });
      }
    }
    for (const [id, o] of overrides) {
      data.push({
        id,
        provider: o.provider,
        model: o.model,
        input: o.input,
        output: o.output,
        cachedInput: o.cachedInput,
        source: "custom",
        catalog: null,
      });
    }
    return c.json({ data, unit: "USD per 1M tokens" });
  });

  const save = async (c: import("hono").Context<AppEnv>): Promise<Response> => {
    const input = validate(priceSchema, await readJsonObject(c));
    const provider = providerId(input.provider);
    upsertPrice(gw.db, {
      provider,
      model: input.model,
      input: input.input,
      output: input.output,
      cachedInput: input.cachedInput ?? null,
    }, gw.now());
    await gw.reload();
    return c.json({
      id: `${provider}/${input.model}`,
      provider,
      model: input.model,
      input: input.input,
      output: input.output,
      cachedInput: input.cachedInput ?? null,
      source: "custom",
    });
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
    const id = providerId(provider);
    if (!deletePrice(gw.db, id, model)) throw new GatewayError("not_found", `no price override for ${id}/${model}`);
    await gw.reload();
    return c.json({ id: `${id}/${model}`, deleted: true });
  });

  app.get("/api/usage/budget", (c) => {
    const only = c.req.query("keyId");
    const data = [];
    for (const key of listApiKeys(gw.db)) {
      if (!key.budget || (only && key.id !== only)) continue;
      for (const s of gw.budgets.status(key.id, key.budget)) data.push({ ...s, keyName: key.name });
    }
    return c.json({ data });
  });

  app.post("/api/usage/budget", async (c) => {
    const input = validate(budgetSchema, await readJsonObject(c));
    const key = getApiKey(gw.db, input.keyId);
    if (!key) throw new GatewayError("not_found", `no API key ${input.keyId}`, { param: "keyId" });
    if (key.source === "file") {
      throw new GatewayError("invalid_request", "this key's budget comes from the config file; edit the file instead", {
        status: 409,
      });
    }
    const budget: Budget = { ...(key.budget ?? {}) };
    if (input.limit === null) delete budget[input.period];
    else budget[input.period] = input.limit;
    if (input.warnAt !== undefined) budget.warnAt = input.warnAt;
    const empty = budget.daily === undefined && budget.weekly === undefined && budget.monthly === undefined;
    updateApiKey(gw.db, key.id, { ...key, budget: empty ? null : budget });
    await gw.reload();
    return c.json({
      keyId: key.id,
      budget: empty ? null : budget,
      data: empty ? [] : gw.budgets.status(key.id, budget),
    });
  });

  return app;
}
