/**
 * @module The scripted fake upstream's answers on the wire: OpenAI Chat chunks, Anthropic Messages events and
 * Gemini `alt=sse` chunks (or the non-streaming bodies), each either one tool call or text, with thinking and its
 * signature when the request asked for it.
 */
import { type Json, type ScriptedToolCall } from "./wire_read.ts";

const encoder = new TextEncoder();

export function sse(frames: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const f of frames) controller.enqueue(encoder.encode(f));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

export function json(value: unknown, status = 200): Response {
  return Response.json(value, { status });
}

/** One answer: either a tool call or text. */
export type Answer =
  | { kind: "tool"; id: string; call: ScriptedToolCall; signature?: string }
  | { kind: "text"; text: string; signature?: string };

/** Anthropic: thinking the model "did" before answering, when the request enabled it. */
export const THINKING_TEXT = "The user wants the secret word; I should read the file.";

/** Gemini's documented sentinel for a function call whose thoughtSignature is unknown. */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";

export function openaiAnswer(answer: Answer, model: string, stream: boolean, includeUsage: boolean): Response {
  const id = `chatcmpl-${crypto.randomUUID().slice(0, 8)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 };
  const finish = answer.kind === "tool" ? "tool_calls" : "stop";
  if (!stream) {
    const message = answer.kind === "tool"
      ? {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: answer.id,
          type: "function",
          function: { name: answer.call.name, arguments: JSON.stringify(answer.call.args) },
        }],
      }
      : { role: "assistant", content: answer.text };
    return json({
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message, finish_reason: finish }],
      usage,
    });
  }
  const chunk = (delta: Json, finishReason: string | null = null) =>
    `data: ${
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      })
    }\n\n`;
  const frames: string[] = [];
  if (answer.kind === "tool") {
    const args = JSON.stringify(answer.call.args);
    const half = Math.floor(args.length / 2);
    frames.push(chunk({
      role: "assistant",
      content: null,
      tool_calls: [{ index: 0, id: answer.id, type: "function", function: { name: answer.call.name, arguments: "" } }],
    }));
    frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] }));
    frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] }));
  } else {
    frames.push(chunk({ role: "assistant", content: "" }));
    for (const piece of answer.text.match(/.{1,12}/gs) ?? []) frames.push(chunk({ content: piece }));
  }
  frames.push(chunk({}, finish));
  if (includeUsage) {
    frames.push(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`,
    );
  }
  frames.push("data: [DONE]\n\n");
  return sse(frames);
}

export function anthropicAnswer(answer: Answer, model: string, stream: boolean): Response {
  const id = `msg_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const stopReason = answer.kind === "tool" ? "tool_use" : "end_turn";
  if (!stream) {
    const content: Json[] = answer.signature
      ? [{ type: "thinking", thinking: THINKING_TEXT, signature: answer.signature }]
      : [];
    content.push(
      answer.kind === "tool"
        ? { type: "tool_use", id: answer.id, name: answer.call.name, input: answer.call.args }
        : { type: "text", text: answer.text },
    );
    return json({
      id,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: 120, output_tokens: 12 },
    });
  }
  const ev = (name: string, data: Json) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  const frames = [
    ev("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 120, output_tokens: 1 },
      },
    }),
    ev("ping", {}),
  ];
  let index = 0;
  if (answer.signature) {
    frames.push(ev("content_block_start", { index, content_block: { type: "thinking", thinking: "" } }));
    frames.push(ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking: THINKING_TEXT } }));
    frames.push(ev("content_block_delta", { index, delta: { type: "signature_delta", signature: answer.signature } }));
    frames.push(ev("content_block_stop", { index }));
    index++;
  }
  if (answer.kind === "tool") {
    const args = JSON.stringify(answer.call.args);
    const half = Math.floor(args.length / 2);
    frames.push(ev("content_block_start", {
      index,
      content_block: { type: "tool_use", id: answer.id, name: answer.call.name, input: {} },
    }));
    frames.push(ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: "" } }));
    frames.push(
      ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args.slice(0, half) } }),
    );
    frames.push(
      ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args.slice(half) } }),
    );
  } else {
    frames.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
    for (const piece of answer.text.match(/.{1,12}/gs) ?? []) {
      frames.push(ev("content_block_delta", { index, delta: { type: "text_delta", text: piece } }));
    }
  }
  frames.push(ev("content_block_stop", { index }));
  frames.push(
    ev("message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 12 } }),
  );
  frames.push(ev("message_stop", {}));
  return sse(frames);
}

export function geminiAnswer(answer: Answer, model: string, stream: boolean): Response {
  const usageMetadata = { promptTokenCount: 120, candidatesTokenCount: 12, totalTokenCount: 132 };
  const responseId = crypto.randomUUID().slice(0, 12);
  const candidate = (parts: Json[], finishReason?: string) => ({
    content: { role: "model", parts },
    index: 0,
    ...(finishReason ? { finishReason } : {}),
  });
  // The Gemini Developer API sends function calls without an id; the gateway has to make one up for its client.
  const parts = answer.kind === "tool"
    ? [{
      functionCall: { name: answer.call.name, args: answer.call.args },
      ...(answer.signature ? { thoughtSignature: answer.signature } : {}),
    }]
    : [{ text: answer.text }];
  if (!stream) {
    return json({ candidates: [candidate(parts, "STOP")], usageMetadata, modelVersion: model, responseId });
  }
  const frames: string[] = [];
  if (answer.kind === "tool") {
    frames.push(
      `data: ${
        JSON.stringify({ candidates: [candidate(parts, "STOP")], usageMetadata, modelVersion: model, responseId })
      }\r\n\r\n`,
    );
  } else {
    const pieces = answer.text.match(/.{1,12}/gs) ?? [""];
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      frames.push(
        `data: ${
          JSON.stringify({
            candidates: [candidate([{ text: piece }], last ? "STOP" : undefined)],
            ...(last ? { usageMetadata } : {}),
            modelVersion: model,
            responseId,
          })
        }\r\n\r\n`,
      );
    });
  }
  return sse(frames);
}
