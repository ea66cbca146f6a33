/** @module OpenAI Chat Completions response ⇄ canonical ChatResponse. */
import type { ChatResponse, ContentPart } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { ResponseSchema } from "./schema.ts";
import { finishFromStopReason, stopReasonFromFinish, usageFromWire, usageToWire } from "./stop_usage.ts";
import { formatPath } from "./schema.ts";

/** Text of a part inside an array `content` (Mistral's `thinking` parts hold text chunks). */
function partTexts(value: unknown): string {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return "";
  return value.map((v) => (typeof v === "object" && v !== null && "text" in v ? String(v.text) : "")).join("");
}

/** Decodes an upstream's Chat Completions body; throws `upstream_error` (502) when it is malformed. */
export function decodeResponse(body: unknown): ChatResponse {
  const parsed = ResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : formatPath(issue.path);
    throw new GatewayError(
      "upstream_error",
      `malformed Chat Completions response from upstream${where === "" ? "" : ` at ${where}`}: ${issue?.message}`,
    );
  }
  const res = parsed.data;
  const choice = res.choices[0];
  const m = choice.message;
  const content: ContentPart[] = [];
  const reasoning = m.reasoning_content ?? m.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") content.push({ type: "thinking", text: reasoning });
  if (typeof m.content === "string") {
    if (m.content !== "") content.push({ type: "text", text: m.content });
  } else if (Array.isArray(m.content)) {
    for (const part of m.content) {
      if (part.type === "text") content.push({ type: "text", text: partTexts(part.text) });
      else if (part.type === "thinking") content.push({ type: "thinking", text: partTexts(part.thinking) });
    }
  }
  const refused = typeof m.refusal === "string" && m.refusal !== "";
  if (refused) content.push({ type: "text", text: m.refusal as string });
  for (const call of m.tool_calls ?? []) {
    if (call.function === undefined) continue; // a custom-tool call: never requested by this codec
    content.push({
      type: "tool_call",
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments ?? "",
    });
  }
  if (m.function_call !== null && m.function_call !== undefined) {
    content.push({
      type: "tool_call",
      id: `call_${res.id ?? "fn"}_0`,
      name: m.function_call.name,
      arguments: m.function_call.arguments ?? "",
    });
  }
  const sawToolCall = content.some((p) => p.type === "tool_call");
  return {
    id: res.id ?? "",
    model: res.model ?? "",
    created: res.created ?? 0,
    content,
    stopReason: refused ? "refusal" : stopReasonFromFinish(choice.finish_reason, sawToolCall),
    usage: usageFromWire(res.usage),
  };
}

/**
 * Encodes a canonical response for an OpenAI client. Thinking goes out as `message.reasoning_content`
 * (what DeepSeek-compatible clients read); signatures and redacted thinking have no place and are left out.
 */
export function encodeResponse(res: ChatResponse): Record<string, unknown> {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of res.content) {
    if (part.type === "text") texts.push(part.text);
    else if (part.type === "thinking") reasoning.push(part.text);
    else if (part.type === "tool_call") {
      toolCalls.push({ id: part.id, type: "function", function: { name: part.name, arguments: part.arguments } });
    }
  }
  const message: Record<string, unknown> = { role: "assistant", content: texts.length > 0 ? texts.join("") : null };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join("");
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  message.refusal = null;
  return {
    id: res.id,
    object: "chat.completion",
    created: res.created,
    model: res.model,
    choices: [{
      index: 0,
      message,
      logprobs: null,
      finish_reason: finishFromStopReason(res.stopReason, toolCalls.length > 0),
    }],
    usage: usageToWire(res.usage),
  };
}
