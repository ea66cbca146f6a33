/**
 * @module A vendor-neutral view of a request a fake upstream received: where the system text sat, the turns in
 * order, tools with schemas, tool calls and results with ids, images, thinking and reasoning controls.
 */
import type { RecordedRequest, Vendor } from "../helpers/fake_upstreams.ts";

type Obj = Record<string, unknown>;

/** One content item in conversation order, tagged with the role of the turn that held it. */
export type Item =
  | { kind: "text"; role: string; text: string }
  | { kind: "image"; role: string; base64?: string; mediaType?: string; url?: string }
  | { kind: "tool_call"; role: string; id?: string; name: string; args: unknown }
  | { kind: "tool_result"; role: string; id?: string; name?: string; text: string }
  | { kind: "thinking"; role: string; text: string; signature?: string };

export interface UpstreamView {
  model: string;
  /** Texts in the format's system slot (OpenAI: system/developer messages; Anthropic `system`; Gemini systemInstruction). */
  system: string[];
  /** Roles of the non-system turns, in order. */
  roles: string[];
  items: Item[];
  tools: Array<{ name: string; schema: unknown }>;
  /** OpenAI reasoning_effort, or the thinking budget of Anthropic / Gemini. */
  effort?: string;
  budget?: number;
  includeThoughts?: boolean;
  stream: boolean;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p as Obj).text).filter((t) => typeof t === "string").join("");
  }
  return "";
}

function openaiView(req: RecordedRequest): UpstreamView {
  const b = req.body;
  const view: UpstreamView = {
    model: String(b.model),
    system: [],
    roles: [],
    items: [],
    tools: [],
    stream: !!b.stream,
  };
  for (const m of (b.messages ?? []) as Obj[]) {
    const role = String(m.role);
    if (role === "system" || role === "developer") {
      view.system.push(textOf(m.content));
      continue;
    }
    view.roles.push(role);
    if (role === "tool") {
      view.items.push({ kind: "tool_result", role, id: String(m.tool_call_id), text: textOf(m.content) });
      continue;
    }
    if (typeof m.reasoning_content === "string") view.items.push({ kind: "thinking", role, text: m.reasoning_content });
    if (typeof m.content === "string") view.items.push({ kind: "text", role, text: m.content });
    else if (Array.isArray(m.content)) {
      for (const p of m.content as Obj[]) {
        if (p.type === "text") view.items.push({ kind: "text", role, text: String(p.text) });
        else if (p.type === "image_url") {
          const url = String((p.image_url as Obj).url);
          const data = /^data:([^;]+);base64,(.*)$/s.exec(url);
          view.items.push(
            data ? { kind: "image", role, mediaType: data[1], base64: data[2] } : { kind: "image", role, url },
          );
        }
      }
    }
    for (const tc of (m.tool_calls ?? []) as Obj[]) {
      const fn = tc.function as Obj;
      view.items.push({
        kind: "tool_call",
        role,
        id: String(tc.id),
        name: String(fn.name),
        args: JSON.parse(String(fn.arguments)),
      });
    }
  }
  for (const t of (b.tools ?? []) as Obj[]) {
    const fn = t.function as Obj;
    view.tools.push({ name: String(fn.name), schema: fn.parameters });
  }
  if (typeof b.reasoning_effort === "string") view.effort = b.reasoning_effort;
  return view;
}

