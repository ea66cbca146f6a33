/**
 * @module A scripted fake upstream (OpenAI Chat, Anthropic Messages or Gemini wire format, streaming SSE or not) for
 * the real-CLI tests. It plays a two-turn tool exchange: while the request carries no tool result it answers with
 * one call of the configured tool; once a tool result comes back it checks that the result holds the secret word
 * and is linked to the call it made (same id; Gemini: same name, and the same id when one came back), and then
 * answers with final text naming the secret. Every request is recorded with what the fake made of it.
 */
import { type Answer, anthropicAnswer, geminiAnswer, json, openaiAnswer, SKIP_SIGNATURE } from "./fake_answers.ts";
import {
  asArray,
  isRecord,
  type Json,
  type ScriptedToolCall,
  type SeenToolCall,
  type SeenToolResult,
  toolNames,
  toolTraffic,
  type UpstreamFormat,
} from "./wire_read.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  stream: boolean;
  /** What the fake answered: the scripted tool call, the final text, plain text (no tools offered), or refused. */
  answer: "tool_call" | "final" | "text" | "unlinked" | "no_secret";
  toolResults: SeenToolResult[];
  toolCalls: SeenToolCall[];
  /** Why a tool result was not accepted. */
  problem?: string;
  /**
   * Turn 2: how the thinking signature of the fake's tool call came back (`own`: verbatim; `skip`: Gemini's
   * skip sentinel; `none`: thinking was off, so none was needed).
   */
  signatureBack?: "own" | "skip" | "none";
}

export interface ScriptedUpstream {
  format: UpstreamFormat;
  /** What a gateway connection takes as `baseUrl` for this format. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The id the fake gave its tool call (Gemini: none is sent, so this is only used for the other formats). */
  callId: string;
  close(): Promise<void>;
}

