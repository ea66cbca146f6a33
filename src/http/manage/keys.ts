/** @module Gateway API key operations shared by /api/keys and the dashboard: create (key returned once), update, delete. */
import { z } from "../packages.ts";
import { apiKeyOptionsSchema, budgetSchema, SCOPES } from "../../config/schema.ts";
import { GatewayError } from "../../core/errors.ts";
import {
  type ApiKeyRow,
  deleteApiKey,
  getApiKey,
  insertApiKey,
  maskSecret,
  randomToken,
  updateApiKey,
} from "../../store/mod.ts";
import type { Gateway } from "../context.ts";
import { validate } from "../routes/ingress.ts";

const createSchema = z.strictObject({
  name: z.string().min(1).max(128),
  scopes: z.array(z.enum(SCOPES)).min(1).default(["inference"]),
  models: z.array(z.string().min(1)).nullable().optional(),
  budget: budgetSchema.nullable().optional(),
  options: apiKeyOptionsSchema.nullable().optional(),
});

const updateSchema = createSchema.partial();

/** A new gateway key: `sy-` and 32 random URL-safe characters. */
export function newGatewayKey(): string {
  return `sy-${randomToken(24)}`;
}

export function mustGetKey(gw: Gateway, id: string): ApiKeyRow {
  const row = getApiKey(gw.db, id);
  if (!row) throw new GatewayError("not_found", `no API key ${id}`);
  return row;
}

/** Creates a key; the plain key is in the result and nowhere else, ever. */
export async function createKeyOp(gw: Gateway, body: unknown): Promise<{ row: ApiKeyRow; key: string }> {
  const input = validate(createSchema, body);
  const key = newGatewayKey();
  const row = insertApiKey(gw.db, {
    name: input.name,
    keyHash: gw.cipher.hashKey(key),
    keyHint: maskSecret(key),
    scopes: input.scopes,
    models: input.models ?? null,
    budget: input.budget ?? null,
    options: input.options ?? null,
    source: "api",
  }, gw.now());
  await gw.reload();
  return { row, key };
}

function refuseFile(row: ApiKeyRow, verb: string): void {
  if (row.source === "file") {
    throw new GatewayError("invalid_request", `this key comes from the config file; ${verb}`, { status: 409 });
  }
}

export async function updateKeyOp(gw: Gateway, id: string, body: unknown): Promise<ApiKeyRow> {
  const row = mustGetKey(gw, id);
  refuseFile(row, "edit the file instead");
  const input = validate(updateSchema, body);
  updateApiKey(gw.db, row.id, {
    ...row,
    name: input.name ?? row.name,
    scopes: input.scopes ?? row.scopes,
    models: input.models === undefined ? row.models : input.models,
    budget: input.budget === undefined ? row.budget : input.budget,
    options: input.options === undefined ? row.options : input.options,
  });
  await gw.reload();
  return mustGetKey(gw, row.id);
}

export async function deleteKeyOp(gw: Gateway, id: string): Promise<ApiKeyRow> {
  const row = mustGetKey(gw, id);
  refuseFile(row, "remove it there");
  deleteApiKey(gw.db, row.id);
  await gw.reload();
  return row;
}
