/** @module Which models exist and which are usable: the data behind /v1/models, /api/models and the catalog. */
import type { ModelInfo } from "../../providers/mod.ts";
import type { GatewayState } from "../../routing/state.ts";

export interface ListedModel {
  id: string;
  provider: string;
  model: string;
  ownedBy: string;
  type: ModelInfo["type"] | "combo" | "alias";
  active: boolean;
  custom: boolean;
  context?: number;
  price?: ModelInfo["price"];
}

/** Every known model of every provider (built-in catalog, user-added, connection lists), with `active`. */
export function listAllModels(state: GatewayState): ListedModel[] {
  const out: ListedModel[] = [];
  for (const provider of state.registry.providers) {
    const connections = state.connections.get(provider.id) ?? [];
    const active = connections.length > 0;
    const seen = new Set<string>();
    const push = (info: ModelInfo, custom: boolean): void => {
      if (seen.has(info.id)) return;
      seen.add(info.id);
      out.push({
        id: `${provider.prefix}/${info.id}`,
        provider: provider.id,
        model: info.id,
        ownedBy: provider.id,
        type: info.type,
        active,
        custom,
        context: info.context,
        price: info.price,
      });
    };
    for (const m of provider.models) push(m, provider.custom === true);
    for (const id of state.customModels.get(provider.id) ?? []) push({ id, type: "chat" }, true);
    for (const c of connections) for (const id of c.models ?? []) push({ id, type: "chat" }, true);
  }
  return out;
}

/** Active provider models plus combos and aliases (what a client may ask for). */
export function listActiveModels(state: GatewayState): ListedModel[] {
  const out = listAllModels(state).filter((m) => m.active);
  for (const combo of state.combos.values()) {
    out.push({
      id: combo.name,
      provider: "combo",
      model: combo.name,
      ownedBy: "switchyard",
      type: "combo",
      active: true,
      custom: true,
    });
  }
  for (const alias of state.aliases) {
    if (/[*?]/.test(alias.pattern)) continue;
    out.push({
      id: alias.pattern,
      provider: "alias",
      model: alias.target,
      ownedBy: "switchyard",
      type: "alias",
      active: true,
      custom: true,
    });
  }
  return out;
}
