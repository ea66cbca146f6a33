/**
 * @module The usage and costs page: charts and tables by provider, model and key over a time range, CSV export,
 * the budgets tab (progress, set or remove a limit) and the pricing tab (edit price overrides).
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import {
  type BudgetInfo,
  budgetsModel,
  pricingModel,
  type Renderer,
  usageCsv,
  usageModel,
  usageRange,
} from "../../dashboard/mod.ts";
import {
  createDailyUsageReader,
  DAY_MS,
  listApiKeys,
  summarizeUsage,
  USAGE_GROUPS,
  type UsageGroup,
} from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { deletePriceOp, priceList, savePriceOp, setBudgetOp } from "../manage/costs.ts";
import { fieldErrors, type Form, guarded, readForm, show, written } from "./dashboard_base.ts";

const TABS = ["usage", "budgets", "pricing"] as const;
type Tab = typeof TABS[number];

/** A form number: blank → undefined (the API's "not given"), text that is not a number → NaN (a 422 from zod). */
function num(form: Form, name: string): number | undefined {
  const v = form.text(name);
  return v === "" ? undefined : Number(v);
}

export function usagePageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const daily = createDailyUsageReader(gw.db);

  function keyNames(): Map<string, string> {
    return new Map(listApiKeys(gw.db).map((k) => [k.id, k.name]));
  }

  function usageData(c: Context<AppEnv>) {
    const range = usageRange(
      { range: c.req.query("range"), from: c.req.query("from"), to: c.req.query("to") },
      gw.now(),
    );
    const sum = (g?: UsageGroup) => summarizeUsage(gw.db, range.from, range.to, g);
    let series: Array<{ start: number; requests: number; tokens: number; cost: number }>;
    if (range.bucket === "hour") {
      series = sum("hour").rows.map((r) => ({
        start: Date.parse(r.group),
        requests: r.requests,
        tokens: r.tokens.input + r.tokens.output,
        cost: r.cost,
      }));
    } else {
      const byDay = new Map<number, { start: number; requests: number; tokens: number; cost: number }>();
      for (const r of daily.read(range.from, range.to)) {
        const s = byDay.get(r.day) ?? { start: r.day * DAY_MS, requests: 0, tokens: 0, cost: 0 };
        s.requests += r.requests;
        s.tokens += r.tokensIn + r.tokensOut;
        s.cost += r.cost;
        byDay.set(r.day, s);
      }
      series = [...byDay.values()];
    }
    return usageModel({
      range,
      totals: sum(),
      byProvider: sum("provider").rows,
      byModel: sum("model").rows,
      byKey: sum("key").rows,
      series,
      keyNames: keyNames(),
    });
  }

  function budgetsData() {
    const keys = listApiKeys(gw.db);
    const status = new Map<string, BudgetInfo[]>();
    for (const k of keys) if (k.budget) status.set(k.id, gw.budgets.status(k.id, k.budget));
    return budgetsModel({ keys, status });
  }

  function pricingData(q: string) {
    const providers = gw.state.registry.providers.map((p) => ({ id: p.id, name: p.name }));
    return pricingModel({ entries: priceList(gw), q, providers });
  }

  function page(c: Context<AppEnv>, tab: Tab, extra: Record<string, unknown> = {}, status = 200): Response {
    const model = usageData(c);
    const data: Record<string, unknown> = {
      tab,
      usage: model,
      budgets: tab === "budgets" ? budgetsData() : undefined,
      pricing: tab === "pricing" ? pricingData(c.req.query("q") ?? "") : undefined,
      ...extra,
    };
    if (tab === "usage" && Object.keys(model.range.errors).length > 0) {
      data.errors = model.range.errors;
      status = 422;
    }
    return show(c, render, { page: "usage", active: "usage", data, status });
  }

  app.get(
    "/usage",
    guarded(gw, (c) => {
      const tab = (TABS as readonly string[]).includes(c.req.query("tab") ?? "") ? c.req.query("tab") as Tab : "usage";
      return page(c, tab);
    }),
  );

  app.get(
    "/usage/export.csv",
    guarded(gw, (c) => {
      const range = usageRange(
        { range: c.req.query("range"), from: c.req.query("from"), to: c.req.query("to") },
        gw.now(),
      );
      const dim = c.req.query("groupBy") ?? "model";
      const groupBy = (USAGE_GROUPS as readonly string[]).includes(dim) ? dim as UsageGroup : "model";
      const csv = usageCsv(groupBy, summarizeUsage(gw.db, range.from, range.to, groupBy), keyNames());
      const name = `switchyard-usage-${groupBy}-${range.fromDate}-${range.toDate}.csv`;
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      });
    }),
  );

  app.post(
    "/usage/budgets",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const limit = num(form, "limit");
      try {
        const { keyId } = await setBudgetOp(gw, {
          keyId: form.text("keyId"),
          period: form.text("period"),
          limit: limit ?? null,
        });
        const name = listApiKeys(gw.db).find((k) => k.id === keyId)?.name ?? keyId;
        const flash = limit === undefined
          ? `Removed the ${form.text("period")} budget of "${name}".`
          : `Set the ${form.text("period")} budget of "${name}" to $${limit}.`;
        return written(c, flash, "/usage?tab=budgets", (f) => page(c, "budgets", { flash: f }));
      } catch (err) {
        return page(c, "budgets", { errors: fieldErrors(err), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/usage/pricing",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const cached = num(form, "cachedInput");
      try {
        const saved = await savePriceOp(gw, {
          provider: form.text("provider"),
          model: form.text("model"),
          input: num(form, "input"),
          output: num(form, "output"),
          cachedInput: cached ?? null,
        });
        const flash = `Price of ${saved.id} saved.`;
        return written(c, flash, "/usage?tab=pricing", (f) => page(c, "pricing", { flash: f }));
      } catch (err) {
        return page(c, "pricing", { errors: fieldErrors(err), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/usage/pricing/delete",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const id = await deletePriceOp(gw, form.text("provider"), form.text("model"));
        return written(
          c,
          `Custom price of ${id} removed.`,
          "/usage?tab=pricing",
          (f) => page(c, "pricing", { flash: f }),
        );
      } catch (err) {
        return page(c, "pricing", { errors: fieldErrors(err) }, 422);
      }
    }),
  );

  return app;
}
