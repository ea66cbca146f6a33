/**
 * @module Reading the three upstream wire formats and the four client formats in the tests of the real CLIs: tool
 * calls and results, tool definitions, and where system text sits.
 */

/** The wire format of an upstream (what a gateway connection speaks). */
export type UpstreamFormat = "openai" | "anthropic" | "gemini";

export interface ScriptedToolCall {
  name: string;
  args: Record<string, unknown>;
}

/** A tool result found in a request, in any of the three formats. */
export interface SeenToolResult {
  /** tool_call_id / tool_use_id / functionResponse.id (Gemini may have none). */
  id?: string;
  /** Only Gemini names the function in its result. */
  name?: string;
  text: string;
}

/** A tool call found in the request's history (an assistant/model turn). */
export interface SeenToolCall {
  id?: string;
  name: string;
  args: unknown;
}

/** The wire format a client speaks to the gateway. */
export type ClientFormat = "anthropic" | "responses" | "gemini" | "openai";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join("\n");
  if (isRecord(value)) {
    if (typeof value.text === "string") return value.text;
    if ("content" in value) return textOf(value.content);
    return JSON.stringify(value);
  }
  return value === undefined || value === null ? "" : String(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Tool calls and results in a request body, per format. */
export function toolTraffic(format: UpstreamFormat, body: Json): { calls: SeenToolCall[]; results: SeenToolResult[] } {
  const calls: SeenToolCall[] = [];
  const results: SeenToolResult[] = [];
  if (format === "openai") {
    for (const m of asArray(body.messages)) {
      if (!isRecord(m)) continue;
      if (m.role === "assistant") {
        for (const tc of asArray(m.tool_calls)) {
          if (!isRecord(tc) || !isRecord(tc.function)) continue;
          calls.push({ id: String(tc.id), name: String(tc.function.name), args: tc.function.arguments });
        }
      }
      if (m.role === "tool") results.push({ id: String(m.tool_call_id), text: textOf(m.content) });
    }
  } else if (format === "anthropic") {
    for (const m of asArray(body.messages)) {
      if (!isRecord(m)) continue;
      for (const block of asArray(m.content)) {
        if (!isRecord(block)) continue;
        if (block.type === "tool_use") {
          calls.push({ id: String(block.id), name: String(block.name), args: block.input });
        }
        if (block.type === "tool_result") {
          results.push({ id: String(block.tool_use_id), text: textOf(block.content) });
        }
      }
    }
  } else {
    for (const c of asArray(body.contents)) {
      if (!isRecord(c)) continue;
      for (const part of asArray(c.parts)) {
        if (!isRecord(part)) continue;
        if (isRecord(part.functionCall)) {
          const fc = part.functionCall;
          calls.push({ id: typeof fc.id === "string" ? fc.id : undefined, name: String(fc.name), args: fc.args });
        }
        if (isRecord(part.functionResponse)) {
          const fr = part.functionResponse;
          results.push({
            id: typeof fr.id === "string" ? fr.id : undefined,
            name: String(fr.name),
            text: textOf(fr.response),
          });
        }
      }
    }
  }
  return { calls, results };
}

/** Names of the function tools offered in a request body, per format. */
export function toolNames(format: UpstreamFormat, body: Json): string[] {
  return toolDefs(format, body).map((t) => t.name);
}

/** Function tool definitions (name and JSON schema) in a request body, per format. */
export function toolDefs(format: UpstreamFormat, body: Json): { name: string; schema: unknown }[] {
  const out: { name: string; schema: unknown }[] = [];
  for (const t of asArray(body.tools)) {
    if (!isRecord(t)) continue;
    if (format === "openai" && isRecord(t.function)) {
      out.push({ name: String(t.function.name), schema: t.function.parameters });
    } else if (format === "anthropic" && typeof t.name === "string") {
      out.push({ name: t.name, schema: t.input_schema });
    } else if (format === "gemini") {
      for (const fd of asArray(t.functionDeclarations)) {
        if (isRecord(fd)) out.push({ name: String(fd.name), schema: fd.parametersJsonSchema ?? fd.parameters });
      }
    }
  }
  return out;
}

/** Plain text of a content value (string, blocks with text, Gemini parts). */
function contentText(value: unknown): string[] {
  if (typeof value === "string") return [value];
  const out: string[] = [];
  for (const part of asArray(value)) {
    if (typeof part === "string") out.push(part);
    else if (isRecord(part) && typeof part.text === "string") out.push(part.text);
  }
  return out;
}

/** The system/developer texts a client sent, wherever its format puts them (including mid-conversation). */
export function clientSystemTexts(format: ClientFormat, body: Json): string[] {
  const out: string[] = [];
  if (format === "anthropic") {
    out.push(...contentText(body.system));
    for (const m of asArray(body.messages)) {
      if (isRecord(m) && m.role === "system") out.push(...contentText(m.content));
    }
  } else if (format === "responses") {
    if (typeof body.instructions === "string") out.push(body.instructions);
    for (const item of asArray(body.input)) {
      if (!isRecord(item) || (item.type !== undefined && item.type !== "message")) continue;
      if (item.role === "system" || item.role === "developer") out.push(...contentText(item.content));
    }
  } else if (format === "gemini") {
    if (isRecord(body.systemInstruction)) out.push(...contentText(body.systemInstruction.parts));
  } else {
    for (const m of asArray(body.messages)) {
      if (isRecord(m) && (m.role === "system" || m.role === "developer")) out.push(...contentText(m.content));
    }
  }
  return out.filter((t) => t.trim() !== "");
}

/** The upstream's system-slot text and the text under every other role. */
export function upstreamTexts(format: UpstreamFormat, body: Json): { system: string; other: string } {
  const system: string[] = [];
  const other: string[] = [];
  if (format === "openai") {
    for (const m of asArray(body.messages)) {
      if (!isRecord(m)) continue;
      (m.role === "system" || m.role === "developer" ? system : other).push(...contentText(m.content));
    }
  } else if (format === "anthropic") {
    system.push(...contentText(body.system));
    for (const m of asArray(body.messages)) if (isRecord(m)) other.push(...contentText(m.content));
  } else {
    if (isRecord(body.systemInstruction)) system.push(...contentText(body.systemInstruction.parts));
    for (const c of asArray(body.contents)) if (isRecord(c)) other.push(...contentText(c.parts));
  }
  return { system: system.join("\n"), other: other.join("\n") };
}

/** Names of the plain function tools a client offered (hosted/namespace tools are not counted). */
export function clientFunctionTools(format: ClientFormat, body: Json): { name: string; schema: unknown }[] {
  const out: { name: string; schema: unknown }[] = [];
  for (const t of asArray(body.tools)) {
    if (!isRecord(t)) continue;
    if (format === "anthropic") {
      if ((t.type === undefined || t.type === "custom") && typeof t.name === "string") {
        out.push({ name: t.name, schema: t.input_schema });
      }
    } else if (format === "responses") {
      if (t.type === "function" && typeof t.name === "string") out.push({ name: t.name, schema: t.parameters });
    } else if (format === "openai") {
      if (t.type === "function" && isRecord(t.function)) {
        out.push({ name: String(t.function.name), schema: t.function.parameters });
      }
    } else {
      for (const fd of asArray(t.functionDeclarations)) {
        if (isRecord(fd)) out.push({ name: String(fd.name), schema: fd.parametersJsonSchema ?? fd.parameters });
      }
    }
  }
  return out;
}
