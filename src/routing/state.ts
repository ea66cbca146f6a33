/**
 * @module The gateway's runtime view of its configuration, built once per change (never per request):
 * registry, decrypted connections by provider, key hashes, combos, aliases and effective settings.
 */
import { DEFAULT_SETTINGS, mergeSettings, type Settings, type SettingsPatch } from "../config/schema.ts";
import { createRegistry, type ProviderSpec, type Registry } from "../providers/mod.ts";
import {
  type AliasRow,
  type ApiKeyRow,
  type Cipher,
  type ComboRow,
  type Db,
  listAliases,
  listApiKeys,
  listCombos,
  listConnections,
  listCustomProviders,
  listPrices,
  listProviderModels,
  readSettingsRows,
} from "../store/mod.ts";

export interface RuntimeConnection {
  id: string;
  provider: ProviderSpec;
  name: string;
  apiKey: string | undefined;
  baseUrl: string;
  priority: number;
  enabled: boolean;
  /** When set, the only models this connection serves. */
  models: string[] | null;
  proxy: string | null;
}

/** USD per 1M tokens. */
export interface Price {
  input: number;
  output: number;
  cachedInput?: number;
}

export interface GatewayState {
  registry: Registry;
  /** Enabled connections by provider id, best priority first. */
  connections: Map<string, RuntimeConnection[]>;
  keysByHash: Map<string, ApiKeyRow>;
  combos: Map<string, ComboRow>;
  aliases: AliasRow[];
  /** User-added model ids by provider id (`/api/provider-models`). */
  customModels: Map<string, string[]>;
  settings: Settings;
  /** Prices in force by `provider/model`: overrides (`/api/pricing`) over the catalog's list prices. */
  prices: Map<string, Price>;
  /** Setting paths fixed by the config file (`routing.accountStrategy`): read-only for the API. */
  lockedSettings: Set<string>;
}

/** Defaults, then stored sections, then the config file's settings (which win over dashboard edits). */
export function effectiveSettings(
  stored: Record<string, Record<string, unknown>>,
  file: SettingsPatch | undefined,
): { settings: Settings; locked: Set<string> } {
  // Nested objects (profiles, rateLimits) merge key by key: a stored partial profile keeps the preset's other keys.
  let settings = structuredClone(DEFAULT_SETTINGS) as Settings;
  const locked = new Set<string>();
  for (const section of Object.keys(settings) as Array<keyof Settings>) {
    if (stored[section]) settings = mergeSettings(settings, { [section]: stored[section] });
    const fromFile = file?.[section] as Record<string, unknown> | undefined;
    if (fromFile) {
      settings = mergeSettings(settings, { [section]: fromFile });
      for (const key of Object.keys(fromFile)) locked.add(`${section}.${key}`);
    }
  }
  return { settings, locked };
}

/** Reads everything from the store and decrypts the secrets (async: WebCrypto). */
export async function buildState(
  db: Db,
  cipher: Cipher,
  fileSettings: SettingsPatch | undefined,
): Promise<GatewayState> {
  const custom = listCustomProviders(db);
  const registry = createRegistry(custom);
  const connections = new Map<string, RuntimeConnection[]>();
  const add = (c: RuntimeConnection): void => {
    const list = connections.get(c.provider.id) ?? [];
    list.push(c);
    connections.set(c.provider.id, list);
  };
  for (const row of listConnections(db)) {
    const provider = registry.get(row.provider);
    if (!provider || !row.enabled) continue;
    add({
      id: row.id,
      provider,
      name: row.name,
      apiKey: row.apiKeyEnc ? await cipher.decrypt(row.apiKeyEnc) : undefined,
      baseUrl: row.baseUrl ?? provider.defaultBaseUrl,
      priority: row.priority,
      enabled: row.enabled,
      models: row.models,
      proxy: row.proxy,
    });
  }
  // A custom provider is usable on its own (local servers need no key): it acts as its own last connection.
  for (const row of custom) {
    const provider = registry.get(row.id);
    if (!provider || provider.id !== row.id) continue;
    add({
      id: `custom:${row.id}`,
      provider,
      name: "default",
      apiKey: row.apiKeyEnc ? await cipher.decrypt(row.apiKeyEnc) : undefined,
      baseUrl: row.baseUrl,
      priority: 1000,
      enabled: true,
      models: null,
      proxy: null,
    });
  }
  for (const list of connections.values()) list.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  const keysByHash = new Map(listApiKeys(db).map((k) => [k.keyHash, k]));
  const combos = new Map(listCombos(db).map((c) => [c.name, c]));
  const customModels = new Map<string, string[]>();
  for (const m of listProviderModels(db)) {
    const list = customModels.get(m.provider) ?? [];
    list.push(m.modelId);
    customModels.set(m.provider, list);
  }
  const { settings, locked } = effectiveSettings(readSettingsRows(db), fileSettings);
  const prices = new Map<string, Price>();
  for (const p of registry.providers) for (const m of p.models) if (m.price) prices.set(`${p.id}/${m.id}`, m.price);
  for (const o of listPrices(db)) {
    prices.set(`${o.provider}/${o.model}`, {
      input: o.input,
      output: o.output,
      cachedInput: o.cachedInput ?? undefined,
    });
  }
  return {
    registry,
    connections,
    keysByHash,
    combos,
    aliases: listAliases(db),
    customModels,
    settings,
    prices,
    lockedSettings: locked,
  };
}
