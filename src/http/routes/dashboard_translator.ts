/**
 * @module The translator page: the playground (the codecs of /api/translator/translate), the chat tester and live
 * monitor shells (their streams live in dashboard_live.ts), and the test bench (saved prompt sets run one call at
 * a time against several models or combos through the gateway's own proxy path).
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { GatewayError } from "../../core/errors.ts";
import {
  type BenchCall,
  benchResultModel,
  completionText,
  FORMAT_OPTIONS,
  parsePrompts,
  promptsText,
  type Renderer,
  sampleRequest,
  TRANSLATOR_TABS,
  type TranslatorTab,
} from "../../dashboard/mod.ts";
import { deleteBenchSet, findBenchSetByName, getBenchSet, listBenchSets, saveBenchSet } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { translateOp } from "../manage/translator.ts";
import { fieldErrors, guarded, lines, readForm, show, written } from "./dashboard_base.ts";
import { runProxy } from "./ingress.ts";
import { listActiveModels } from "./model_list.ts";

/** Bounds of one bench run: it runs inside one dashboard request, one call at a time. */
export const BENCH_MAX_MODELS = 6;
export const BENCH_MAX_PROMPTS = 20;
export const BENCH_MAX_CALLS = 60;

const isTab = (t: string | undefined): t is TranslatorTab => TRANSLATOR_TABS.some((x) => x.id === t);

export function translatorPageRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function page(c: Context<AppEnv>, tab: TranslatorTab, extra: Record<string, unknown> = {}, status = 200): Response {
    const models = listActiveModels(gw.state).map((m) => m.id);
    const sets = tab === "bench"
      ? listBenchSets(gw.db).map((s) => ({
        id: s.id,
        name: s.name,
        count: s.prompts.length,
        text: promptsText(s.prompts),
      }))
      : [];
    const values = (extra.values ?? {}) as Record<string, string>;
    const data = {
      tab,
      tabs: TRANSLATOR_TABS.map((t) => ({ href: `/translator?tab=${t.id}`, label: t.label, current: t.id === tab })),
      formats: FORMAT_OPTIONS,
      kinds: [{ value: "request", label: "Request" }, { value: "response", label: "Response" }],
      sample: sampleRequest(values.from ?? "openai"),
      models,
      modelOptions: models.map((m) => ({ value: m, label: m })),
      sets,
      limits: { models: BENCH_MAX_MODELS, prompts: BENCH_MAX_PROMPTS, calls: BENCH_MAX_CALLS },
      ...extra,
    };
    return show(c, render, { page: "translator", active: "translator", data, status });
  }

  app.get(
    "/translator",
    guarded(gw, (c) => page(c, isTab(c.req.query("tab")) ? c.req.query("tab") as TranslatorTab : "playground")),
  );

  app.post(
    "/translator/translate",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const values = form.values();
      let body: unknown;
      try {
        body = JSON.parse(form.text("body"));
      } catch (err) {
        return page(c, "playground", { values, errors: { body: `Not valid JSON: ${(err as Error).message}` } }, 422);
      }
      try {
        const result = translateOp({
          from: form.text("from"),
          to: form.text("to"),
          kind: form.text("kind") || "request",
          body,
          ...(form.text("model") ? { model: form.text("model") } : {}),
        });
        return page(c, "playground", {
          values,
          result: {
            body: JSON.stringify(result.body, null, 2),
            canonical: JSON.stringify(result.canonical, null, 2),
            dropped: result.dropped ?? [],
          },
        });
      } catch (err) {
        return page(c, "playground", {
          values,
          errors: fieldErrors(err, (p) => p.startsWith("body") ? "body" : p.split(/[.[]/)[0]),
        }, 422);
      }
    }),
  );

  app.post(
    "/translator/bench/sets",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const name = form.text("name");
      const prompts = parsePrompts(form.text("prompts"));
      const errors: Record<string, string> = {};
      if (!name || name.length > 80) errors.name = "Give the set a name (at most 80 characters).";
      else if (findBenchSetByName(gw.db, name) && findBenchSetByName(gw.db, name)!.id !== form.text("id")) {
        errors.name = `A set named "${name}" exists already.`;
      }
      if (prompts.length === 0) errors.prompts = "Add at least one prompt.";
      else if (prompts.length > BENCH_MAX_PROMPTS) errors.prompts = `A set holds at most ${BENCH_MAX_PROMPTS} prompts.`;
      if (Object.keys(errors).length > 0) return page(c, "bench", { errors, values: form.values() }, 422);
      const id = form.text("id") || undefined;
      if (id && !getBenchSet(gw.db, id)) throw new GatewayError("not_found", `no prompt set ${id}`);
      const set = saveBenchSet(gw.db, { id, name, prompts }, gw.now());
      return written(
        c,
        `Prompt set "${set.name}" saved (${set.prompts.length} prompts).`,
        "/translator?tab=bench",
        (f) => page(c, "bench", { flash: f }),
      );
    }),
  );

  app.post(
    "/translator/bench/sets/:id/delete",
    guarded(gw, (c) => {
      const set = getBenchSet(gw.db, c.req.param("id")!);
      if (!set) throw new GatewayError("not_found", "no such prompt set");
      deleteBenchSet(gw.db, set.id);
      return written(
        c,
        `Prompt set "${set.name}" deleted.`,
        "/translator?tab=bench",
        (f) => page(c, "bench", { flash: f }),
      );
    }),
  );

  app.post(
    "/translator/bench/run",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const set = getBenchSet(gw.db, form.text("setId"));
      const models = [...new Set([...form.all("model"), ...lines(form.text("models"))])];
      const errors: Record<string, string> = {};
      if (!set) errors.setId = "Choose a saved prompt set.";
      if (models.length === 0) errors.models = "Choose at least one model or combo.";
      else if (models.length > BENCH_MAX_MODELS) errors.models = `At most ${BENCH_MAX_MODELS} models per run.`;
      else if (set && set.prompts.length * models.length > BENCH_MAX_CALLS) {
        errors.models = `${set.prompts.length} prompts × ${models.length} models is over ${BENCH_MAX_CALLS} calls.`;
      }
      if (Object.keys(errors).length > 0) return page(c, "bench", { errors, values: form.values() }, 422);
      const calls: BenchCall[] = [];
      const base = c.get("requestId");
      let n = 0;
      for (let p = 0; p < set!.prompts.length; p++) {
        for (const model of models) {
          calls.push(await benchCall(gw, c, { id: `${base}.${++n}`, prompt: p, text: set!.prompts[p], model }));
        }
      }
      c.set("requestId", base);
      const result = benchResultModel(set!.prompts, models, calls);
      return page(c, "bench", { values: form.values(), result, resultSet: set!.name });
    }),
  );

  return app;
}

