/**
 * @module The request detail page's view model: each usage row of one request with its attempt trace (the winner
 * marked), timings, tokens (cached, reasoning, cache writes), cost, and the stored bodies pretty-printed when JSON.
 */
import { formatInt, formatMs, formatUsd } from "./format.ts";
import { type AttemptInput, formatSecond, type LogRowInput, statusTone } from "./logs.ts";

export interface LogDetailRowInput extends LogRowInput {
  tokensCached: number;
  tokensReasoning: number;
  tokensCacheWrite: number;
}

export interface LogDetailInput {
  requestId: string;
  rows: LogDetailRowInput[];
  bodies: { request: string | null; response: string | null; truncated: boolean } | null;
  /** ENABLE_REQUEST_LOGS: whether bodies are being kept at all. */
  requestLogs: boolean;
  keys: Array<{ id: string; name: string }>;
  connections: Array<{ id: string; provider: string; name: string }>;
}

export interface TraceStep {
  n: number;
  provider: string;
  connection: string;
  model: string;
  status: number;
  cls: string;
  winner: boolean;
}

export interface DetailFact {
  label: string;
  value: string;
}

export interface LogDetailEntry {
  time: string;
  status: number;
  statusCls: string;
  errorCode: string;
  facts: DetailFact[];
  trace: TraceStep[];
  timings: DetailFact[];
  tokens: DetailFact[];
  estimated: boolean;
  cost: string;
}

export interface LogDetailModel {
  requestId: string;
  entries: LogDetailEntry[];
  bodies: Array<{ title: string; text: string }>;
  truncated: boolean;
  /** One line, shown when no body is stored for this request. */
  bodiesHint: string;
}

/** Largest body pretty-printed as JSON; bigger ones are shown as stored. */
const PRETTY_LIMIT = 262_144;

/** JSON pretty-printed; anything else (an SSE transcript, a truncated body) as stored. */
export function prettyBody(text: string): string {
  if (text.length > PRETTY_LIMIT) return text;
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * The attempt that answered: the last one on the row's resolved provider and model (a failed request has no
 * resolved provider, so no winner).
 */
export function winnerIndex(steps: AttemptInput[], provider: string | null, model: string | null): number {
  if (provider === null) return -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i].provider === provider && (model === null || steps[i].model === model)) return i;
  }
  return -1;
}

export function logDetailModel(input: LogDetailInput): LogDetailModel {
  const keyNames = new Map(input.keys.map((k) => [k.id, k.name]));
  const connNames = new Map(input.connections.map((c) => [c.id, `${c.provider}/${c.name}`]));
  const entries = input.rows.map((r): LogDetailEntry => {
    const win = winnerIndex(r.steps, r.provider, r.model);
    const resolved = r.provider === null ? "–" : `${r.provider}/${r.model ?? ""}`;
    return {
      time: `${formatSecond(r.ts)} UTC`,
      status: r.status,
      statusCls: statusTone(r.status),
      errorCode: r.errorCode ?? "",
      facts: [
        { label: "Surface", value: r.surface },
        { label: "Requested model", value: r.requestedModel },
        { label: "Resolved", value: resolved },
        {
          label: "Connection",
          value: r.connectionId === null ? "–" : connNames.get(r.connectionId) ?? r.connectionId,
        },
        { label: "API key", value: r.keyId === null ? "–" : keyNames.get(r.keyId) ?? r.keyId },
        { label: "Stream", value: r.stream ? "yes" : "no" },
        { label: "Response cache", value: r.cached ? "hit (replayed, no upstream call)" : "miss" },
      ],
      trace: r.steps.map((s, i) => ({
        n: i + 1,
        provider: s.provider,
        connection: s.connection,
        model: s.model,
        status: s.status,
        cls: statusTone(s.status),
        winner: i === win,
      })),
      timings: [
        { label: "Total", value: formatMs(r.latencyMs) },
        { label: "Time to first token", value: formatMs(r.ttftMs) },
        { label: "Attempts", value: String(r.steps.length) },
      ],
      tokens: [
        { label: "Input", value: formatInt(r.tokensIn) },
        { label: "Output", value: formatInt(r.tokensOut) },
        { label: "Cached input", value: formatInt(r.tokensCached) },
        { label: "Cache writes", value: formatInt(r.tokensCacheWrite) },
        { label: "Reasoning", value: formatInt(r.tokensReasoning) },
      ],
      estimated: r.estimated,
      cost: formatUsd(r.cost),
    };
  });
  const bodies: LogDetailModel["bodies"] = [];
  if (input.bodies?.request) bodies.push({ title: "Request body", text: prettyBody(input.bodies.request) });
  if (input.bodies?.response) bodies.push({ title: "Response body", text: prettyBody(input.bodies.response) });
  let bodiesHint = "";
  if (bodies.length === 0) {
    bodiesHint = input.requestLogs
      ? "No body was stored for this request (bodies are kept only while ENABLE_REQUEST_LOGS is on, until retention removes them)."
      : "Request bodies are not kept: start with ENABLE_REQUEST_LOGS=true.";
  }
  return {
    requestId: input.requestId,
    entries,
    bodies,
    truncated: input.bodies?.truncated ?? false,
    bodiesHint,
  };
}