export interface ScriptedOptions {
  format: UpstreamFormat;
  secret: string;
  toolCall: ScriptedToolCall;
  /** The model id to report back. */
  model: string;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export function startScriptedUpstream(options: ScriptedOptions): ScriptedUpstream {
  const { format, secret, toolCall, model } = options;
  const callId = format === "openai"
    ? `call_sy${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`
    : `toolu_sy${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const requests: RecordedRequest[] = [];
  const signature = btoa(crypto.randomUUID() + crypto.randomUUID()).replaceAll("=", "");

  /** Whether this request asks for thinking, so the tool call carries a signature the next turn must return. */
  function thinkingOn(body: Json): boolean {
    if (format === "anthropic") {
      return isRecord(body.thinking) && (body.thinking.type === "enabled" || body.thinking.type === "adaptive");
    }
    return format === "gemini"; // Gemini 2.5+ signs function calls whenever it thinks (the default).
  }

  /** Turn 2: the signature on our call in the history, as the real vendor demands it (else its 400). */
  function signatureBack(body: Json): { how?: "own" | "skip" | "none"; problem?: string; error?: Response } {
    if (format === "anthropic") {
      if (!thinkingOn(body)) return { how: "none" };
      for (const m of asArray(body.messages)) {
        if (!isRecord(m) || m.role !== "assistant") continue;
        const blocks = asArray(m.content).filter(isRecord);
        if (!blocks.some((b) => b.type === "tool_use" && b.id === callId)) continue;
        const first = blocks[0];
        if (first?.type === "thinking" && first.signature === signature) return { how: "own" };
        const message = "messages: Expected `thinking` or `redacted_thinking`, but found " +
          `\`${String(first?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with ` +
          "a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).";
        return {
          problem: `the thinking block (with its signature) before our tool_use did not come back: ${message}`,
          error: json({ type: "error", error: { type: "invalid_request_error", message } }, 400),
        };
      }
      return { problem: "no assistant turn holds our tool_use" };
    }
    if (format === "gemini") {
      for (const c of asArray(body.contents)) {
        if (!isRecord(c)) continue;
        for (const part of asArray(c.parts)) {
          if (!isRecord(part) || !isRecord(part.functionCall)) continue;
          if (part.thoughtSignature === signature) return { how: "own" };
          if (part.thoughtSignature === SKIP_SIGNATURE) return { how: "skip" };
          const message = `Function call is missing a thought_signature in functionCall parts (got ${
            JSON.stringify(part.thoughtSignature ?? null)
          }).`;
          return {
            problem: message,
            error: json({ error: { code: 400, message, status: "INVALID_ARGUMENT" } }, 400),
          };
        }
      }
      return { problem: "no model turn holds our functionCall" };
    }
    return { how: "none" };
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (req.method === "GET") {
      if (format === "openai" && path.endsWith("/models")) {
        return json({ object: "list", data: [{ id: model, object: "model", owned_by: "fake" }] });
      }
      return json({ error: { message: `no GET ${path}` } }, 404);
    }
    const routeOk = format === "openai"
      ? path.endsWith("/chat/completions")
      : format === "anthropic"
      ? path === "/v1/messages"
      : /^\/v1beta\/models\/.+:(stream)?[gG]enerateContent$/.test(path);
    if (!routeOk) return json({ error: { message: `fake ${format} upstream has no route ${path}` } }, 404);
    let body: Json;
    try {
      body = await req.json();
    } catch {
      return json({ error: { message: "body is not JSON" } }, 400);
    }
    const stream = format === "gemini" ? path.endsWith(":streamGenerateContent") : body.stream === true;
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    const { calls, results } = toolTraffic(format, body);
    const record: RecordedRequest = {
      method: req.method,
      path: path + url.search,
      headers,
      body,
      stream,
      answer: "text",
      toolResults: results,
      toolCalls: calls,
    };
    requests.push(record);

    let answer: Answer;
    if (results.length > 0) {
      const result = results.find((r) => r.text.includes(secret));
      const ourCall = calls.find((c) => c.name === toolCall.name);
      if (!result) {
        record.answer = "no_secret";
        record.problem = `no tool result holds the secret; results: ${
          JSON.stringify(results.map((r) => ({ ...r, text: r.text.slice(0, 300) })))
        }`;
        answer = { kind: "text", text: "The tool result did not contain what I expected." };
      } else {
        let linked: boolean;
        if (format === "gemini") {
          // Gemini links a response to its call by name (and by id when the call had one).
          linked = result.name === toolCall.name && ourCall !== undefined &&
            (ourCall.id === undefined || ourCall.id === result.id);
        } else {
          linked = result.id === callId && ourCall?.id === callId;
        }
        const back = signatureBack(body);
        record.signatureBack = back.how;
        if (back.error) {
          record.answer = "unlinked";
          record.problem = back.problem;
          return back.error;
        }
        if (back.problem) {
          record.answer = "unlinked";
          record.problem = back.problem;
          answer = { kind: "text", text: "The tool call in the history is not mine." };
        } else if (linked) {
          record.answer = "final";
          answer = { kind: "text", text: `The secret word in the file is ${secret}.` };
        } else {
          record.answer = "unlinked";
          record.problem = `tool result ${JSON.stringify({ id: result.id, name: result.name })} is not linked to ` +
            `call ${JSON.stringify(ourCall ?? null)} (expected id ${format === "gemini" ? "n/a" : callId})`;
          answer = { kind: "text", text: "The tool result was not linked to my call." };
        }
      }
    } else if (toolNames(format, body).includes(toolCall.name)) {
      record.answer = "tool_call";
      answer = { kind: "tool", id: callId, call: toolCall, signature: thinkingOn(body) ? signature : undefined };
    } else {
      record.answer = "text";
      answer = { kind: "text", text: "OK." };
    }

    if (format === "openai") {
      const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
      return openaiAnswer(answer, model, stream, includeUsage);
    }
    if (format === "anthropic") return anthropicAnswer(answer, model, stream);
    return geminiAnswer(answer, model, stream);
  }

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handle);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    format,
    baseUrl: format === "openai" ? `${origin}/v1` : origin,
    requests,
    callId,
    close: () => server.shutdown(),
  };
}
