/**
 * @module A fake OpenAI upstream on 127.0.0.1 that speaks the real wire format
 * (https://platform.openai.com/docs/api-reference/chat): JSON completions with usage, SSE streams with the final
 * `choices: []` usage chunk when `stream_options.include_usage` is set, streamed tool-call deltas, OpenAI error
 * bodies, slow answers, `/v1/models`. Scriptable per test by model name and/or API key; records every request.
 */
import { chunk, completion, openaiError, splitText, type Usage, usageChunk } from "./openai_wire.ts";

export type { Usage };

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** Set when the caller went away before the answer was complete (request signal or stream cancel). */
  aborted: boolean;
  /** Set when the answer was sent to its end. */
  completed: boolean;
  /** The caller's TCP port: requests with the same one came over the same connection. */
  clientPort: number;
}

export type Behavior =
  /** A chat.completion (or, for a stream request, the same text as deltas). */
  | { kind: "text"; text?: string; usage?: Usage; chunks?: string[] }
  /** A stream of one tool call: one id, one name, the arguments split as given. */
  | { kind: "tool_call"; id: string; name: string; argumentChunks: string[]; usage?: Usage }
  /** An OpenAI error body with this status. */
  | { kind: "error"; status: number; message: string; type?: string; code?: string | null; param?: string | null }
  /** Waits `delayMs` before sending the status line (a hung upstream). */
  | { kind: "hang"; delayMs: number }
  /** Sends headers and a first delta at once, then one delta every `intervalMs`, `count` times, then ends. */
  | { kind: "trickle"; intervalMs: number; count: number }
  /** A stream that answers 200 and then sends one delta every `delayMs` ms for `chunks` (random-ish latency). */
  | { kind: "delay"; delayMs: number; text?: string }
  /** A stream that sends `afterChunks` deltas, then drops the connection without a final chunk (a mid-stream cut). */
  | { kind: "cut"; afterChunks: number }
  /** A 200 answer with exactly this body (any bytes: a large answer, a body that is not JSON). */
  | { kind: "raw"; body: string; contentType?: string };

