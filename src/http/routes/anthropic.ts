/** @module The Anthropic surface: POST /v1/messages and /v1/messages/count_tokens. */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../core/errors.ts";
import { candidatesFor, resolveTargets } from "../../routing/resolve.ts";
import { codecFor } from "../../translate/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { callUpstream, readBounded } from "../proxy/upstream.ts";
import { estimateRequestTokens } from "../../usage/estimate.ts";
import { readJsonObject, runProxy, validate } from "./ingress.ts";

const messagesSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  messages: z.array(z.looseObject({ role: z.string() })),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().nullish(),
});

const countSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  messages: z.array(z.looseObject({ role: z.string() })),
});

export function anthropicRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/v1/messages", async (c) => {
    const body = await readJsonObject(c);
    const req = validate(messagesSchema, body);
    return await runProxy(gw, c, { surface: "anthropic", model: req.model, stream: req.stream === true, body });
  });

  /**
   * Exact when the first candidate is an Anthropic-format upstream (its own count_tokens endpoint); otherwise a
   * documented local estimate (about 4 characters a token over all text, tool schemas included).
   */
  app.post("/v1/messages/count_tokens", async (c) => {
    const body = await readJsonObject(c);
    const req = validate(countSchema, body);
    const candidates = candidatesFor(gw.state, resolveTargets(gw.state, req.model));
    const first = candidates[0];
    if (first && first.connection.provider.format === "anthropic") {
      const provider = first.connection.provider;
      const headers: Record<string, string> = {
        "content-type": "application/json",
        ...provider.headers(first.connection.apiKey),
      };
      for (const name of ["anthropic-beta", "anthropic-version"]) {
        const v = c.req.header(name);
        if (v) headers[name] = v;
      }
      const url = provider.chatUrl({
        baseUrl: first.connection.baseUrl,
        apiKey: first.connection.apiKey,
        model: first.target.model,
        stream: false,
      }) +
        "/count_tokens";
      const { response } = await callUpstream(gw.fetch, {
        url,
        headers,
        body: JSON.stringify({ ...body, model: first.target.model }),
        timeoutMs: gw.state.settings.resilience.requestTimeoutMs,
        signal: c.req.raw.signal,
      });
      const text = await readBounded(response, 1024 * 1024);
      if (!response.ok) {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch { /* plain text */ }
        const wire = codecFor("anthropic").decodeError(response.status, parsed);
        throw new GatewayError(response.status >= 500 ? "upstream_error" : "invalid_request", wire.message, {
          status: response.status,
        });
      }
      return c.body(text, 200, { "content-type": "application/json", "x-switchyard-count": "exact" });
    }
    const canonical = codecFor("anthropic").decodeRequest(body);
    return c.json({ input_tokens: estimateRequestTokens(canonical) }, 200, { "x-switchyard-count": "estimate" });
  });

  return app;
}
