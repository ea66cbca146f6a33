/**
 * @module The settings page's view model: the fields of each tab (described once: label, type, path in the settings
 * object), their current values with file-locked ones read-only, and the form → PATCH body mapping. Settings whose
 * feature does not exist yet are not described (so not shown).
 */
import { ACCOUNT_STRATEGIES, COMBO_STRATEGIES, THINKING_EFFORTS, THINKING_MODES } from "../config/schema.ts";

export const SETTINGS_TABS = [
  { id: "security", label: "Security" },
  { id: "routing", label: "Routing" },
  { id: "resilience", label: "Resilience" },
  { id: "ai", label: "AI" },
  { id: "advanced", label: "Advanced / system" },
] as const;
export type SettingsTab = typeof SETTINGS_TABS[number]["id"];

type Kind = "bool" | "int" | "number" | "lines" | "select" | "text" | "textarea" | "json" | "checks";

export interface FieldSpec {
  /** Dotted path in the settings object; also the form field's name. */
  path: string;
  label: string;
  kind: Kind;
  hint?: string;
  options?: readonly string[];
  /** Fieldset this field is shown in. */
  group?: string;
}

const opts = (list: readonly string[]) => list;
const PROFILE_FIELDS: Array<[string, string]> = [
  ["failureThreshold", "Failures to open"],
  ["openMs", "Open for (ms)"],
  ["maxOpenMs", "Longest open (ms)"],
  ["credentialCooldownMs", "Credential cooldown (ms)"],
  ["quotaCooldownMs", "Quota cooldown (ms)"],
  ["modelLockoutMs", "Model lockout (ms)"],
  ["backoffBaseMs", "Backoff base (ms)"],
  ["backoffMaxMs", "Backoff max (ms)"],
];

export function settingsFields(tab: SettingsTab, providers: readonly string[] = []): FieldSpec[] {
  switch (tab) {
    case "security":
      return [
        {
          path: "security.ipAllowList",
          label: "IP allow list",
          kind: "lines",
          group: "IP access control",
          hint: "One address or CIDR range per line (10.0.0.0/8, 2001:db8::/32). When not empty, only these may " +
            "call the gateway; this machine (loopback, no proxy) always may.",
        },
        {
          path: "security.ipDenyList",
          label: "IP deny list",
          kind: "lines",
          group: "IP access control",
          hint: "These addresses are refused, even inside an allowed range.",
        },
        {
          path: "security.requireApiKeyForModels",
          label: "Require an API key for /v1/models",
          kind: "bool",
          hint: "The model lists (/v1/models, /v1beta/models) need a gateway key even where inference does not.",
        },
        {
          path: "security.blockedProviders",
          label: "Blocked providers",
          kind: "checks",
          options: providers,
          hint: "Requests never go to a blocked provider, whatever the model name or combo says.",
        },
      ];
    case "routing":
      return [
        {
          path: "routing.accountStrategy",
          label: "Account strategy (default for every provider)",
          kind: "select",
          options: opts(ACCOUNT_STRATEGIES),
        },
        {
          path: "routing.stickyLimit",
          label: "Sticky limit (round-robin)",
          kind: "int",
          hint: "Requests sent to one account before round-robin moves on.",
        },
        {
          path: "routing.comboStrategy",
          label: "Combo default strategy",
          kind: "select",
          options: opts(COMBO_STRATEGIES),
          hint: "For combos that name none.",
        },
        {
          path: "routing.fallbackChain",
          label: "Global fallback chain",
          kind: "lines",
          hint: "One model per line, tried in order after every target of the request failed.",
        },
      ];
    case "resilience":
      return [
        { path: "resilience.requestTimeoutMs", label: "Request timeout (ms)", kind: "int", group: "Timeouts" },
        { path: "resilience.streamIdleTimeoutMs", label: "Stream idle timeout (ms)", kind: "int", group: "Timeouts" },
        { path: "resilience.heartbeatMs", label: "Stream heartbeat (ms, 0 = never)", kind: "int", group: "Timeouts" },
        ...["oauth", "apikey", "local"].flatMap((p) =>
          PROFILE_FIELDS.map(([k, label]) => ({
            path: `resilience.profiles.${p}.${k}`,
            label,
            kind: "int" as const,
            group: `Breaker profile: ${p}`,
          }))
        ),
        {
          path: "resilience.rateLimits.rpm",
          label: "Requests per minute (0 = no limit)",
          kind: "int",
          group: "Rate limits",
        },
        {
          path: "resilience.rateLimits.minGapMs",
          label: "Least gap between requests (ms)",
          kind: "int",
          group: "Rate limits",
        },
        {
          path: "resilience.rateLimits.maxConcurrent",
          label: "Concurrent (0 = no limit)",
          kind: "int",
          group: "Rate limits",
        },
        { path: "resilience.rateLimits.queueSize", label: "Queue size", kind: "int", group: "Rate limits" },
        {
          path: "resilience.rateLimits.queueTimeoutMs",
          label: "Queue timeout (ms)",
          kind: "int",
          group: "Rate limits",
        },
        {
          path: "resilience.rateLimitOverrides",
          label: "Overrides by provider or connection (JSON)",
          kind: "json",
          group: "Rate limits",
          hint: 'e.g. {"openai": {"rpm": 60}, "openai/work": {"maxConcurrent": 2}}',
        },
      ];
    case "ai":
      return [
        {
          path: "ai.systemPrompt",
          label: "Global system prompt",
          kind: "textarea",
          hint: "Empty = none. A key may opt out.",
        },
        { path: "ai.systemPromptMode", label: "Put it", kind: "select", options: ["prepend", "append"] },
        { path: "ai.thinkingMode", label: "Thinking", kind: "select", options: opts(THINKING_MODES) },
        { path: "ai.thinkingBudget", label: "Thinking budget (tokens, mode budget)", kind: "int" },
        {
          path: "ai.thinkingEffort",
          label: "Thinking effort (mode effort)",
          kind: "select",
          options: opts(THINKING_EFFORTS),
        },
      ];
    case "advanced":
      return [
        { path: "advanced.timezone", label: "Time zone of budget periods (IANA)", kind: "text" },
        { path: "advanced.maxBodyMb", label: "Largest request body (MB)", kind: "number" },
        { path: "advanced.idempotencyWindowMs", label: "Idempotency window (ms)", kind: "int" },
        { path: "advanced.cacheEnabled", label: "Response cache for deterministic requests", kind: "bool" },
        { path: "advanced.cacheTtlMs", label: "Response cache TTL (ms)", kind: "int" },
        { path: "advanced.usageMaxAgeDays", label: "Keep usage rows (days)", kind: "int", group: "Retention" },
        { path: "advanced.usageMaxRows", label: "Keep at most (usage rows)", kind: "int", group: "Retention" },
        { path: "advanced.bodiesMaxAgeDays", label: "Keep logged bodies (days)", kind: "int", group: "Retention" },
        { path: "advanced.bodiesMaxRows", label: "Keep at most (logged bodies)", kind: "int", group: "Retention" },
      ];
  }
}

