/**
 * @module Gemini `Part` ⇄ canonical content parts, shared by requests, responses and streams.
 *
 * Thought signatures: a `thought: true` part keeps its signature on its ThinkingPart. A signature on any other
 * part (Gemini 3 puts one on the first `functionCall` of a step, or on a text part) travels as an empty-text
 * ThinkingPart (signatureFormat "gemini") placed immediately before the part it belongs to; the encoder
 * re-attaches it to that next part, so the signature comes back on the same part, as Gemini requires.
 */
import type { ContentPart, ImagePart, TextPart, ThinkingPart, ToolResultPart } from "../../core/canonical.ts";
import { GatewayError } from "../../core/errors.ts";
import type { WirePart } from "./schema.ts";
import { signatureForClient, signatureFromWire } from "./signature.ts";

type WireObject = Record<string, unknown>;

export interface PartDecodeOptions {
  /** `contents[3].parts` — prefix for error params. */
  param: string;
  /** Requests refuse what canonical cannot hold; responses render code execution as text. */
  mode: "request" | "response";
  /** Id for a `functionCall` that carries none (Gemini 2.x often omits ids). */
  callId(partIndex: number, name: string): string;
  /** Id for a `functionResponse` that carries none: the matching earlier call's id. */
  resultId(partIndex: number, name: string): string;
}

/** A canonical carrier of a signature that sat on a non-thought part. */
export function signatureCarrier(signature: string): ThinkingPart {
  return { type: "thinking", text: "", ...signatureFromWire(signature) };
}

