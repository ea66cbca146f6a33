/** @module The API keys page: list with budget progress, create (the key shown once, copy button), edit, revoke. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { type BudgetInfo, keyBody, keyField, keysModel, type Renderer } from "../../dashboard/mod.ts";
import { listApiKeys } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { createKeyOp, deleteKeyOp, mustGetKey, updateKeyOp } from "../manage/keys.ts";
import { fieldErrors, type Form, guarded, lines, readForm, show, written } from "./dashboard_base.ts";

function formInput(form: Form) {
  return {
    name: form.text("name"),
    scopes: form.all("scopes"),
    models: lines(form.text("models")),
    daily: form.text("daily"),
    weekly: form.text("weekly"),
    monthly: form.text("monthly"),
  };
}

export function keyPageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function page(c: Context<AppEnv>, extra: Record<string, unknown> = {}, status = 200): Response {
    const keys = listApiKeys(gw.db);
    const budgets = new Map<string, BudgetInfo[]>();
    for (const k of keys) {
      if (k.budget && (k.budget.daily || k.budget.weekly || k.budget.monthly)) {
        budgets.set(k.id, gw.budgets.status(k.id, k.budget));
      }
    }
    const model = keysModel({ keys, budgets });
    return show(c, render, { page: "keys", active: "keys", data: { ...model, editing: "", ...extra }, status });
  }

  app.get("/keys", guarded(gw, (c) => page(c)));
  app.get("/keys/:id/edit", guarded(gw, (c) => page(c, { editing: mustGetKey(gw, c.req.param("id")!).id })));

  app.post(
    "/keys",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const { row, key } = await createKeyOp(gw, keyBody(formInput(form)));
        // Never a redirect: the key exists only in this response.
        return page(c, { newKey: { name: row.name, key }, flash: `Key "${row.name}" created.` }, 201);
      } catch (err) {
        return page(c, { errors: fieldErrors(err, keyField), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/keys/:id",
    guarded(gw, async (c) => {
      const row = mustGetKey(gw, c.req.param("id")!);
      const form = await readForm(c);
      try {
        await updateKeyOp(gw, row.id, keyBody(formInput(form)));
      } catch (err) {
        return page(c, { editing: row.id, errors: fieldErrors(err, keyField), values: form.values() }, 422);
      }
      return written(c, `Key "${form.text("name")}" saved.`, "/keys", (flash) => page(c, { flash }));
    }),
  );

  app.post(
    "/keys/:id/delete",
    guarded(gw, async (c) => {
      try {
        const row = await deleteKeyOp(gw, c.req.param("id")!);
        return written(c, `Key "${row.name}" revoked.`, "/keys", (flash) => page(c, { flash }));
      } catch (err) {
        return page(c, { errors: fieldErrors(err) }, 422);
      }
    }),
  );

  return app;
}
