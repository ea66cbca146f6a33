/**
 * @module The translator page's two streams. POST /translator/chat sends a real streaming chat completion through
 * the gateway's own proxy path in-process (the dashboard session is the principal: no gateway key leaves the server,
 * the call shows in usage, logs and the live monitor like any other) and pipes the SSE answer to the page.
 * GET /dashboard/live is the live monitor: each committed usage row as an SSE event, from the Gateway's event bus
 * (bounded buffer per client, unsubscribed when the client goes away).
 */
import { Hono } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import { liveRow } from "../../dashboard/mod.ts";
import { listApiKeys } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { guarded, readForm } from "./dashboard_base.ts";
import { runProxy } from "./ingress.ts";

/** A comment line keeps proxies from closing an idle monitor. */
const KEEPALIVE_MS = 15_000;
const MAX_MESSAGE_CHARS = 100_000;

export function livePageRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post(
    "/translator/chat",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const model = form.text("model");
      const message = form.text("message");
      const system = form.text("system");
      if (!model) throw new GatewayError("invalid_request", "choose a model or combo", { param: "model" });
      if (!message) throw new GatewayError("invalid_request", "write a message", { param: "message" });
      if (message.length + system.length > MAX_MESSAGE_CHARS) {
        throw new GatewayError("payload_too_large", `the chat tester takes at most ${MAX_MESSAGE_CHARS} characters`);
      }
      const messages = [
        ...(system ? [{ role: "system", content: system }] : []),
        { role: "user", content: message },
      ];
      const body: Record<string, unknown> = { model, messages, stream: true, stream_options: { include_usage: true } };
      const maxTokens = Number(form.text("max_tokens"));
      if (form.text("max_tokens") !== "" && Number.isInteger(maxTokens) && maxTokens > 0) body.max_tokens = maxTokens;
      return await runProxy(gw, c, { surface: "openai", model, stream: true, body });
    }),
  );

  app.get(
    "/dashboard/live",
    guarded(gw, (c) => {
      const sub = gw.events.subscribe();
      const enc = new TextEncoder();
      let names = new Map(listApiKeys(gw.db).map((k) => [k.id, k.name]));
      let timer: ReturnType<typeof setInterval> | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(enc.encode(`retry: 3000\n: connected\n\n`));
          timer = setInterval(() => {
            try {
              controller.enqueue(enc.encode(`: keepalive\n\n`));
            } catch { /* closed */ }
          }, KEEPALIVE_MS);
        },
        async pull(controller) {
          const row = await sub.next();
          if (row === undefined) {
            clearInterval(timer);
            controller.close();
            return;
          }
          if (row.keyId && !names.has(row.keyId)) names = new Map(listApiKeys(gw.db).map((k) => [k.id, k.name]));
          controller.enqueue(enc.encode(`event: usage\ndata: ${JSON.stringify(liveRow(row, names))}\n\n`));
        },
        cancel() {
          clearInterval(timer);
          sub.close();
        },
      });
      c.req.raw.signal.addEventListener("abort", () => {
        clearInterval(timer);
        sub.close();
      }, { once: true });
      return new Response(stream, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    }),
  );

  return app;
}