export function isImageMime(mime: string | undefined): boolean {
  return mime !== undefined && mime.toLowerCase().startsWith("image/");
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

/** Guesses an image MIME type from a URL's extension (Gemini's fileData wants one; canonical URLs carry none). */
export function imageMimeFromUrl(url: string): string | undefined {
  const path = url.split(/[?#]/)[0];
  const dot = path.lastIndexOf(".");
  if (dot === -1) return undefined;
  return IMAGE_EXTENSIONS[path.slice(dot + 1).toLowerCase()];
}

/** Code execution output as visible markdown (responses only: canonical has no code-execution part). */
export function renderCodePart(part: WirePart): string | undefined {
  if (part.executableCode !== undefined) {
    const lang = (part.executableCode.language ?? "").toLowerCase().replace("language_unspecified", "");
    return `\n\`\`\`${lang}\n${part.executableCode.code ?? ""}\n\`\`\`\n`;
  }
  if (part.codeExecutionResult !== undefined) {
    return `\n\`\`\`output\n${part.codeExecutionResult.output ?? ""}\n\`\`\`\n`;
  }
  return undefined;
}

/**
 * Whether a fileData inside `functionResponse.parts` is an image. Without a MIME type or an extension that names one,
 * it is taken as an image: that is how `imageToWire` sends an image URL it cannot type (canonical URLs carry no
 * MIME type), and a tool result holds nothing but text and images.
 */
function isResultImageFile(file: { fileUri: string; mimeType?: string }): boolean {
  if (file.mimeType !== undefined) return isImageMime(file.mimeType);
  const path = file.fileUri.split(/[?#]/)[0];
  return imageMimeFromUrl(path) !== undefined || !/\.[A-Za-z0-9]+$/.test(path.slice(path.lastIndexOf("/") + 1));
}

/** Unwraps `functionResponse.response` into result text: `{output}`/`{result}`/`{content}` strings, else JSON. */
function resultText(response: WireObject | undefined): { text: string; isError: boolean } {
  if (response === undefined) return { text: "", isError: false };
  const keys = Object.keys(response);
  if (keys.length === 1) {
    const value = response[keys[0]];
    if (typeof value === "string") {
      if (keys[0] === "error") return { text: value, isError: true };
      if (keys[0] === "output" || keys[0] === "result" || keys[0] === "content") return { text: value, isError: false };
    }
  }
  if (keys.length === 0) return { text: "", isError: false };
  return { text: JSON.stringify(response), isError: false };
}

function decodeFunctionResponse(
  fr: NonNullable<WirePart["functionResponse"]>,
  at: { callId: string; param: string },
): ToolResultPart {
  const { callId, param } = at;
  const { text, isError } = resultText(fr.response);
  const content: Array<TextPart | ImagePart> = [];
  const media = fr.parts ?? [];
  if (text !== "" || media.length === 0) content.push({ type: "text", text });
  media.forEach((p, i) => {
    if (p.inlineData !== undefined && isImageMime(p.inlineData.mimeType)) {
      content.push({
        type: "image",
        source: { kind: "base64", mediaType: p.inlineData.mimeType, data: p.inlineData.data },
      });
    } else if (p.fileData !== undefined && isResultImageFile(p.fileData)) {
      content.push({ type: "image", source: { kind: "url", url: p.fileData.fileUri } });
    } else {
      throw new GatewayError("invalid_request", "functionResponse.parts supports only images here", {
        param: `${param}.functionResponse.parts[${i}]`,
      });
    }
  });
  const out: ToolResultPart = { type: "tool_result", callId, name: fr.name, content };
  if (isError) out.isError = true;
  return out;
}

/** A part holding nothing but a signature (streams close a thought run with one). */
export function isSignatureOnly(part: WirePart): boolean {
  return Object.keys(part).every((k) => k === "thoughtSignature" || k === "thought");
}

/**
 * Decodes one Content's parts; signatures on non-thought parts become a carrier before the part. Another vendor's
 * (tagged) signature on a functionCall goes back onto the unsigned thought part just before it: the encoders put it
 * there (see `encodeParts`), so this restores the vendor's signed thinking block whole.
 */
export function decodeParts(parts: WirePart[], options: PartDecodeOptions): ContentPart[] {
  const out: ContentPart[] = [];
  parts.forEach((part, i) => {
    const param = `${options.param}[${i}]`;
    const sig = part.thoughtSignature;
    const prev = out.at(-1);
    if (
      sig !== undefined && part.functionCall !== undefined && prev?.type === "thinking" &&
      prev.signature === undefined && prev.text !== ""
    ) {
      const fromWire = signatureFromWire(sig);
      if (fromWire.signatureFormat !== "gemini") {
        Object.assign(prev, fromWire);
        const decoded = decodeOnePart(part, { index: i, param, options });
        if (decoded !== undefined) out.push(decoded);
        return;
      }
    }
    if (part.thought === true) {
      const thinking: ThinkingPart = { type: "thinking", text: part.text ?? "" };
      if (sig !== undefined) Object.assign(thinking, signatureFromWire(sig));
      out.push(thinking);
      return;
    }
    if (sig !== undefined && isSignatureOnly(part)) {
      out.push(signatureCarrier(sig));
      return;
    }
    const decoded = decodeOnePart(part, { index: i, param, options });
    // Responses skip parts canonical has no place for (server-side tool traces); requests refused them already.
    if (decoded === undefined) return;
    if (sig !== undefined) out.push(signatureCarrier(sig));
    out.push(decoded);
  });
  return out;
}

function decodeOnePart(
  part: WirePart,
  at: { index: number; param: string; options: PartDecodeOptions },
): ContentPart | undefined {
  const { index: i, param, options } = at;
  if (part.functionCall !== undefined) {
    const fc = part.functionCall;
    return {
      type: "tool_call",
      id: fc.id ?? options.callId(i, fc.name),
      name: fc.name,
      arguments: JSON.stringify(fc.args ?? {}),
    };
  }
  if (part.functionResponse !== undefined) {
    const fr = part.functionResponse;
    return decodeFunctionResponse(fr, { callId: fr.id ?? options.resultId(i, fr.name), param });
  }
  if (part.inlineData !== undefined) {
    const { mimeType, data } = part.inlineData;
    if (isImageMime(mimeType)) return { type: "image", source: { kind: "base64", mediaType: mimeType, data } };
    return { type: "file", mediaType: mimeType, data };
  }
  if (part.fileData !== undefined) {
    const { fileUri } = part.fileData;
    const mime = part.fileData.mimeType ?? imageMimeFromUrl(fileUri);
    if (isImageMime(mime)) return { type: "image", source: { kind: "url", url: fileUri } };
    return { type: "file", mediaType: mime ?? "application/octet-stream", url: fileUri };
  }
  if (part.text !== undefined) return { type: "text", text: part.text };
  if (part.executableCode !== undefined || part.codeExecutionResult !== undefined) {
    if (options.mode === "response") return { type: "text", text: renderCodePart(part) ?? "" };
    const field = part.executableCode !== undefined ? "executableCode" : "codeExecutionResult";
    throw new GatewayError("invalid_request", `Gemini ${field} parts cannot be translated`, {
      param: `${param}.${field}`,
    });
  }
  if (options.mode === "response") return undefined;
  const keys = Object.keys(part).filter((k) => k !== "thoughtSignature" && k !== "thought");
  throw new GatewayError("invalid_request", `Unsupported Gemini part (${keys.join(", ") || "empty"})`, { param });
}

export interface PartEncodeContext {
  /** Tool names by call id, for `functionResponse.name` when a canonical tool_result carries none. */
  names: ReadonlyMap<string, string>;
  /** Collects hint names the target cannot express. */
  dropped: Set<string>;
  /** Requests refuse bad tool-call arguments with 400; responses with 502 (the upstream produced them). */
  mode: "request" | "response";
}

/** Canonical tool-call arguments (JSON text) → Gemini `args` object. */
export function parseArguments(text: string, call: { id: string; mode: "request" | "response" }): WireObject {
  const { id, mode } = call;
  const fail = (): never => {
    throw new GatewayError(
      mode === "request" ? "invalid_request" : "upstream_error",
      `Tool call ${id}: arguments are not a JSON object, which Gemini functionCall.args requires`,
      { param: mode === "request" ? "tool_call.arguments" : null },
    );
  };
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
  return value as WireObject;
}

function imageToWire(source: ImagePart["source"], dropped: Set<string>): WireObject {
  if (source.detail !== undefined) dropped.add("detail");
  if (source.kind === "base64") return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl !== null) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  const mime = imageMimeFromUrl(source.url);
  return { fileData: mime === undefined ? { fileUri: source.url } : { mimeType: mime, fileUri: source.url } };
}

/** Tool result text → `response`: JSON-object text stays an object, errors go under `error`, else `output`. */
function resultResponse(text: string, isError: boolean): WireObject {
  if (isError) return { error: text };
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as WireObject;
    } catch {
      // Not JSON: plain output text.
    }
  }
  return { output: text };
}

function toolResultToWire(part: ToolResultPart, ctx: PartEncodeContext): WireObject {
  const name = part.name ?? ctx.names.get(part.callId);
  if (name === undefined) {
    throw new GatewayError(
      "invalid_request",
      `Tool result for call ${part.callId} has no tool name and no earlier tool call with that id; Gemini functionResponse requires a name`,
      { param: "tool_result.name" },
    );
  }
  const texts: string[] = [];
  const media: WireObject[] = [];
  for (const c of part.content) {
    if (c.type === "text") {
      if (c.cacheControl !== undefined) ctx.dropped.add("cache_control");
      texts.push(c.text);
    } else {
      media.push(imageToWire(c.source, ctx.dropped));
    }
  }
  const text = texts.join("\n");
  const fr: WireObject = { id: part.callId, name };
  fr.response = media.length > 0 && texts.length === 0 && !part.isError
    ? {}
    : resultResponse(text, part.isError === true);
  if (media.length > 0) fr.parts = media;
  return { functionResponse: fr };
}

/**
 * Encodes canonical parts as Gemini parts. An empty-text gemini-signed ThinkingPart followed by a non-thinking part
 * lends its signature to that part; signatures from other vendors mean nothing to Gemini and are left out.
 * For a Gemini client, another vendor's signature on thinking that a tool call follows goes on the functionCall
 * part, where Gemini itself puts it: clients such as Gemini CLI keep no thought parts in their history, so a
 * signature left on the thought part never came back and the vendor (Anthropic) refused the next tool turn.
 */
export function encodeParts(content: ContentPart[], ctx: PartEncodeContext): WireObject[] {
  const out: WireObject[] = [];
  let pending: string | undefined;
  const push = (part: WireObject): void => {
    if (pending !== undefined) part.thoughtSignature = pending;
    pending = undefined;
    out.push(part);
  };
  content.forEach((part, i) => {
    switch (part.type) {
      case "thinking": {
        // A Gemini upstream only takes its own signatures; a Gemini client gets any vendor's, tagged.
        const own = part.signature === undefined
          ? undefined
          : ctx.mode === "response"
          ? signatureForClient(part.signature, part.signatureFormat)
          : part.signatureFormat === undefined || part.signatureFormat === "gemini"
          ? part.signature
          : undefined;
        const next = content[i + 1];
        if (
          part.text === "" && own !== undefined && next !== undefined && next.type !== "thinking" &&
          next.type !== "redacted_thinking"
        ) {
          pending = own;
          return;
        }
        if (part.text === "" && own === undefined) return;
        if (
          ctx.mode === "response" && own !== undefined && part.signatureFormat !== undefined &&
          part.signatureFormat !== "gemini" && next?.type === "tool_call"
        ) {
          out.push({ text: part.text, thought: true });
          pending = own;
          return;
        }
        const wire: WireObject = { text: part.text, thought: true };
        if (own !== undefined) wire.thoughtSignature = own;
        out.push(wire);
        return;
      }
      case "redacted_thinking":
        // Anthropic-only opaque reasoning: no Gemini part can carry it.
        ctx.dropped.add("redacted_thinking");
        return;
      case "text":
        if (part.cacheControl !== undefined) ctx.dropped.add("cache_control");
        return push({ text: part.text });
      case "image":
        return push(imageToWire(part.source, ctx.dropped));
      case "file":
        if (part.data !== undefined) return push({ inlineData: { mimeType: part.mediaType, data: part.data } });
        return push({ fileData: { mimeType: part.mediaType, fileUri: part.url ?? "" } });
      case "tool_call":
        return push({
          functionCall: {
            id: part.id,
            name: part.name,
            args: parseArguments(part.arguments, { id: part.id, mode: ctx.mode }),
          },
        });
      case "tool_result":
        return push(toolResultToWire(part, ctx));
    }
  });
  return out;
}
