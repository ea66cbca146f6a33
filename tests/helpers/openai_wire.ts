/**
 * @module OpenAI Chat Completions wire shapes for the fake upstream, as the API sends them
 * (https://platform.openai.com/docs/api-reference/chat/object, …/chat-streaming, …/errors).
 */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

const CREATED = 1_700_000_000;

export function usageBody(u: Usage): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/** `{"error": {message, type, param, code}}` with the status; a 429 carries `retry-after`. */
export function openaiError(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null } = {},
): Response {
  const body = {
    error: {
      message,
      type: options.type ?? "invalid_request_error",
      param: options.param ?? null,
      code: options.code ?? null,
    },
  };
  return Response.json(body, { status, headers: status === 429 ? { "retry-after": "1" } : {} });
}

/** Splits text into about-three-character deltas. */
export function splitText(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 3) out.push(text.slice(i, i + 3));
  return out;
}

/** A non-stream `chat.completion` with one text choice. */
export function completion(id: string, model: string, text: string, usage: Usage): Record<string, unknown> {
  return {
    id,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [{
      index: 0,
      message: { role: "assistant", content: text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: "stop",
    }],
    usage: usageBody(usage),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

/** One `chat.completion.chunk`; with `include_usage` every chunk carries `usage: null`. */
export function chunk(
  id: string,
  model: string,
  delta: Record<string, unknown>,
  options: { finish: string | null; withUsage: boolean },
): Record<string, unknown> {
  return {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: options.finish }],
    ...(options.withUsage ? { usage: null } : {}),
  };
}

/** The final usage chunk: `choices: []`, sent only when `stream_options.include_usage` was set. */
export function usageChunk(id: string, model: string, usage: Usage): Record<string, unknown> {
  return {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    system_fingerprint: "fp_fake",
    choices: [],
    usage: usageBody(usage),
  };
}
