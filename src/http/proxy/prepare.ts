/** @module Builds the upstream request for one candidate: same-format pass-through, or translation via codecs. */
import type { ChatRequest } from "../../core/canonical.ts";
import { overrideReasoning } from "../../core/request_overrides.ts";
import type { Candidate } from "../../routing/resolve.ts";
import { codecFor } from "../../translate/mod.ts";
import type { ProxyJob } from "./job.ts";

export interface PreparedCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Hints the target format could not carry (`x-switchyard-dropped`). */
  dropped: string[];
  /** True when the body went through as the client sent it (model aside). */
  passthrough: boolean;
}

/** Vendor headers that only mean something to Anthropic and pass through to an Anthropic upstream. */
const ANTHROPIC_HEADERS = ["anthropic-beta", "anthropic-version"];

/** Decodes the client's request once per job (lazy: only when a candidate needs translation). */
export function canonicalOf(job: ProxyJob): ChatRequest {
  if (!job.canonical) {
    const req = codecFor(job.surface).decodeRequest(job.body);
    req.model = job.requestedModel;
    req.stream = job.stream;
    // The raw body carries the override in the client's terms; a budget is kept exact for the target's terms.
    if (job.thinking) req.reasoning = overrideReasoning(req.reasoning, job.thinking);
    job.canonical = req;
  }
  return job.canonical;
}

export function prepareCall(job: ProxyJob, candidate: Candidate): PreparedCall {
  const { connection, target } = candidate;
  const provider = connection.provider;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...provider.headers(connection.apiKey),
  };
  let url = provider.chatUrl({
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    model: target.model,
    stream: job.stream,
  });
  let body: Record<string, unknown>;
  let dropped: string[] = [];
  const passthrough = provider.format === job.surface;
  if (passthrough) {
    body = provider.format === "gemini" ? job.body : { ...job.body, model: target.model };
    if (provider.format === "anthropic") {
      for (const name of ANTHROPIC_HEADERS) {
        const value = job.clientHeaders.get(name);
        if (value) headers[name] = value;
      }
      if (job.clientQuery) url += (url.includes("?") ? "&" : "?") + job.clientQuery;
    }
  } else {
    const encoded = codecFor(provider.format).encodeRequest(canonicalOf(job), { model: target.model });
    body = encoded.body;
    dropped = encoded.dropped;
  }
  if (provider.format === "openai" && job.stream) {
    // Ask for the final usage chunk; the stream step hides it from clients that did not ask for it.
    const options = (body.stream_options ?? {}) as Record<string, unknown>;
    body = { ...body, stream: true, stream_options: { ...options, include_usage: true } };
  }
  return { url, headers, body: JSON.stringify(body), dropped, passthrough };
}

/** True when the client asked an OpenAI-format stream for the usage chunk itself. */
export function clientWantsUsage(job: ProxyJob): boolean {
  const options = job.body.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage === true;
}