function anthropicView(req: RecordedRequest): UpstreamView {
  const b = req.body;
  const view: UpstreamView = {
    model: String(b.model),
    system: [],
    roles: [],
    items: [],
    tools: [],
    stream: !!b.stream,
  };
  if (typeof b.system === "string") view.system.push(b.system);
  else if (Array.isArray(b.system)) { for (const s of b.system as Obj[]) view.system.push(String(s.text)); }
  for (const m of (b.messages ?? []) as Obj[]) {
    const role = String(m.role);
    view.roles.push(role);
    const blocks = typeof m.content === "string" ? [{ type: "text", text: m.content }] : (m.content as Obj[]);
    for (const p of blocks) {
      if (p.type === "text") view.items.push({ kind: "text", role, text: String(p.text) });
      else if (p.type === "image") {
        const s = p.source as Obj;
        view.items.push(
          s.type === "base64"
            ? { kind: "image", role, base64: String(s.data), mediaType: String(s.media_type) }
            : { kind: "image", role, url: String(s.url) },
        );
      } else if (p.type === "tool_use") {
        view.items.push({ kind: "tool_call", role, id: String(p.id), name: String(p.name), args: p.input });
      } else if (p.type === "tool_result") {
        view.items.push({ kind: "tool_result", role, id: String(p.tool_use_id), text: textOf(p.content) });
      } else if (p.type === "thinking") {
        view.items.push({ kind: "thinking", role, text: String(p.thinking), signature: p.signature as string });
      }
    }
  }
  for (const t of (b.tools ?? []) as Obj[]) view.tools.push({ name: String(t.name), schema: t.input_schema });
  const thinking = b.thinking as Obj | undefined;
  if (thinking?.type === "enabled") view.budget = Number(thinking.budget_tokens);
  return view;
}

function geminiView(req: RecordedRequest): UpstreamView {
  const b = req.body;
  const m = /^\/v1beta\/models\/(.+):(generateContent|streamGenerateContent)$/.exec(req.path);
  const view: UpstreamView = {
    model: m ? m[1] : "?",
    system: [],
    roles: [],
    items: [],
    tools: [],
    stream: m?.[2] === "streamGenerateContent",
  };
  const si = b.systemInstruction as Obj | undefined;
  if (si) view.system.push(textOf(si.parts));
  for (const c of (b.contents ?? []) as Obj[]) {
    const role = String(c.role ?? "user");
    view.roles.push(role);
    for (const p of (c.parts ?? []) as Obj[]) {
      if (typeof p.text === "string") {
        if (p.thought === true) {
          view.items.push({ kind: "thinking", role, text: p.text, signature: p.thoughtSignature as string });
        } else view.items.push({ kind: "text", role, text: p.text });
      } else if (p.inlineData) {
        const d = p.inlineData as Obj;
        view.items.push({ kind: "image", role, base64: String(d.data), mediaType: String(d.mimeType) });
      } else if (p.fileData) {
        const d = p.fileData as Obj;
        view.items.push({ kind: "image", role, url: String(d.fileUri), mediaType: d.mimeType as string });
      } else if (p.functionCall) {
        const fc = p.functionCall as Obj;
        view.items.push({ kind: "tool_call", role, id: fc.id as string, name: String(fc.name), args: fc.args });
      } else if (p.functionResponse) {
        const fr = p.functionResponse as Obj;
        const response = fr.response as Obj;
        const text = typeof response?.output === "string" ? response.output : JSON.stringify(response);
        view.items.push({ kind: "tool_result", role, id: fr.id as string, name: String(fr.name), text });
      }
    }
  }
  for (const t of (b.tools ?? []) as Obj[]) {
    for (const d of (t.functionDeclarations ?? []) as Obj[]) {
      view.tools.push({ name: String(d.name), schema: d.parametersJsonSchema ?? d.parameters });
    }
  }
  const tc = (b.generationConfig as Obj | undefined)?.thinkingConfig as Obj | undefined;
  if (tc) {
    if (typeof tc.thinkingBudget === "number") view.budget = tc.thinkingBudget;
    if (typeof tc.thinkingLevel === "string") view.effort = tc.thinkingLevel.toLowerCase();
    if (typeof tc.includeThoughts === "boolean") view.includeThoughts = tc.includeThoughts;
  }
  return view;
}

export function upstreamView(vendor: Vendor, req: RecordedRequest): UpstreamView {
  return vendor === "openai" ? openaiView(req) : vendor === "anthropic" ? anthropicView(req) : geminiView(req);
}