export interface Rule {
  /** Upstream model id (as the gateway sends it, prefix stripped). */
  model?: string;
  /** The bearer key the gateway used (which connection). */
  key?: string;
  behavior: Behavior;
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1` (https with `tls`): what a connection's `baseUrl` is set to. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Adds a rule; later rules win over earlier ones. Returns a function that removes it. */
  on(rule: Rule): () => void;
  /** Requests for a model (upstream id). */
  requestsFor(model: string): RecordedRequest[];
  /** Polls until `predicate` holds or the timeout passes (then throws). */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: Usage = { prompt_tokens: 11, completion_tokens: 7 };
export const DEFAULT_TEXT = "Hello from the fake upstream.";

/** The models `/v1/models` lists. */
export const FAKE_MODELS = ["gpt-4.1", "gpt-4.1-mini", "fake-model"];

/** `tls`: serve HTTPS with this certificate (tests/helpers/tls/) instead of plain HTTP. */
export function startFakeOpenAI(options: { tls?: { cert: string; key: string } } = {}): FakeOpenAI {
  const requests: RecordedRequest[] = [];
  const rules: Rule[] = [];
  const live = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const enc = new TextEncoder();
  let seq = 0;

  /** Pending sleeps: close() wakes them all so no handler outlives the server. */
  const sleepers = new Set<() => void>();
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(t);
        sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      sleepers.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });

  function pick(model: string | undefined, key: string | undefined): Behavior | undefined {
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i];
      if ((r.model === undefined || r.model === model) && (r.key === undefined || r.key === key)) return r.behavior;
    }
    return undefined;
  }

  /** SSE body from a list of chunk payloads, sent with `gapMs` between them. */
  function sse(
    rec: RecordedRequest,
    signal: AbortSignal,
    payloads: Array<Record<string, unknown>>,
    gapMs: number,
  ): Response {
    let ctl: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        ctl = controller;
        live.add(controller);
        try {
          for (let i = 0; i < payloads.length; i++) {
            if (i > 0 && gapMs > 0) await sleep(gapMs, signal);
            if (rec.aborted || signal.aborted) return;
            controller.enqueue(enc.encode(`data: ${JSON.stringify(payloads[i])}\n\n`));
          }
          if (rec.aborted || signal.aborted) return;
          controller.enqueue(enc.encode("data: [DONE]\n\n"));
          rec.completed = true;
          controller.close();
        } catch {
          // The reader went away mid-write.
          rec.aborted = true;
        } finally {
          live.delete(ctl);
        }
      },
      cancel() {
        rec.aborted = true;
        live.delete(ctl);
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    });
  }

  /** Sends a few deltas, then errors the body: the server drops the connection mid-stream. */
  function cutStream(rec: RecordedRequest, model: string, afterChunks: number): Response {
    const id = `chatcmpl-fake${++seq}`;
    let ctl: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        ctl = controller;
        live.add(controller);
        for (let i = 0; i < afterChunks; i++) {
          controller.enqueue(enc.encode(`data: ${
            JSON.stringify(chunk(id, model, { content: `part${i} ` }, {
              finish: null,
              withUsage: false,
            }))
          }\n\n`));
          await sleep(20);
        }
        live.delete(ctl);
        rec.aborted = true;
        controller.error(new Error("fake upstream cut the stream"));
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
  }

  function streamOf(
    rec: RecordedRequest,
    signal: AbortSignal,
    model: string,
    deltas: Array<Record<string, unknown>>,
    options: { finish: string; usage: Usage; includeUsage: boolean; gapMs: number },
  ): Response {
    const id = `chatcmpl-fake${++seq}`;
    const payloads: Array<Record<string, unknown>> = deltas.map((d) =>
      chunk(id, model, d, { finish: null, withUsage: options.includeUsage })
    );
    payloads.push(chunk(id, model, {}, { finish: options.finish, withUsage: options.includeUsage }));
    if (options.includeUsage) {
      payloads.push(usageChunk(id, model, options.usage));
    }
    return sse(rec, signal, payloads, options.gapMs);
  }

  async function chat(rec: RecordedRequest, signal: AbortSignal): Promise<Response> {
    const body = rec.body as {
      model?: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    } | null;
    if (!body || typeof body !== "object") {
      return openaiError(400, "We could not parse the JSON body of your request.");
    }
    const model = body.model ?? "";
    const key = rec.headers["authorization"]?.replace(/^Bearer\s+/i, "");
    const behavior: Behavior = pick(model, key) ?? { kind: "text" };
    const stream = body.stream === true;
    const includeUsage = body.stream_options?.include_usage === true;
    switch (behavior.kind) {
      case "raw":
        return new Response(behavior.body, {
          headers: { "content-type": behavior.contentType ?? "application/json" },
        });
      case "error":
        return openaiError(behavior.status, behavior.message, behavior);
      case "hang":
        await sleep(behavior.delayMs, signal);
        if (signal.aborted) return new Response(null, { status: 499 });
        return Response.json(completion(`chatcmpl-fake${++seq}`, model, DEFAULT_TEXT, DEFAULT_USAGE));
      case "delay": {
        const text = behavior.text ?? DEFAULT_TEXT;
        if (!stream) {
          await sleep(behavior.delayMs, signal);
          return Response.json(completion(`chatcmpl-fake${++seq}`, model, text, DEFAULT_USAGE));
        }
        return streamOf(rec, signal, model, [
          { role: "assistant", content: "" },
          ...splitText(text).map((c) => ({ content: c })),
        ], {
          finish: "stop",
          usage: DEFAULT_USAGE,
          includeUsage,
          gapMs: behavior.delayMs,
        });
      }
      case "trickle": {
        const deltas = [{ role: "assistant", content: "" }];
        for (let i = 0; i < behavior.count; i++) deltas.push({ role: "assistant", content: `tick${i} ` });
        return streamOf(rec, signal, model, deltas, {
          finish: "stop",
          usage: DEFAULT_USAGE,
          includeUsage,
          gapMs: behavior.intervalMs,
        });
      }
      case "cut":
        return cutStream(rec, model, behavior.afterChunks);
      case "tool_call": {
        const deltas: Array<Record<string, unknown>> = [{
          role: "assistant",
          content: null,
          tool_calls: [{
            index: 0,
            id: behavior.id,
            type: "function",
            function: { name: behavior.name, arguments: "" },
          }],
          refusal: null,
        }];
        for (const part of behavior.argumentChunks) {
          deltas.push({ tool_calls: [{ index: 0, function: { arguments: part } }] });
        }
        if (!stream) {
          const res = completion(`chatcmpl-fake${++seq}`, model, "", behavior.usage ?? DEFAULT_USAGE) as {
            choices: Array<{ message: Record<string, unknown>; finish_reason: string }>;
          };
          res.choices[0].message = {
            role: "assistant",
            content: null,
            tool_calls: [{
              id: behavior.id,
              type: "function",
              function: { name: behavior.name, arguments: behavior.argumentChunks.join("") },
            }],
          };
          res.choices[0].finish_reason = "tool_calls";
          return Response.json(res);
        }
        return streamOf(rec, signal, model, deltas, {
          finish: "tool_calls",
          usage: behavior.usage ?? DEFAULT_USAGE,
          includeUsage,
          gapMs: 0,
        });
      }
      case "text": {
        const text = behavior.text ?? DEFAULT_TEXT;
        const usage = behavior.usage ?? DEFAULT_USAGE;
        if (!stream) return Response.json(completion(`chatcmpl-fake${++seq}`, model, text, usage));
        const parts = behavior.chunks ?? splitText(text);
        return streamOf(rec, signal, model, [
          { role: "assistant", content: "", refusal: null },
          ...parts.map((c) => ({ content: c })),
        ], {
          finish: "stop",
          usage,
          includeUsage,
          gapMs: 0,
        });
      }
    }
  }

  const abort = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: abort.signal,
    onListen: () => {},
    ...options.tls,
  }, async (req, info) => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    const text = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch { /* keep the raw text */ }
    const rec: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      query: url.search,
      headers,
      body,
      aborted: false,
      completed: false,
      clientPort: (info.remoteAddr as Deno.NetAddr).port,
    };
    requests.push(rec);
    // Settles once the answer is delivered; rejects when the caller went away first.
    const gone = new AbortController();
    info.completed.catch(() => {
      if (!rec.completed) rec.aborted = true;
      gone.abort();
    });
    if (req.method === "GET" && url.pathname === "/v1/models") {
      rec.completed = true;
      return Response.json({
        object: "list",
        data: FAKE_MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "openai" })),
      });
    }
    if (req.method === "POST" && url.pathname === "/v1/chat/completions") {
      const res = await chat(rec, gone.signal);
      if (!res.body || !(res.headers.get("content-type") ?? "").includes("event-stream")) rec.completed = true;
      return res;
    }
    return openaiError(404, `Unknown request URL: ${req.method} ${url.pathname}`);
  });
  const port = server.addr.port;

  return {
    baseUrl: `${options.tls ? "https" : "http"}://127.0.0.1:${port}/v1`,
    port,
    requests,
    on(rule) {
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    requestsFor(model) {
      return requests.filter((r) => (r.body as { model?: string } | null)?.model === model);
    },
    async waitFor(predicate, timeoutMs = 5000, what = "condition") {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake upstream: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const wake of [...sleepers]) wake();
      for (const c of live) {
        try {
          c.error(new Error("fake upstream closing"));
        } catch { /* already closed */ }
      }
      live.clear();
      abort.abort();
      await server.finished;
    },
  };
}