/** One bench call through the proxy (non-stream, the session as principal, its own request id). */
async function benchCall(
  gw: Gateway,
  c: Context<AppEnv>,
  call: { id: string; prompt: number; text: string; model: string },
): Promise<BenchCall> {
  c.set("requestId", call.id);
  const started = gw.now();
  const body = { model: call.model, messages: [{ role: "user", content: call.text }] };
  const out: BenchCall = {
    prompt: call.prompt,
    model: call.model,
    status: 0,
    answer: "",
    latencyMs: 0,
    tokensIn: 0,
    tokensOut: 0,
    cost: 0,
    route: "",
  };
  try {
    const res = await runProxy(gw, c, { surface: "openai", model: call.model, stream: false, body });
    const json = await res.json().catch(() => ({}));
    out.status = res.status;
    out.route = res.headers.get("x-switchyard-route") ?? "";
    out.latencyMs = Number(res.headers.get("x-switchyard-latency-ms") ?? gw.now() - started);
    out.tokensIn = Number(res.headers.get("x-switchyard-tokens-in") ?? 0);
    out.tokensOut = Number(res.headers.get("x-switchyard-tokens-out") ?? 0);
    out.cost = Number(res.headers.get("x-switchyard-cost") ?? 0);
    if (res.ok) out.answer = completionText(json);
    else out.error = (json as { error?: { message?: string } }).error?.message ?? res.statusText;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    out.status = err.status;
    out.error = err.message;
    out.latencyMs = gw.now() - started;
  }
  return out;
}
