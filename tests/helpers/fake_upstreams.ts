/**
 * @module Fake OpenAI, Anthropic and Gemini upstreams on 127.0.0.1 for the conformance matrix: each speaks its
 * vendor's real wire format (JSON bodies, SSE sequences, error bodies), answers from a queue of scenarios the
 * test sets up, and records every request it received (path, query, headers, body) for assertions.
 */
import { anthropicAnswer } from "./fake_anthropic.ts";
import { geminiAnswer } from "./fake_gemini.ts";
import { openaiAnswer } from "./fake_openai_conformance.ts";
import { type AnswerInput, jsonResponse, type Scenario } from "./fake_wire.ts";

export type { Scenario } from "./fake_wire.ts";

export type Vendor = "openai" | "anthropic" | "gemini";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Query string without the leading `?`. */
  search: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  vendor: Vendor;
  port: number;
  /** What the vendor's own SDK calls its base URL (OpenAI's ends in `/v1`). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Scenarios for the next calls, in order; an empty queue answers `text`. */
  queue(...scenarios: Scenario[]): void;
  /** Forgets recorded requests and queued scenarios. */
  reset(): void;
  close(): Promise<void>;
}

/** Gemini puts model and method in the path: `/v1beta/models/{model}:{method}`. */
function geminiPathModel(path: string): { model: string; stream: boolean } | undefined {
  const m = /^\/v1beta\/models\/(.+):(generateContent|streamGenerateContent)$/.exec(path);
  return m ? { model: decodeURIComponent(m[1]), stream: m[2] === "streamGenerateContent" } : undefined;
}

/** Starts one fake vendor on an ephemeral port of 127.0.0.1. */
export function startFakeUpstream(vendor: Vendor): FakeUpstream {
  const requests: RecordedRequest[] = [];
  let scenarios: Scenario[] = [];
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    const text = await req.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch { /* recorded as empty */ }
    requests.push({ method: req.method, path: url.pathname, search: url.search.slice(1), headers, body });
    const expected = vendor === "openai" ? "/v1/chat/completions" : vendor === "anthropic" ? "/v1/messages" : null;
    let model: string;
    let stream: boolean;
    if (vendor === "gemini") {
      const g = geminiPathModel(url.pathname);
      if (!g) return jsonResponse({ error: { code: 404, message: "not found", status: "NOT_FOUND" } }, 404);
      model = g.model;
      stream = g.stream;
    } else {
      if (url.pathname !== expected) return jsonResponse({ error: { message: "not found" } }, 404);
      model = String(body.model);
      stream = body.stream === true;
    }
    const scenario = scenarios.shift() ?? "text";
    const input: AnswerInput = { scenario, body, stream, model };
    return vendor === "openai"
      ? openaiAnswer(input)
      : vendor === "anthropic"
      ? anthropicAnswer(input)
      : geminiAnswer(input);
  };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  const port = server.addr.port;
  const root = `http://127.0.0.1:${port}`;
  return {
    vendor,
    port,
    baseUrl: vendor === "openai" ? `${root}/v1` : root,
    requests,
    queue(...next) {
      scenarios.push(...next);
    },
    reset() {
      requests.length = 0;
      scenarios = [];
    },
    async close() {
      await server.shutdown();
    },
  };
}
