/** @module Custom model operations shared by /api/provider-models and the dashboard's provider page. */
import { z } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { deleteProviderModel, upsertProviderModel } from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { validate } from "../routes/ingress.ts";

const customModelSchema = z.strictObject({
  provider: z.string().min(1),
  modelId: z.string().min(1).max(256),
  modelName: z.string().max(256).optional(),
});

export function providerIdOf(gw: Gateway, name: string): string {
  const spec = gw.state.registry.get(name);
  if (!spec) throw new GatewayError("invalid_request", `unknown provider "${name}"`, { param: "provider" });
  return spec.id;
}

export async function addCustomModelOp(
  gw: Gateway,
  body: unknown,
): Promise<{ provider: string; modelId: string; modelName: string | null }> {
  const input = validate(customModelSchema, body);
  const provider = providerIdOf(gw, input.provider);
  upsertProviderModel(gw.db, { provider, modelId: input.modelId, modelName: input.modelName ?? null }, gw.now());
  await gw.reload();
  return { provider, modelId: input.modelId, modelName: input.modelName ?? null };
}

export async function deleteCustomModelOp(gw: Gateway, provider: string, model: string): Promise<string> {
  const id = providerIdOf(gw, provider);
  if (!deleteProviderModel(gw.db, id, model)) throw new GatewayError("not_found", `no custom model ${model} for ${id}`);
  await gw.reload();
  return `${id}/${model}`;
}
