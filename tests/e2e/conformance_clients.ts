/**
 * @module The four client surfaces of the conformance matrix, each driven by its vendor's official SDK (openai
 * chat.completions and responses, @anthropic-ai/sdk messages, @google/genai models) and reduced to one neutral
 * `Turn`: text, thinking, signature, tool calls, usage, finish, plus the raw assistant content to send back.
 */
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";

export type Surface = "chat" | "responses" | "anthropic" | "gemini";
export const SURFACES: Surface[] = ["chat", "responses", "anthropic", "gemini"];

export const SYSTEM_PROMPT = "You are a terse weather assistant. Answer in one sentence.";
export const TOOL_DESCRIPTION = "Current weather for a city";
export const TOOL_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name, e.g. Paris" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
  },
  required: ["city"],
  additionalProperties: false,
};
/** A 1×1 transparent PNG. */
export const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
export const IMAGE_URL = "https://example.com/images/cat.png";
/** What each client asks for when thinking is on: effort `low`, or its budget. */
export const THINKING_BUDGET = 4096;

export interface ToolCallSeen {
  id: string;
  name: string;
  arguments: string;
}

export interface Turn {
  text: string;
  thinking: string;
  /** Reasoning state the client must send back (Anthropic signature, Responses encrypted_content, thoughtSignature). */
  signature?: string;
  toolCalls: ToolCallSeen[];
  /** Input includes cache reads/writes; output includes reasoning. */
  usage: { input: number; output: number };
  /** `stop`, `tool`, or the raw reason when it is neither. */
  finish: string;
  /** Text deltas received (streams only). */
  textDeltas: number;
  /** The assistant content in the client's own format, to replay next turn. */
  raw: unknown;
}

export type ConvTurn =
  | { role: "user"; text: string; image?: "base64" | "url" }
  | { role: "assistant"; turn: Turn }
  | { role: "tool"; callId: string; name: string; result: string };

export interface Conv {
  model: string;
  system?: string;
  turns: ConvTurn[];
  tools?: boolean;
  thinking?: boolean;
}

export interface ClientDriver {
  surface: Surface;
  send(conv: Conv, stream: boolean): Promise<Turn>;
}

type Obj = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
type Loose = any;

function finishOf(reason: string | null | undefined, hasTools: boolean): string {
  if (hasTools) return "tool";
  return reason === "stop" || reason === "end_turn" || reason === "STOP" || reason === "completed"
    ? "stop"
    : String(reason);
}

// ---------------------------------------------------------------- OpenAI Chat Completions

