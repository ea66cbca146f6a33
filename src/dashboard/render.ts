/** @module Eta set-up: templates from views/ through the one asset resolver; auto-escaping on. */
import { Eta } from "eta";
import { assetDir } from "../assets.ts";

export interface Renderer {
  /** Renders `pages/<name>.eta` (a full HTML page through the layout) with plain data (no db handles). */
  page(name: string, data: Record<string, unknown>): string;
  /** Renders `partials/<name>.eta`: the fragment an htmx request swaps in. */
  partial(name: string, data: Record<string, unknown>): string;
}

export function createRenderer(): Renderer {
  const eta = new Eta({ views: assetDir("views"), cache: true, autoEscape: true });
  return {
    page: (name, data) => eta.render(`./pages/${name}`, data),
    partial: (name, data) => eta.render(`./partials/${name}`, data),
  };
}
