/**
 * @module The translator page's view models: playground samples and output, the test bench's prompt-set parsing
 * and side-by-side results, and the live monitor's row shape (shared by the SSE endpoint and the page).
 */
import { formatInt, formatUsd } from "./format.ts";

export const TRANSLATOR_TABS = [
  { id: "playground", label: "Playground" },
  { id: "chat", label: "Chat tester" },
  { id: "bench", label: "Test bench" },
  { id: "live", label: "Live monitor" },
] as const;
export type TranslatorTab = typeof TRANSLATOR_TABS[number]["id"];

export const FORMAT_OPTIONS = [
  { value: "openai", label: "OpenAI Chat Completions" },
  { value: "anthropic", label: "Anthropic Messages" },
  { value: "gemini", label: "Gemini generateContent" },
  { value: "responses", label: "OpenAI Responses" },
];

/** A small request in each format, to start the playground from. */
export const SAMPLE_REQUESTS: Record<string, unknown> = {
  openai: {
    model: "openai/gpt-4.1",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello!" }],
    max_tokens: 100,
  },
  anthropic: {
    model: "anthropic/claude-sonnet-4-5",
    system: "Be brief.",
    messages: [{ role: "user", content: "Hello!" }],
    max_tokens: 100,
  },
  gemini: {
    systemInstruction: { parts: [{ text: "Be brief." }] },
    contents: [{ role: "user", parts: [{ text: "Hello!" }] }],
    generationConfig: { maxOutputTokens: 100 },
  },
  responses: { model: "openai/gpt-4.1", instructions: "Be brief.", input: "Hello!", max_output_tokens: 100 },
};

export function sampleRequest(format: string): string {
  return JSON.stringify(SAMPLE_REQUESTS[format] ?? SAMPLE_REQUESTS.openai, null, 2);
}

/** Bench prompt sets: prompts split by lines holding only `---`, or one per line when there is no such line. */
export function parsePrompts(text: string): string[] {
  const normalized = text.replace(/\r\n/g, "\n");
  const parts = /^---\s*$/m.test(normalized) ? normalized.split(/^---\s*$/m) : normalized.split("\n");
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export function promptsText(prompts: string[]): string {
  return prompts.some((p) => p.includes("\n")) ? prompts.join("\n---\n") : prompts.join("\n");
}

export interface BenchCall {
  prompt: number;
  model: string;
  status: number;
  answer: string;
  error?: string;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  route: string;
}

export interface BenchResultModel {
  models: string[];
  prompts: Array<{
    text: string;
    cells: Array<{
      model: string;
      ok: boolean;
      answer: string;
      latency: string;
      tokens: string;
      cost: string;
      route: string;
      fastest: boolean;
      cheapest: boolean;
    }>;
  }>;
  totals: Array<{ model: string; ok: number; latency: string; tokens: string; cost: string }>;
}

/** Results per prompt with the models side by side; the fastest and cheapest good answer of each prompt marked. */
export function benchResultModel(prompts: string[], models: string[], calls: BenchCall[]): BenchResultModel {
  const at = (p: number, m: string) => calls.find((c) => c.prompt === p && c.model === m);
  return {
    models,
    prompts: prompts.map((text, p) => {
      const good = models.map((m) => at(p, m)).filter((c): c is BenchCall => !!c && c.status < 400);
      const minLatency = Math.min(...good.map((c) => c.latencyMs));
      const minCost = Math.min(...good.map((c) => c.cost));
      return {
        text,
        cells: models.map((m) => {
          const c = at(p, m);
          const ok = !!c && c.status < 400;
          return {
            model: m,
            ok,
            answer: c ? (ok ? c.answer : `${c.status}: ${c.error ?? "failed"}`) : "not run",
            latency: c ? `${formatInt(c.latencyMs)} ms` : "–",
            tokens: c ? `${formatInt(c.tokensIn)} / ${formatInt(c.tokensOut)}` : "–",
            cost: c ? formatUsd(c.cost) : "–",
            route: c?.route ?? "",
            fastest: ok && good.length > 1 && c!.latencyMs === minLatency,
            cheapest: ok && good.length > 1 && c!.cost === minCost,
          };
        }),
      };
    }),
    totals: models.map((m) => {
      const mine = calls.filter((c) => c.model === m);
      const ok = mine.filter((c) => c.status < 400);
      const avg = ok.length ? ok.reduce((s, c) => s + c.latencyMs, 0) / ok.length : 0;
      return {
        model: m,
        ok: ok.length,
        latency: ok.length ? `${formatInt(avg)} ms avg` : "–",
        tokens: `${formatInt(mine.reduce((s, c) => s + c.tokensIn, 0))} / ${
          formatInt(mine.reduce((s, c) => s + c.tokensOut, 0))
        }`,
        cost: formatUsd(mine.reduce((s, c) => s + c.cost, 0)),
      };
    }),
  };
}

/** The text of an OpenAI chat completion (first choice), or a readable fallback. */
export function completionText(body: unknown): string {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p as { text?: string }).text ?? "").join("");
  return "";
}

export interface LiveRowInput {
  ts: number;
  requestId: string;
  keyId: string | null;
  surface: string;
  requestedModel: string;
  status: number;
  stream: boolean;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  cost: number;
  attempts: string;
  cached?: boolean;
}

export interface LiveRow {
  time: string;
  requestId: string;
  key: string;
  surface: string;
  model: string;
  route: string;
  status: number;
  ok: boolean;
  latency: string;
  tokens: string;
  cost: string;
  flags: string;
}

/** One usage row as the live monitor shows it (no secrets: key names only). */
export function liveRow(row: LiveRowInput, keyNames: Map<string, string>): LiveRow {
  return {
    time: new Date(row.ts).toISOString().slice(11, 19),
    requestId: row.requestId,
    key: row.keyId ? keyNames.get(row.keyId) ?? row.keyId : "dashboard / no key",
    surface: row.surface,
    model: row.requestedModel,
    route: row.attempts,
    status: row.status,
    ok: row.status < 400,
    latency: `${formatInt(row.latencyMs)} ms`,
    tokens: `${formatInt(row.tokensIn)} / ${formatInt(row.tokensOut)}`,
    cost: formatUsd(row.cost),
    flags: [row.stream ? "stream" : "", row.cached ? "cached" : ""].filter(Boolean).join(", "),
  };
}
