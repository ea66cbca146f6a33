/**
 * @module View models of the providers catalog and one provider's page: connections (keys as hints only, never the
 * key), their health, custom models and the account strategy override. Input is plain data; no store handles.
 */
import { formatDuration } from "./format.ts";

export interface ProviderInfo {
  id: string;
  prefix: string;
  name: string;
  format: string;
  custom: boolean;
  defaultBaseUrl: string;
  models: number;
}

export interface ConnectionInfo {
  id: string;
  provider: string;
  name: string;
  keyHint: string | null;
  baseUrl: string | null;
  priority: number;
  enabled: boolean;
  models: string[] | null;
  source: string;
}

export interface HealthInfo {
  state: string;
  openUntil: number | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  lockouts: number;
}

export interface CatalogRow extends ProviderInfo {
  connections: number;
  enabledConnections: number;
  status: string;
  statusClass: string;
}

/** One connection's status word and class: disabled, breaker open, cooling down, or ok. */
export function connectionStatus(
  now: number,
  enabled: boolean,
  h: HealthInfo | undefined,
): { status: string; statusClass: string } {
  if (!enabled) return { status: "disabled", statusClass: "muted" };
  if (h && h.state !== "closed") return { status: `breaker ${h.state.replace("_", "-")}`, statusClass: "bad" };
  if (h?.cooldownUntil && h.cooldownUntil > now) {
    return { status: `cooling down ${formatDuration(h.cooldownUntil - now)}`, statusClass: "warn" };
  }
  if (h && h.lockouts > 0) return { status: `${h.lockouts} model lockout(s)`, statusClass: "warn" };
  return { status: "ok", statusClass: "ok" };
}

export function catalogModel(input: {
  now: number;
  providers: ProviderInfo[];
  connections: ConnectionInfo[];
  health: Map<string, HealthInfo>;
}): { rows: CatalogRow[]; configured: number } {
  const rows = input.providers.map((p) => {
    const mine = input.connections.filter((c) => c.provider === p.id);
    const enabled = mine.filter((c) => c.enabled);
    let status = mine.length === 0 ? (p.custom ? "ready (custom)" : "not configured") : "active";
    let statusClass = mine.length === 0 ? (p.custom ? "ok" : "muted") : "ok";
    if (mine.length > 0 && enabled.length === 0) {
      status = "all disabled";
      statusClass = "muted";
    } else if (enabled.length > 0) {
      const bad = enabled.map((c) => connectionStatus(input.now, true, input.health.get(c.id)))
        .filter((s) => s.statusClass !== "ok");
      if (bad.length === enabled.length) ({ status, statusClass } = bad[0]);
      else if (bad.length > 0) {
        status = `active, ${bad.length} degraded`;
        statusClass = "warn";
      }
    }
    return { ...p, connections: mine.length, enabledConnections: enabled.length, status, statusClass };
  });
  // Configured providers first, then the rest by name.
  rows.sort((a, b) => (b.connections > 0 ? 1 : 0) - (a.connections > 0 ? 1 : 0) || a.name.localeCompare(b.name));
  return { rows, configured: rows.filter((r) => r.connections > 0).length };
}

export interface ConnectionView {
  id: string;
  name: string;
  key: string;
  baseUrl: string;
  priority: number;
  enabled: boolean;
  models: string;
  /** Raw values for the edit form. */
  baseUrlValue: string;
  modelsValue: string;
  readOnly: boolean;
  status: string;
  statusClass: string;
}

export interface ProviderPageModel {
  provider: ProviderInfo;
  connections: ConnectionView[];
  customModels: Array<{ id: string; name: string }>;
  builtinModels: string[];
  strategy: { value: string; options: Array<{ value: string; label: string }>; locked: boolean };
}

export function providerPageModel(input: {
  now: number;
  provider: ProviderInfo;
  builtinModels: string[];
  connections: ConnectionInfo[];
  health: Map<string, HealthInfo>;
  customModels: Array<{ modelId: string; modelName: string | null }>;
  strategy: { override: string | undefined; global: string; choices: readonly string[]; locked: boolean };
}): ProviderPageModel {
  return {
    provider: input.provider,
    connections: input.connections
      .filter((c) => c.provider === input.provider.id)
      .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))
      .map((c) => ({
        id: c.id,
        name: c.name,
        key: c.keyHint ?? "no key",
        baseUrl: c.baseUrl ?? `${input.provider.defaultBaseUrl} (default)`,
        priority: c.priority,
        enabled: c.enabled,
        models: c.models?.join(", ") ?? "all",
        baseUrlValue: c.baseUrl ?? "",
        modelsValue: c.models?.join("\n") ?? "",
        readOnly: c.source === "file",
        ...connectionStatus(input.now, c.enabled, input.health.get(c.id)),
      })),
    customModels: input.customModels.map((m) => ({ id: m.modelId, name: m.modelName ?? "" })),
    builtinModels: input.builtinModels,
    strategy: {
      value: input.strategy.override ?? "",
      options: [
        { value: "", label: `Global default (${input.strategy.global})` },
        ...input.strategy.choices.map((s) => ({ value: s, label: s })),
      ],
      locked: input.strategy.locked,
    },
  };
}

/** The API body for a connection form. On edit, an empty key field keeps the stored key. */
export function connectionBody(
  form: { name: string; apiKey: string; baseUrl: string; priority: string; models: string[]; enabled: boolean },
  options: { provider?: string; editing: boolean; removeKey?: boolean },
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name,
    enabled: form.enabled,
    priority: form.priority === "" ? 1 : Number(form.priority),
  };
  if (options.provider) body.provider = options.provider;
  if (options.removeKey) body.apiKey = null;
  else if (form.apiKey !== "") body.apiKey = form.apiKey;
  if (form.baseUrl !== "") body.baseUrl = form.baseUrl;
  else if (options.editing) body.baseUrl = null;
  if (form.models.length > 0) body.models = form.models;
  else if (options.editing) body.models = null;
  return body;
}
