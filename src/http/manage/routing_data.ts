/**
 * @module Combo and alias operations shared by /api/combos, /api/aliases and the dashboard: validated saves that
 * refuse cycles (checked on a trial state before anything is written) and file-owned entries.
 */
import { z } from "../packages.ts";
import { comboEntrySchema } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import { resolveTargets } from "../../routing/resolve.ts";
import type { GatewayState } from "../../routing/state.ts";
import {
  type AliasRow,
  type ComboRow,
  deleteAlias,
  deleteCombo,
  getCombo,
  listAliases,
  upsertAlias,
  upsertCombo,
} from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { validate } from "../routes/ingress.ts";

const aliasSchema = z.strictObject({ pattern: z.string().min(1).max(256), target: z.string().min(1).max(256) });

/** Throws when the candidate state has a name that resolves in a cycle. */
function assertNoCycle(state: GatewayState, names: string[]): void {
  for (const name of names) {
    try {
      resolveTargets(state, name);
    } catch (err) {
      if (err instanceof GatewayError && err.message.includes("cycle")) {
        throw new GatewayError("invalid_request", `saving this would make "${name}" resolve in a cycle`, {
          param: "models",
        });
      }
    }
  }
}

export function mustGetCombo(gw: Gateway, id: string): ComboRow {
  const row = getCombo(gw.db, id);
  if (!row) throw new GatewayError("not_found", `no combo ${id}`);
  return row;
}

/** Creates a combo, or replaces `existing` (which may be renamed). */
export async function saveComboOp(gw: Gateway, body: unknown, existing?: ComboRow): Promise<ComboRow> {
  const input = validate(comboEntrySchema, {
    ...(existing ? { name: existing.name } : {}),
    ...(body as Record<string, unknown>),
  });
  const prior = getCombo(gw.db, input.name);
  if (prior?.source === "file") {
    throw new GatewayError("invalid_request", "this combo comes from the config file", { status: 409 });
  }
  if (prior && (!existing || prior.id !== existing.id)) {
    throw new GatewayError("invalid_request", `a combo named "${input.name}" exists`, { param: "name", status: 409 });
  }
  const models = input.models.map((m) => typeof m === "string" ? { model: m, weight: 1 } : m);
  const trial: GatewayState = { ...gw.state, combos: new Map(gw.state.combos) };
  trial.combos.set(input.name, {
    id: "trial",
    name: input.name,
    strategy: input.strategy,
    models,
    source: "api",
    createdAt: 0,
    updatedAt: 0,
  });
  if (existing && existing.name !== input.name) trial.combos.delete(existing.name);
  assertNoCycle(trial, [...trial.combos.keys()]);
  if (existing && existing.name !== input.name) deleteCombo(gw.db, existing.id);
  const row = upsertCombo(gw.db, { name: input.name, strategy: input.strategy, models, source: "api" }, gw.now());
  await gw.reload();
  return row;
}

export async function deleteComboOp(gw: Gateway, id: string): Promise<ComboRow> {
  const row = mustGetCombo(gw, id);
  if (row.source === "file") {
    throw new GatewayError("invalid_request", "this combo comes from the config file", { status: 409 });
  }
  deleteCombo(gw.db, row.id);
  await gw.reload();
  return row;
}

export async function saveAliasOp(gw: Gateway, body: unknown): Promise<{ pattern: string; target: string }> {
  const input = validate(aliasSchema, body);
  const prior = listAliases(gw.db).find((a) => a.pattern === input.pattern);
  if (prior?.source === "file") {
    throw new GatewayError("invalid_request", "this alias comes from the config file", { status: 409 });
  }
  const trial: GatewayState = {
    ...gw.state,
    aliases: [...gw.state.aliases.filter((a) => a.pattern !== input.pattern), {
      ...input,
      source: "api",
      createdAt: 0,
    }],
  };
  assertNoCycle(trial, [input.pattern]);
  upsertAlias(gw.db, { ...input, source: "api" }, gw.now());
  await gw.reload();
  return input;
}

export async function deleteAliasOp(gw: Gateway, pattern: string): Promise<AliasRow> {
  const prior = listAliases(gw.db).find((a) => a.pattern === pattern);
  if (!prior) throw new GatewayError("not_found", `no alias ${pattern}`);
  if (prior.source === "file") {
    throw new GatewayError("invalid_request", "this alias comes from the config file", { status: 409 });
  }
  deleteAlias(gw.db, pattern);
  await gw.reload();
  return prior;
}
