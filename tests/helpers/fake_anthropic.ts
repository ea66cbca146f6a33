/**
 * @module The fake Anthropic Messages upstream of the conformance matrix: `message` bodies, the documented SSE
 * sequence (message_start, content_block_start/delta/stop with text_delta, input_json_delta, thinking_delta and
 * signature_delta, message_delta, message_stop, ping) and Anthropic's error body
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 */
import { type AnswerInput, frame, isMidstream, jsonResponse, SHARED, sseResponse } from "./fake_wire.ts";

export const ANTHROPIC_FAKE = {
  id: "msg_01FakeConformance",
  text: "Hello from the Anthropic fake.",
  textChunks: ["Hello", " from the", " Anthropic fake."],
  toolPreamble: "Let me check the weather.",
  toolCallId: "toolu_01FakeWeatherCall",
  thinking: "The user wants a greeting, so I greet.",
  thinkingChunks: ["The user wants a greeting,", " so I greet."],
  signature: "EqQBCkYIBxgCKkBfakeSignatureForConformanceTestsOnly0123456789abcdefABCDEF==",
  /** Prompt caching in play: most input comes from the cache (Claude Code's usual shape). */
  usage: { input_tokens: 4, cache_creation_input_tokens: 6, cache_read_input_tokens: 1200, output_tokens: 12 },
  error429: "Number of request tokens has exceeded your per-minute rate limit (fake org).",
  error400: "messages.1.content.0.tool_use.input: Input should be a valid dictionary",
  streamError: "Overloaded",
} as const;

/** Input tokens the fake reports, cache reads and writes included (what a Chat client's prompt_tokens should be). */
export const ANTHROPIC_TOTAL_INPUT = ANTHROPIC_FAKE.usage.input_tokens +
  ANTHROPIC_FAKE.usage.cache_creation_input_tokens + ANTHROPIC_FAKE.usage.cache_read_input_tokens;

type Obj = Record<string, unknown>;

function message(model: string, content: Obj[], stopReason: string): Obj {
  return {
    id: ANTHROPIC_FAKE.id,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...ANTHROPIC_FAKE.usage, service_tier: "standard" },
  };
}

function contentFor(scenario: AnswerInput["scenario"]): { blocks: Obj[]; stop: string } {
  if (scenario === "tool") {
    return {
      blocks: [
        { type: "text", text: ANTHROPIC_FAKE.toolPreamble },
        {
          type: "tool_use",
          id: ANTHROPIC_FAKE.toolCallId,
          name: SHARED.toolName,
          input: JSON.parse(SHARED.toolArguments),
        },
      ],
      stop: "tool_use",
    };
  }
  const blocks: Obj[] = [];
  if (scenario === "thinking") {
    blocks.push({ type: "thinking", thinking: ANTHROPIC_FAKE.thinking, signature: ANTHROPIC_FAKE.signature });
  }
  blocks.push({ type: "text", text: ANTHROPIC_FAKE.text });
  return { blocks, stop: "end_turn" };
}

function ev(type: string, data: Obj): string {
  return frame({ type, ...data }, type);
}

function streamFrames(model: string, scenario: AnswerInput["scenario"]): string[] {
  const { cache_creation_input_tokens, cache_read_input_tokens, input_tokens } = ANTHROPIC_FAKE.usage;
  const frames = [
    ev("message_start", {
      message: {
        ...message(model, [], "end_turn"),
        stop_reason: null,
        usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens: 1 },
      },
    }),
  ];
  const { blocks, stop } = contentFor(scenario);
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      frames.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
      if (index === 0) frames.push(ev("ping", {}));
      const pieces = block.text === ANTHROPIC_FAKE.text ? ANTHROPIC_FAKE.textChunks : [String(block.text)];
      for (const text of pieces) {
        frames.push(ev("content_block_delta", { index, delta: { type: "text_delta", text } }));
      }
    } else if (block.type === "thinking") {
      frames.push(
        ev("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }),
      );
      for (const thinking of ANTHROPIC_FAKE.thinkingChunks) {
        frames.push(ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking } }));
      }
      frames.push(
        ev("content_block_delta", { index, delta: { type: "signature_delta", signature: ANTHROPIC_FAKE.signature } }),
      );
    } else {
      frames.push(ev("content_block_start", { index, content_block: { ...block, input: {} } }));
      for (const partial_json of SHARED.toolArgumentChunks) {
        frames.push(ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }));
      }
    }
    frames.push(ev("content_block_stop", { index }));
  });
  frames.push(
    ev("message_delta", {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: ANTHROPIC_FAKE.usage.output_tokens },
    }),
    ev("message_stop", {}),
  );
  return frames;
}

function errorBody(type: string, message: string): Obj {
  return { type: "error", error: { type, message }, request_id: "req_fake01" };
}

export function anthropicAnswer(input: AnswerInput): Response {
  const { scenario, model, stream } = input;
  if (scenario === "error429") {
    return jsonResponse(errorBody("rate_limit_error", ANTHROPIC_FAKE.error429), 429, {
      "retry-after": "1",
      "request-id": "req_fake01",
    });
  }
  if (scenario === "error400") {
    return jsonResponse(errorBody("invalid_request_error", ANTHROPIC_FAKE.error400), 400, {
      "request-id": "req_fake01",
    });
  }
  if (stream) {
    if (isMidstream(scenario)) {
      const frames = streamFrames(model, "text").slice(0, 4);
      if (scenario === "midstream_event") {
        frames.push(frame(errorBody("overloaded_error", ANTHROPIC_FAKE.streamError), "error"));
      }
      return sseResponse(frames, { abort: scenario === "midstream_reset", headers: { "request-id": "req_fake01" } });
    }
    return sseResponse(streamFrames(model, scenario), { headers: { "request-id": "req_fake01" } });
  }
  const { blocks, stop } = contentFor(scenario);
  return jsonResponse(message(model, blocks, stop), 200, { "request-id": "req_fake01" });
}
