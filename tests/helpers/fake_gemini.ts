/**
 * @module The fake Gemini upstream of the conformance matrix: GenerateContentResponse bodies, `alt=sse` streams of
 * `data:` GenerateContentResponse chunks (CRLF-framed, usageMetadata on every chunk, finishReason on the last),
 * functionCall parts with ids and thought signatures, thought parts, and Google's error body
 * (https://ai.google.dev/api/generate-content).
 */
import { type AnswerInput, frame, isMidstream, jsonResponse, SHARED, sseResponse } from "./fake_wire.ts";

export const GEMINI_FAKE = {
  responseId: "fakeGeminiResponse01",
  text: "Hello from the Gemini fake.",
  textChunks: ["Hello", " from the", " Gemini fake."],
  toolCallId: "fc_fakeWeather01",
  toolSignature: "CiQBfakeToolThoughtSignature0123456789==",
  thought: "**Greeting**\nThe user wants a greeting.",
  thoughtSignature: "CiQBfakeTextThoughtSignatureABCDEF==",
  usage: { promptTokenCount: 31, candidatesTokenCount: 8, totalTokenCount: 39 },
  thoughtsTokenCount: 5,
  error429: "Resource has been exhausted (e.g. check quota).",
  error400: 'Invalid JSON payload received. Unknown name "fakeField": Cannot find field.',
  streamError:
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
} as const;

type Obj = Record<string, unknown>;

function usage(final: boolean, thinking: boolean): Obj {
  const u = GEMINI_FAKE.usage;
  const thoughts = thinking ? GEMINI_FAKE.thoughtsTokenCount : 0;
  if (!final) return { promptTokenCount: u.promptTokenCount, totalTokenCount: u.promptTokenCount };
  const out: Obj = {
    promptTokenCount: u.promptTokenCount,
    candidatesTokenCount: u.candidatesTokenCount,
    totalTokenCount: u.totalTokenCount + thoughts,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: u.promptTokenCount }],
  };
  if (thinking) out.thoughtsTokenCount = thoughts;
  return out;
}

function response(model: string, parts: Obj[], finish: string | null, usageMetadata: Obj): Obj {
  const candidate: Obj = { content: { parts, role: "model" }, index: 0 };
  if (finish) candidate.finishReason = finish;
  return { candidates: [candidate], usageMetadata, modelVersion: model, responseId: GEMINI_FAKE.responseId };
}

function toolPart(): Obj {
  return {
    functionCall: { id: GEMINI_FAKE.toolCallId, name: SHARED.toolName, args: JSON.parse(SHARED.toolArguments) },
    thoughtSignature: GEMINI_FAKE.toolSignature,
  };
}

function errorBody(code: number, status: string, message: string, details?: Obj[]): Obj {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

function sse(data: Obj): string {
  // Google's SSE frames end lines with CRLF.
  return frame(data, undefined, "\r\n");
}

function streamFrames(model: string, scenario: AnswerInput["scenario"]): string[] {
  if (scenario === "tool") return [sse(response(model, [toolPart()], "STOP", usage(true, false)))];
  const thinking = scenario === "thinking";
  const frames: string[] = [];
  if (thinking) {
    frames.push(sse(response(model, [{ text: GEMINI_FAKE.thought, thought: true }], null, usage(false, true))));
  }
  GEMINI_FAKE.textChunks.forEach((text, i) => {
    const last = i === GEMINI_FAKE.textChunks.length - 1;
    const part: Obj = { text };
    if (thinking && i === 0) part.thoughtSignature = GEMINI_FAKE.thoughtSignature;
    frames.push(sse(response(model, [part], last ? "STOP" : null, usage(last, thinking))));
  });
  return frames;
}

export function geminiAnswer(input: AnswerInput): Response {
  const { scenario, model, stream } = input;
  if (scenario === "error429") {
    return jsonResponse(
      errorBody(429, "RESOURCE_EXHAUSTED", GEMINI_FAKE.error429, [
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" },
      ]),
      429,
    );
  }
  if (scenario === "error400") {
    return jsonResponse(errorBody(400, "INVALID_ARGUMENT", GEMINI_FAKE.error400), 400);
  }
  if (stream) {
    if (isMidstream(scenario)) {
      const frames = streamFrames(model, "text").slice(0, 2);
      if (scenario === "midstream_event") frames.push(sse(errorBody(500, "INTERNAL", GEMINI_FAKE.streamError)));
      return sseResponse(frames, { abort: scenario === "midstream_reset" });
    }
    return sseResponse(streamFrames(model, scenario));
  }
  if (scenario === "tool") return jsonResponse(response(model, [toolPart()], "STOP", usage(true, false)));
  const parts: Obj[] = [];
  const thinking = scenario === "thinking";
  if (thinking) parts.push({ text: GEMINI_FAKE.thought, thought: true });
  const answer: Obj = { text: GEMINI_FAKE.text };
  if (thinking) answer.thoughtSignature = GEMINI_FAKE.thoughtSignature;
  parts.push(answer);
  return jsonResponse(response(model, parts, "STOP", usage(true, thinking)));
}