function chatDriver(client: OpenAI): ClientDriver {
  function messages(conv: Conv): Obj[] {
    const out: Obj[] = [];
    if (conv.system) out.push({ role: "system", content: conv.system });
    for (const t of conv.turns) {
      if (t.role === "user") {
        if (!t.image) out.push({ role: "user", content: t.text });
        else {
          const url = t.image === "base64" ? `data:image/png;base64,${PNG_BASE64}` : IMAGE_URL;
          out.push({
            role: "user",
            content: [{ type: "text", text: t.text }, { type: "image_url", image_url: { url } }],
          });
        }
      } else if (t.role === "assistant") out.push(t.turn.raw as Obj);
      else out.push({ role: "tool", tool_call_id: t.callId, content: t.result });
    }
    return out;
  }
  function params(conv: Conv): Loose {
    const p: Obj = { model: conv.model, messages: messages(conv) };
    if (conv.tools) {
      p.tools = [{
        type: "function",
        function: { name: "get_weather", description: TOOL_DESCRIPTION, parameters: TOOL_SCHEMA },
      }];
    }
    if (conv.thinking) p.reasoning_effort = "low";
    return p;
  }
  function raw(text: string, calls: ToolCallSeen[]): Obj {
    const m: Obj = { role: "assistant", content: text || null };
    if (calls.length > 0) {
      m.tool_calls = calls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      }));
    }
    return m;
  }
  return {
    surface: "chat",
    async send(conv, stream) {
      if (!stream) {
        const res: Loose = await client.chat.completions.create(params(conv));
        const msg = res.choices[0].message;
        const calls: ToolCallSeen[] = (msg.tool_calls ?? []).map((c: Loose) => ({
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
        }));
        return {
          text: msg.content ?? "",
          thinking: msg.reasoning_content ?? "",
          toolCalls: calls,
          usage: { input: res.usage?.prompt_tokens ?? 0, output: res.usage?.completion_tokens ?? 0 },
          finish: res.choices[0].finish_reason === "tool_calls"
            ? "tool"
            : finishOf(res.choices[0].finish_reason, false),
          textDeltas: 0,
          raw: raw(msg.content ?? "", calls),
        };
      }
      const s: Loose = await client.chat.completions.create({
        ...params(conv),
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let thinking = "";
      let finish: string | null = null;
      let usage = { input: 0, output: 0 };
      let textDeltas = 0;
      const calls: ToolCallSeen[] = [];
      for await (const chunk of s) {
        if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const d = choice.delta ?? {};
        if (typeof d.content === "string" && d.content !== "") {
          text += d.content;
          textDeltas++;
        }
        if (typeof d.reasoning_content === "string") thinking += d.reasoning_content;
        for (const tc of d.tool_calls ?? []) {
          const call = calls[tc.index] ??= { id: "", name: "", arguments: "" };
          if (tc.id) call.id = tc.id;
          if (tc.function?.name) call.name += tc.function.name;
          if (tc.function?.arguments) call.arguments += tc.function.arguments;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return {
        text,
        thinking,
        toolCalls: calls,
        usage,
        finish: finish === "tool_calls" ? "tool" : finishOf(finish, false),
        textDeltas,
        raw: raw(text, calls),
      };
    },
  };
}

// ---------------------------------------------------------------- OpenAI Responses

function responsesDriver(client: OpenAI): ClientDriver {
  function input(conv: Conv): Obj[] {
    const out: Obj[] = [];
    for (const t of conv.turns) {
      if (t.role === "user") {
        const content: Obj[] = [{ type: "input_text", text: t.text }];
        if (t.image) {
          const url = t.image === "base64" ? `data:image/png;base64,${PNG_BASE64}` : IMAGE_URL;
          content.push({ type: "input_image", image_url: url, detail: "auto" });
        }
        out.push({ type: "message", role: "user", content });
      } else if (t.role === "assistant") out.push(...(t.turn.raw as Obj[]));
      else out.push({ type: "function_call_output", call_id: t.callId, output: t.result });
    }
    return out;
  }
  function params(conv: Conv): Loose {
    const p: Obj = { model: conv.model, input: input(conv), store: false };
    if (conv.system) p.instructions = conv.system;
    if (conv.tools) {
      p.tools = [{
        type: "function",
        name: "get_weather",
        description: TOOL_DESCRIPTION,
        parameters: TOOL_SCHEMA,
        strict: false,
      }];
    }
    if (conv.thinking) {
      p.reasoning = { effort: "low", summary: "auto" };
      p.include = ["reasoning.encrypted_content"];
    }
    return p;
  }
  function read(res: Loose, textDeltas: number): Turn {
    let text = "";
    let thinking = "";
    let signature: string | undefined;
    const calls: ToolCallSeen[] = [];
    const replay: Obj[] = [];
    for (const item of res.output ?? []) {
      if (item.type === "message") {
        const t = (item.content ?? []).filter((c: Loose) => c.type === "output_text").map((c: Loose) => c.text).join(
          "",
        );
        text += t;
        replay.push({
          type: "message",
          role: "assistant",
          id: item.id,
          status: "completed",
          content: [{ type: "output_text", text: t, annotations: [] }],
        });
      } else if (item.type === "reasoning") {
        const parts = [...(item.summary ?? []), ...(item.content ?? [])];
        thinking += parts.map((p: Loose) => p.text).join("");
        if (item.encrypted_content) signature = item.encrypted_content;
        const r: Obj = { type: "reasoning", id: item.id, summary: item.summary ?? [] };
        if (item.encrypted_content) r.encrypted_content = item.encrypted_content;
        replay.push(r);
      } else if (item.type === "function_call") {
        calls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
        replay.push({
          type: "function_call",
          id: item.id,
          call_id: item.call_id,
          name: item.name,
          arguments: item.arguments,
          status: "completed",
        });
      }
    }
    return {
      text,
      thinking,
      signature,
      toolCalls: calls,
      usage: { input: res.usage?.input_tokens ?? 0, output: res.usage?.output_tokens ?? 0 },
      finish: finishOf(res.status, calls.length > 0),
      textDeltas,
      raw: replay,
    };
  }
  return {
    surface: "responses",
    async send(conv, stream) {
      if (!stream) return read(await client.responses.create(params(conv)), 0);
      const s: Loose = await client.responses.create({ ...params(conv), stream: true });
      let deltaText = "";
      let textDeltas = 0;
      let final: Loose;
      for await (const ev of s) {
        if (ev.type === "response.output_text.delta") {
          deltaText += ev.delta;
          textDeltas++;
        } else if (ev.type === "response.completed" || ev.type === "response.incomplete") final = ev.response;
        else if (ev.type === "response.failed") {
          throw new Error(`response.failed: ${JSON.stringify(ev.response?.error)}`);
        }
      }
      if (!final) throw new Error("stream ended without response.completed");
      const turn = read(final, textDeltas);
      if (deltaText !== turn.text) {
        throw new Error(`streamed text ${JSON.stringify(deltaText)} != final ${JSON.stringify(turn.text)}`);
      }
      return turn;
    },
  };
}

// ---------------------------------------------------------------- Anthropic Messages

function anthropicDriver(client: Anthropic): ClientDriver {
  function params(conv: Conv): Loose {
    const messages: Obj[] = [];
    for (const t of conv.turns) {
      if (t.role === "user") {
        if (!t.image) messages.push({ role: "user", content: t.text });
        else {
          const source = t.image === "base64"
            ? { type: "base64", media_type: "image/png", data: PNG_BASE64 }
            : { type: "url", url: IMAGE_URL };
          messages.push({ role: "user", content: [{ type: "text", text: t.text }, { type: "image", source }] });
        }
      } else if (t.role === "assistant") messages.push({ role: "assistant", content: t.turn.raw });
      else {messages.push({
          role: "user",
          content: [{ type: "tool_result", tool_use_id: t.callId, content: t.result }],
        });}
    }
    const p: Obj = { model: conv.model, max_tokens: conv.thinking ? 8192 : 1024, messages };
    if (conv.system) p.system = conv.system;
    if (conv.tools) p.tools = [{ name: "get_weather", description: TOOL_DESCRIPTION, input_schema: TOOL_SCHEMA }];
    if (conv.thinking) p.thinking = { type: "enabled", budget_tokens: THINKING_BUDGET };
    return p;
  }
  function read(msg: Loose, textDeltas: number): Turn {
    let text = "";
    let thinking = "";
    let signature: string | undefined;
    const calls: ToolCallSeen[] = [];
    for (const b of msg.content) {
      if (b.type === "text") text += b.text;
      else if (b.type === "thinking") {
        thinking += b.thinking;
        signature = b.signature;
      } else if (b.type === "tool_use") calls.push({ id: b.id, name: b.name, arguments: JSON.stringify(b.input) });
    }
    const u = msg.usage;
    return {
      text,
      thinking,
      signature,
      toolCalls: calls,
      usage: {
        input: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
        output: u.output_tokens,
      },
      finish: msg.stop_reason === "tool_use" ? "tool" : finishOf(msg.stop_reason, false),
      textDeltas,
      raw: msg.content,
    };
  }
  return {
    surface: "anthropic",
    async send(conv, stream) {
      if (!stream) return read(await client.messages.create(params(conv)), 0);
      const s = client.messages.stream(params(conv));
      let textDeltas = 0;
      for await (const ev of s as AsyncIterable<Loose>) {
        if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") textDeltas++;
      }
      return read(await s.finalMessage(), textDeltas);
    },
  };
}

// ---------------------------------------------------------------- Gemini

function geminiDriver(ai: GoogleGenAI): ClientDriver {
  function request(conv: Conv): Loose {
    const contents: Obj[] = [];
    for (const t of conv.turns) {
      if (t.role === "user") {
        const parts: Obj[] = [{ text: t.text }];
        if (t.image === "base64") parts.push({ inlineData: { mimeType: "image/png", data: PNG_BASE64 } });
        if (t.image === "url") parts.push({ fileData: { mimeType: "image/png", fileUri: IMAGE_URL } });
        contents.push({ role: "user", parts });
      } else if (t.role === "assistant") contents.push({ role: "model", parts: t.turn.raw });
      else {
        contents.push({
          role: "user",
          parts: [{ functionResponse: { id: t.callId, name: t.name, response: { output: t.result } } }],
        });
      }
    }
    const config: Obj = {};
    if (conv.system) config.systemInstruction = conv.system;
    if (conv.tools) {
      config.tools = [{
        functionDeclarations: [{
          name: "get_weather",
          description: TOOL_DESCRIPTION,
          parametersJsonSchema: TOOL_SCHEMA,
        }],
      }];
    }
    if (conv.thinking) config.thinkingConfig = { thinkingBudget: THINKING_BUDGET, includeThoughts: true };
    return { model: conv.model, contents, config };
  }
  function read(parts: Loose[], finish: string | undefined, usage: Loose, textDeltas: number): Turn {
    let text = "";
    let thinking = "";
    let signature: string | undefined;
    const calls: ToolCallSeen[] = [];
    for (const p of parts) {
      if (p.thoughtSignature && signature === undefined) signature = p.thoughtSignature;
      if (typeof p.text === "string") {
        if (p.thought) thinking += p.text;
        else text += p.text;
      } else if (p.functionCall) {
        calls.push({
          id: p.functionCall.id ?? "",
          name: p.functionCall.name,
          arguments: JSON.stringify(p.functionCall.args ?? {}),
        });
      }
    }
    return {
      text,
      thinking,
      signature,
      toolCalls: calls,
      usage: {
        input: usage?.promptTokenCount ?? 0,
        output: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      },
      finish: finishOf(finish, calls.length > 0),
      textDeltas,
      raw: parts,
    };
  }
  return {
    surface: "gemini",
    async send(conv, stream) {
      if (!stream) {
        const res: Loose = await ai.models.generateContent(request(conv));
        const cand = res.candidates?.[0];
        return read(cand?.content?.parts ?? [], cand?.finishReason, res.usageMetadata, 0);
      }
      const parts: Loose[] = [];
      let finish: string | undefined;
      let usage: Loose;
      let textDeltas = 0;
      for await (const chunk of await ai.models.generateContentStream(request(conv)) as AsyncIterable<Loose>) {
        const cand = chunk.candidates?.[0];
        for (const p of cand?.content?.parts ?? []) {
          const last = parts.at(-1);
          if (typeof p.text === "string" && p.text !== "" && !p.thought) textDeltas++;
          // Merge text runs the way Gemini clients replay them: same thought-ness, one part.
          if (
            last && typeof p.text === "string" && typeof last.text === "string" && !!p.thought === !!last.thought &&
            !(p.thoughtSignature && last.thoughtSignature)
          ) {
            last.text += p.text;
            if (p.thoughtSignature) last.thoughtSignature = p.thoughtSignature;
          } else parts.push({ ...p });
        }
        if (cand?.finishReason) finish = cand.finishReason;
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
      }
      return read(parts, finish, usage, textDeltas);
    },
  };
}

export function makeDrivers(url: string, key: string): Record<Surface, ClientDriver> {
  const openai = new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 });
  const genai = new GoogleGenAI({
    apiKey: key,
    httpOptions: { baseUrl: url, apiVersion: "v1beta", retryOptions: { attempts: 1 } },
  });
  return {
    chat: chatDriver(openai),
    responses: responsesDriver(openai),
    anthropic: anthropicDriver(anthropic),
    gemini: geminiDriver(genai),
  };
}

/** The SDK's own error class for a status, and the error's status and message. */
export function sdkError(surface: Surface, err: unknown): { cls: string; status?: number; message: string } {
  const e = err as Loose;
  if (surface === "chat" || surface === "responses") {
    if (!(err instanceof OpenAI.APIError)) {
      return { cls: `not OpenAI.APIError: ${e?.constructor?.name}`, message: String(e?.message) };
    }
    const cls = err instanceof OpenAI.RateLimitError
      ? "RateLimitError"
      : err instanceof OpenAI.BadRequestError
      ? "BadRequestError"
      : "APIError";
    return { cls, status: err.status, message: err.message };
  }
  if (surface === "anthropic") {
    if (!(err instanceof Anthropic.APIError)) {
      return { cls: `not Anthropic.APIError: ${e?.constructor?.name}`, message: String(e?.message) };
    }
    const cls = err instanceof Anthropic.RateLimitError
      ? "RateLimitError"
      : err instanceof Anthropic.BadRequestError
      ? "BadRequestError"
      : "APIError";
    return { cls, status: err.status, message: err.message };
  }
  return {
    cls: e?.name === "ApiError" ? "ApiError" : `not ApiError: ${e?.name}`,
    status: e?.status,
    message: String(e?.message),
  };
}
