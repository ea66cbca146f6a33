/**
 * @module Responses response object ⇄ canonical ChatResponse, plus the pieces the stream encoder shares with it
 * (usage, stop reason ⇄ status, the response envelope with the echo fields the SDK types require).
 */
import type { ChatResponse, ContentPart, StopReason, Usage } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import { z } from "zod";
import { customInputToArguments, flatToolName } from "./tool_names.ts";
import { decodeEncryptedContent, encryptedContentFor, encryptedContentForRedacted } from "./signature.ts";

type Item = Record<string, unknown>;

const UsageSchema = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

const OutputItemSchema = z.looseObject({ type: z.string() });

const ResponseSchema = z.looseObject({
  id: z.string(),
  created_at: z.number(),
  model: z.string(),
  status: z.string().nullish(),
  output: z.array(OutputItemSchema),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string() }).nullish(),
  usage: UsageSchema.nullish(),
});

const TextPartsSchema = z.array(
  z.looseObject({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() }),
);
const FunctionCallSchema = z.looseObject({
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  namespace: z.string().nullish(),
});
const CustomCallSchema = z.looseObject({
  call_id: z.string(),
  name: z.string(),
  input: z.string(),
  namespace: z.string().nullish(),
});
const ReasoningSchema = z.looseObject({
  summary: z.array(z.looseObject({ text: z.string() })).nullish(),
  content: z.array(z.looseObject({ text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

/** Responses usage → canonical (both already count cached input and reasoning output inside the totals). */
export function decodeUsage(value: unknown): Usage {
  const parsed = UsageSchema.safeParse(value);
  if (!parsed.success) return { inputTokens: 0, outputTokens: 0 };
  const u = parsed.data;
  const out: Usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
  const cached = u.input_tokens_details?.cached_tokens ?? 0;
  const reasoning = u.output_tokens_details?.reasoning_tokens ?? 0;
  if (cached > 0) out.cachedInputTokens = cached;
  if (reasoning > 0) out.reasoningTokens = reasoning;
  return out;
}

export function encodeUsage(u: Usage): Item {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** The canonical stop reason of a finished response. */
export function stopReasonFor(status: string | null | undefined, reason: string | null | undefined, flags: {
  toolCall: boolean;
  refusal: boolean;
}): StopReason {
  if (status === "incomplete") {
    if (reason === "content_filter") return "content_filter";
    return "max_tokens";
  }
  if (flags.refusal) return "refusal";
  return flags.toolCall ? "tool_use" : "end_turn";
}

/** `status` and `incomplete_details` for a canonical stop reason. */
export function statusFor(stop: StopReason): { status: string; incomplete_details: Item | null } {
  if (stop === "max_tokens") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (stop === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/**
 * A full response object. The request is not known here, so the echo fields carry the API's defaults; the
 * openai-node `Response` type requires them (its `output_text` is computed client-side, not sent).
 */
export function responseEnvelope(fields: { id: string; model: string; created: number; status: string }): Item {
  return {
    id: fields.id,
    object: "response",
    created_at: fields.created,
    status: fields.status,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: fields.model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: null,
    truncation: "disabled",
    usage: null,
    metadata: {},
  };
}

/** Output item ids, derived from the response id and the item's position (`msg_abc_0` for `resp_abc`). */
export function itemId(prefix: "msg" | "fc" | "rs", responseId: string, outputIndex: number): string {
  return `${prefix}_${responseId.replace(/^resp_/, "")}_${outputIndex}`;
}

export function messageItem(id: string, text: string, status: string): Item {
  return {
    id,
    type: "message",
    status,
    role: "assistant",
    content: [{ type: "output_text", annotations: [], logprobs: [], text }],
  };
}

export function functionCallItem(
  id: string,
  call: { id: string; name: string; arguments: string },
  status: string,
): Item {
  return { id, type: "function_call", status, arguments: call.arguments, call_id: call.id, name: call.name };
}

export function reasoningItem(id: string, text: string, encrypted: string | undefined): Item {
  const item: Item = { id, type: "reasoning", summary: text === "" ? [] : [{ type: "summary_text", text }] };
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

function bad(message: string): GatewayError {
  return new GatewayError("upstream_error", `Malformed Responses body: ${message}`);
}

function decodeOutputItem(item: Item, flags: { toolCall: boolean; refusal: boolean }): ContentPart[] {
  switch (item.type) {
    case "message": {
      const parts = TextPartsSchema.safeParse(item.content);
      if (!parts.success) throw bad("message content");
      return parts.data.flatMap((p): ContentPart[] => {
        if (p.type === "refusal") {
          flags.refusal = true;
          return [{ type: "text", text: p.refusal ?? "" }];
        }
        return p.type === "output_text" ? [{ type: "text", text: p.text ?? "" }] : [];
      });
    }
    case "function_call": {
      const call = FunctionCallSchema.safeParse(item);
      if (!call.success) throw bad("function_call item");
      flags.toolCall = true;
      const c = call.data;
      return [{ type: "tool_call", id: c.call_id, name: flatToolName(c.namespace, c.name), arguments: c.arguments }];
    }
    case "custom_tool_call": {
      const call = CustomCallSchema.safeParse(item);
      if (!call.success) throw bad("custom_tool_call item");
      flags.toolCall = true;
      const c = call.data;
      const name = flatToolName(c.namespace, c.name);
      return [{ type: "tool_call", id: c.call_id, name, arguments: customInputToArguments(c.input) }];
    }
    case "reasoning": {
      const r = ReasoningSchema.safeParse(item);
      if (!r.success) throw bad("reasoning item");
      const summary = (r.data.summary ?? []).map((s) => s.text);
      const text = summary.length > 0 ? summary.join("\n\n") : (r.data.content ?? []).map((c) => c.text).join("");
      if (!r.data.encrypted_content) return [{ type: "thinking", text }];
      const state = decodeEncryptedContent(r.data.encrypted_content);
      if (state.kind === "redacted") return [{ type: "redacted_thinking", data: state.data }];
      return [{ type: "thinking", text, signature: state.signature, signatureFormat: state.signatureFormat }];
    }
    default:
      // Records of hosted tools the upstream ran itself (web_search_call, …): their results are already in the
      // message text, and no other format has a place for them.
      return [];
  }
}

/** Upstream Responses body → canonical response. */
export function decodeResponse(body: unknown): ChatResponse {
  const parsed = ResponseSchema.safeParse(body);
  if (!parsed.success) throw bad(parsed.error.issues[0]?.message ?? "not a response object");
  const r = parsed.data;
  if (r.status === "failed") {
    throw new GatewayError("upstream_error", r.error?.message ?? "The upstream response failed");
  }
  const flags = { toolCall: false, refusal: false };
  const content = r.output.flatMap((item) => decodeOutputItem(item, flags));
  return {
    id: r.id,
    model: r.model,
    created: r.created_at,
    content,
    stopReason: stopReasonFor(r.status, r.incomplete_details?.reason, flags),
    usage: decodeUsage(r.usage),
  };
}

/** Canonical response → Responses response object for the client. */
export function encodeResponse(res: ChatResponse): Record<string, unknown> {
  const output: Item[] = [];
  for (const part of res.content) {
    const index = output.length;
    if (part.type === "text") output.push(messageItem(itemId("msg", res.id, index), part.text, "completed"));
    else if (part.type === "tool_call") output.push(functionCallItem(itemId("fc", res.id, index), part, "completed"));
    else if (part.type === "thinking") {
      const encrypted = part.signature === undefined
        ? undefined
        : encryptedContentFor(part.signature, part.signatureFormat);
      output.push(reasoningItem(itemId("rs", res.id, index), part.text, encrypted));
    } else if (part.type === "redacted_thinking") {
      output.push(reasoningItem(itemId("rs", res.id, index), "", encryptedContentForRedacted(part.data)));
    }
  }
  const { status, incomplete_details } = statusFor(res.stopReason);
  return {
    ...responseEnvelope({ id: res.id, model: res.model, created: res.created, status }),
    incomplete_details,
    output,
    usage: encodeUsage(res.usage),
  };
}
