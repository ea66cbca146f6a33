/**
 * @module The dashboard's page list: one entry per page that exists (no placeholders). A new page adds its entry
 * here, in reading order; the layout renders the nav from `navModel()`.
 */

export interface NavEntry {
  id: string;
  href: string;
  label: string;
}

export const NAV: readonly NavEntry[] = [
  { id: "overview", href: "/", label: "Overview" },
  { id: "providers", href: "/providers", label: "Providers" },
  { id: "combos", href: "/combos", label: "Combos & aliases" },
  { id: "keys", href: "/keys", label: "API keys" },
  { id: "logs", href: "/logs", label: "Logs" },
  { id: "usage", href: "/usage", label: "Usage" },
  { id: "health", href: "/health", label: "Health" },
  { id: "translator", href: "/translator", label: "Translator" },
  { id: "cli-tools", href: "/cli-tools", label: "CLI tools" },
  { id: "settings", href: "/settings", label: "Settings" },
  { id: "account", href: "/account", label: "Account" },
];

export interface NavItem extends NavEntry {
  current: boolean;
}

/** The nav with the active page marked (`aria-current="page"` in the layout). */
export function navModel(active: string): NavItem[] {
  return NAV.map((e) => ({ ...e, current: e.id === active }));
}
