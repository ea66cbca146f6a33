/**
 * @module The combos & aliases page's view model: combos with ordered entries, aliases, the fallback chain, the
 * route preview rows; plus the pure form mappings (entries text ⇄ list, move up/down).
 */

export interface ComboInfo {
  id: string;
  name: string;
  strategy: string;
  models: Array<{ model: string; weight: number }>;
  source: string;
}

export interface ComboView {
  id: string;
  name: string;
  strategy: string;
  weighted: boolean;
  entries: Array<{ index: number; model: string; weight: number; first: boolean; last: boolean }>;
  entriesText: string;
  readOnly: boolean;
}

export interface PreviewInput {
  name: string;
  error?: string;
  targets: Array<{ provider: string; model: string }>;
  candidates: Array<{ provider: string; connection: string; model: string; status: string; statusClass: string }>;
}

export interface CombosModel {
  combos: ComboView[];
  aliases: Array<{ pattern: string; target: string; wildcard: boolean; readOnly: boolean }>;
  fallbackText: string;
  fallbackLocked: boolean;
  strategies: Array<{ value: string; label: string }>;
  preview: PreviewInput | null;
}

export function combosModel(input: {
  combos: ComboInfo[];
  aliases: Array<{ pattern: string; target: string; source: string }>;
  fallbackChain: string[];
  fallbackLocked: boolean;
  strategies: readonly string[];
  preview?: PreviewInput | null;
}): CombosModel {
  return {
    combos: input.combos.map((c) => ({
      id: c.id,
      name: c.name,
      strategy: c.strategy,
      weighted: c.strategy === "weighted",
      entries: c.models.map((m, i) => ({
        index: i,
        model: m.model,
        weight: m.weight,
        first: i === 0,
        last: i === c.models.length - 1,
      })),
      entriesText: entriesText(c.models),
      readOnly: c.source === "file",
    })),
    aliases: input.aliases.map((a) => ({
      pattern: a.pattern,
      target: a.target,
      wildcard: /[*?]/.test(a.pattern),
      readOnly: a.source === "file",
    })),
    fallbackText: input.fallbackChain.join("\n"),
    fallbackLocked: input.fallbackLocked,
    strategies: input.strategies.map((s) => ({ value: s, label: s })),
    preview: input.preview ?? null,
  };
}

/** One entry per line: `model` or `model weight`. */
export function entriesText(models: Array<{ model: string; weight: number }>): string {
  return models.map((m) => (m.weight === 1 ? m.model : `${m.model} ${m.weight}`)).join("\n");
}

/** Parses the entries textarea; a bad weight stays NaN so validation names the entry. */
export function parseEntries(text: string): Array<{ model: string; weight: number }> {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "").map((line) => {
    const [model, weight] = line.split(/\s+/, 2);
    return { model, weight: weight === undefined ? 1 : Number(weight) };
  });
}

/** Moves entry `index` one place up or down; out-of-range moves return the list unchanged. */
export function moveEntry<T>(list: readonly T[], index: number, dir: "up" | "down"): T[] {
  const to = dir === "up" ? index - 1 : index + 1;
  const out = [...list];
  if (!Number.isInteger(index) || index < 0 || index >= list.length || to < 0 || to >= list.length) return out;
  [out[index], out[to]] = [out[to], out[index]];
  return out;
}

/** `models[2].weight` → the `models` field (the entries textarea). */
export function comboField(param: string): string {
  return param.split(/[.[]/)[0];
}
