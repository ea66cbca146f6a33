/**
 * @module How Responses-only tool shapes (namespace groups, freeform `custom` tools) map to canonical tool names.
 *
 * A `{type:"namespace", name, tools:[…]}` tool (Codex's `multi_agent_v1`; MCP servers) groups function/custom
 * tools; the model calls a member as `function_call {namespace, name}` and Codex dispatches on that pair
 * (`ToolName {namespace, name}` in codex-rs `tools/router.rs`), so a call that comes back without its namespace
 * is an "unsupported call" there. We therefore keep the namespace tool as a HostedTool (format "responses"):
 * another format drops it and names it in `dropped`, rather than offering tools whose calls Codex could not
 * route back (flattening it into one tool with an empty schema, as a peer gateway did, is worse still).
 * Calls to namespace members that are already in the history get Codex's own flat name (`<namespace>__<name>`,
 * codex-rs `ToolName::canonical_flat_name`), and `encodeRequest` splits that name again when the request
 * carries the namespace tool.
 *
 * Freeform `custom` tools (grammar/free-text input, e.g. `apply_patch` for GPT-5) have no counterpart elsewhere
 * either, so they are HostedTools too; a `custom_tool_call` in the history becomes a tool call whose arguments
 * are `{"input": "<text>"}` and is turned back into `custom_tool_call` when the tool is in the request.
 */
import type { HostedTool, Tool } from "../../core/canonical.ts";

/** Codex's flat spelling of a namespaced tool name. */
export function flatToolName(namespace: string | null | undefined, name: string): string {
  if (namespace === undefined || namespace === null || namespace === "") return name;
  return `${namespace.replace(/_+$/, "")}__${name.replace(/^_+/, "")}`;
}

/** What a canonical tool name stands for in the Responses request being encoded. */
export interface ResponsesToolRef {
  name: string;
  namespace?: string;
  kind: "function" | "custom";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Canonical (flat) names of the request's custom tools and namespace members, with their Responses identity. */
export function responsesToolRefs(tools: Tool[] | undefined): Map<string, ResponsesToolRef> {
  const refs = new Map<string, ResponsesToolRef>();
  for (const tool of tools ?? []) {
    if (tool.type !== "hosted" || tool.format !== "responses") continue;
    const raw = tool.raw;
    if (raw.type === "custom" && typeof raw.name === "string") {
      refs.set(raw.name, { name: raw.name, kind: "custom" });
    }
    if (raw.type === "namespace" && typeof raw.name === "string" && Array.isArray(raw.tools)) {
      for (const member of raw.tools) {
        if (!isRecord(member) || typeof member.name !== "string") continue;
        const kind = member.type === "custom" ? "custom" : "function";
        refs.set(flatToolName(raw.name, member.name), { name: member.name, namespace: raw.name, kind });
      }
    }
  }
  return refs;
}

/** The name a dropped hosted tool is listed under: `tools[web_search]`. */
export function hostedToolLabel(tool: HostedTool): string {
  const raw = tool.raw;
  const label = typeof raw.type === "string"
    ? raw.type
    : typeof raw.name === "string"
    ? raw.name
    : Object.keys(raw)[0] ?? "hosted";
  return `tools[${label}]`;
}

/** Wraps freeform custom-tool input as canonical JSON arguments. */
export function customInputToArguments(input: string): string {
  return JSON.stringify({ input });
}

/** The freeform input back out of canonical arguments (the raw text when they are not our wrapper). */
export function argumentsToCustomInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isRecord(parsed) && typeof parsed.input === "string") return parsed.input;
  } catch {
    // Not JSON: the arguments are the input text itself.
  }
  return args;
}
