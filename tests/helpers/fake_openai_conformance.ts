/**
 * @module The fake OpenAI Chat Completions upstream of the conformance matrix: `chat.completion` bodies,
 * `chat.completion.chunk` streams with the final usage chunk (when `stream_options.include_usage`) and `[DONE]`,
 * and OpenAI's error body (https://platform.openai.com/docs/api-reference/chat).
 */
import { type AnswerInput, frame, isMidstream, jsonResponse, SHARED, sseResponse } from "./fake_wire.ts";

export const OPENAI_FAKE = {
  id: "chatcmpl-fakeConformance01",
  created: 1_760_000_000,
  text: "Hello from the OpenAI fake.",
  textChunks: ["Hello", " from the", " OpenAI fake."],
  reasoning: "The user wants a greeting.",
  reasoningChunks: ["The user wants", " a greeting."],
  toolCallId: "call_fakeWeather01",
  usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
  reasoningTokens: 5,
  error429: "Rate limit reached for gpt-4.1 in organization org-fake on tokens per min (TPM): Limit 30000.",
  error400: "Invalid 'messages[1].content': string too long. Expected a string with maximum length 1048576.",
  streamError: "The server had an error while processing your request. Sorry about that!",
} as const;

type Obj = Record<string, unknown>;

function usageObject(reasoning: boolean): Obj {
  const u = OPENAI_FAKE.usage;
  const extra = reasoning ? OPENAI_FAKE.reasoningTokens : 0;
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens + extra,
    total_tokens: u.total_tokens + extra,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: extra,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function completion(model: string, message: Obj, finish: string, reasoning: boolean): Obj {
  return {
    id: OPENAI_FAKE.id,
    object: "chat.completion",
    created: OPENAI_FAKE.created,
    model,
    choices: [{
      index: 0,
      message: { refusal: null, annotations: [], ...message },
      logprobs: null,
      finish_reason: finish,
    }],
    usage: usageObject(reasoning),
    service_tier: "default",
    system_fingerprint: "fp_fake01",
  };
}

function chunk(model: string, delta: Obj, finish: string | null = null): string {
  return frame({
    id: OPENAI_FAKE.id,
    object: "chat.completion.chunk",
    created: OPENAI_FAKE.created,
    model,
    service_tier: "default",
    system_fingerprint: "fp_fake01",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
}

function usageChunk(model: string, reasoning: boolean): string {
  return frame({
    id: OPENAI_FAKE.id,
    object: "chat.completion.chunk",
    created: OPENAI_FAKE.created,
    model,
    choices: [],
    usage: usageObject(reasoning),
  });
}

function errorBody(message: string, type: string, code: string | null, param: string | null): Obj {
  return { error: { message, type, param, code } };
}

function streamFrames(input: AnswerInput): { frames: string[]; reasoning: boolean } {
  const { model, scenario } = input;
  const frames = [chunk(model, { role: "assistant", content: "", refusal: null })];
  if (scenario === "tool") {
    frames.push(chunk(model, {
      tool_calls: [{
        index: 0,
        id: OPENAI_FAKE.toolCallId,
        type: "function",
        function: { name: SHARED.toolName, arguments: "" },
      }],
    }));
    for (const piece of SHARED.toolArgumentChunks) {
      frames.push(chunk(model, { tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
    frames.push(chunk(model, {}, "tool_calls"));
    return { frames, reasoning: false };
  }
  const reasoning = scenario === "thinking";
  if (reasoning) {
    for (const piece of OPENAI_FAKE.reasoningChunks) frames.push(chunk(model, { reasoning_content: piece }));
  }
  for (const piece of OPENAI_FAKE.textChunks) frames.push(chunk(model, { content: piece }));
  frames.push(chunk(model, {}, "stop"));
  return { frames, reasoning };
}

export function openaiAnswer(input: AnswerInput): Response {
  const { scenario, model, stream } = input;
  if (scenario === "error429") {
    return jsonResponse(
      errorBody(OPENAI_FAKE.error429, "tokens", "rate_limit_exceeded", null),
      429,
      { "retry-after": "1", "x-ratelimit-remaining-requests": "0" },
    );
  }
  if (scenario === "error400") {
    return jsonResponse(
      errorBody(OPENAI_FAKE.error400, "invalid_request_error", "string_above_max_length", "messages"),
      400,
    );
  }
  if (stream) {
    if (isMidstream(scenario)) {
      const frames = streamFrames({ ...input, scenario: "text" }).frames.slice(0, 3);
      if (scenario === "midstream_event") {
        frames.push(frame(errorBody(OPENAI_FAKE.streamError, "server_error", null, null)));
      }
      return sseResponse(frames, { abort: scenario === "midstream_reset" });
    }
    const { frames, reasoning } = streamFrames(input);
    const options = input.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) frames.push(usageChunk(model, reasoning));
    frames.push(frame("[DONE]"));
    return sseResponse(frames);
  }
  if (scenario === "tool") {
    return jsonResponse(completion(
      model,
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: OPENAI_FAKE.toolCallId,
          type: "function",
          function: { name: SHARED.toolName, arguments: SHARED.toolArguments },
        }],
      },
      "tool_calls",
      false,
    ));
  }
  const reasoning = scenario === "thinking";
  const message: Obj = { role: "assistant", content: OPENAI_FAKE.text };
  if (reasoning) message.reasoning_content = OPENAI_FAKE.reasoning;
  return jsonResponse(completion(model, message, "stop", reasoning));
}