function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** `section.key` (the unit the config file locks) of a field path. */
export function lockKey(path: string): string {
  return path.split(".").slice(0, 2).join(".");
}

export function fieldId(path: string): string {
  return `s-${path.replaceAll(".", "-")}`;
}

export interface FieldView {
  id: string;
  name: string;
  label: string;
  type: string;
  value: string;
  checked?: boolean;
  options?: Array<{ value: string; label: string; checked?: boolean }>;
  hint?: string;
  error?: string;
  locked: boolean;
  rows?: number;
}

function show(spec: FieldSpec, value: unknown): Pick<FieldView, "type" | "value" | "checked" | "options" | "rows"> {
  switch (spec.kind) {
    case "bool":
      return { type: "checkbox", value: "on", checked: value === true };
    case "int":
    case "number":
      return { type: "number", value: String(value ?? "") };
    case "lines":
      return { type: "textarea", value: ((value as string[]) ?? []).join("\n"), rows: 4 };
    case "json":
      return { type: "textarea", value: JSON.stringify(value ?? {}, null, 2), rows: 5 };
    case "textarea":
      return { type: "textarea", value: String(value ?? ""), rows: 6 };
    case "select":
      return {
        type: "select",
        value: String(value ?? ""),
        options: spec.options!.map((o) => ({ value: o, label: o })),
      };
    case "checks": {
      const on = new Set((value as string[]) ?? []);
      return {
        type: "checks",
        value: "",
        options: [...new Set([...spec.options!, ...on])].map((o) => ({ value: o, label: o, checked: on.has(o) })),
      };
    }
    default:
      return { type: "text", value: String(value ?? "") };
  }
}

/** The fields of a tab with current (or re-filled) values; fields the config file sets are read-only. */
export function settingsFieldViews(input: {
  tab: SettingsTab;
  settings: unknown;
  locked: ReadonlySet<string>;
  providers?: readonly string[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
}): Array<{ group: string; fields: FieldView[] }> {
  const groups: Array<{ group: string; fields: FieldView[] }> = [];
  for (const spec of settingsFields(input.tab, input.providers)) {
    const refill = input.values?.[spec.path];
    const view: FieldView = {
      id: fieldId(spec.path),
      name: spec.path,
      label: spec.label,
      hint: spec.hint,
      error: input.errors?.[spec.path],
      locked: input.locked.has(lockKey(spec.path)),
      ...show(spec, getPath(input.settings, spec.path)),
    };
    if (refill !== undefined && spec.kind !== "bool" && spec.kind !== "checks") view.value = refill;
    const name = spec.group ?? "";
    const g = groups.find((x) => x.group === name) ?? (groups.push({ group: name, fields: [] }), groups.at(-1)!);
    g.fields.push(view);
  }
  return groups;
}

export interface FormReader {
  text(name: string): string;
  all(name: string): string[];
  has(name: string): boolean;
}

/**
 * The PATCH body for a tab's form: locked fields are left out; blank numbers become NaN (so validation names the
 * field); bad JSON is returned as a field error instead of a patch.
 */
export function settingsPatch(
  tab: SettingsTab,
  form: FormReader,
  locked: ReadonlySet<string>,
): { patch: Record<string, unknown>; errors: Record<string, string> } {
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of settingsFields(tab)) {
    if (locked.has(lockKey(spec.path))) continue;
    const raw = form.text(spec.path);
    let value: unknown;
    switch (spec.kind) {
      case "bool":
        value = form.has(spec.path);
        break;
      case "int":
      case "number":
        value = raw === "" ? NaN : Number(raw);
        break;
      case "lines":
        value = raw.split("\n").map((s) => s.trim()).filter((s) => s !== "");
        break;
      case "checks":
        value = form.all(spec.path);
        break;
      case "json":
        try {
          value = raw === "" ? {} : JSON.parse(raw);
        } catch (err) {
          errors[spec.path] = `Not valid JSON: ${(err as Error).message}`;
          continue;
        }
        break;
      default:
        value = spec.kind === "textarea" ? form.text(spec.path) : raw;
    }
    setPath(patch, spec.path, value);
  }
  return { patch, errors };
}
