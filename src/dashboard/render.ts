/**
 * @module Eta set-up: templates from views/ through the one asset resolver; auto-escaping on. Eta is loaded on the
 * first dashboard request (`ensureViews`), not at start: the proxy never needs it, and it is a fifth of the
 * module graph's evaluation time.
 */
import type { Eta } from "eta";
import { assetDir } from "../assets.ts";

export interface Renderer {
  /** Renders `pages/<name>.eta` (a full HTML page through the layout) with plain data (no db handles). */
  page(name: string, data: Record<string, unknown>): string;
  /** Renders `partials/<name>.eta`: the fragment an htmx request swaps in. */
  partial(name: string, data: Record<string, unknown>): string;
}

let eta: Eta | undefined;
let loading: Promise<void> | undefined;

/** Loads the template engine once; every handler that renders awaits this first (cheap once loaded). */
export function ensureViews(): Promise<void> {
  loading ??= import("eta").then((m) => {
    eta = new m.Eta({ views: assetDir("views"), cache: true, autoEscape: true });
  });
  return loading;
}

function engine(): Eta {
  if (!eta) throw new Error("views are not loaded yet: await ensureViews() before rendering");
  return eta;
}

export function createRenderer(): Renderer {
  return {
    page: (name, data) => engine().render(`./pages/${name}`, data),
    partial: (name, data) => engine().render(`./partials/${name}`, data),
  };
}
