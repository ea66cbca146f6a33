/**
 * @module The `ChatRequest.hints` keys this codec writes and reads. Top-level Anthropic fields keep their wire
 * name; per-block and per-tool details live under the keys below so an Anthropic → Anthropic trip restores them.
 */
import { isObject, type JsonObject } from "./schema.ts";

/** Top-level fields re-emitted verbatim by `encodeRequest` (only Anthropic defines them with these names). */
export const PASSTHROUGH_FIELDS: ReadonlySet<string> = new Set([
  "cache_control",
  "container",
  "mcp_servers",
  "inference_geo",
  "speed",
  "diagnostics",
  "user_profile_id",
  "workspace_id",
]);

/** `thinking.display` (`summarized` | `omitted`). */
export const HINT_THINKING_DISPLAY = "thinking.display";
/** `thinking.type` when it is `adaptive` or `between_tools` (canonical reasoning has no slot for the kind). */
export const HINT_THINKING_TYPE = "thinking.type";
/** `cache_control` of content blocks whose canonical part has no `cacheControl` (tool_use, tool_result, image…). */
export const HINT_BLOCK_CACHE_CONTROL = "content_cache_control";
/** Content blocks the canonical model cannot hold (server tool calls/results, file-id sources, tool_reference…). */
export const HINT_RAW_BLOCKS = "anthropic_content_blocks";
/** Per-tool fields of custom tools, each stored as `{toolName: value}` under its own wire name. */
export const TOOL_EXTRA_FIELDS: readonly string[] = [
  "defer_loading",
  "allowed_callers",
  "eager_input_streaming",
  "input_examples",
];

/** A block-level `cache_control`, addressed by canonical message and part index. */
export interface BlockCacheControl {
  message: number;
  part: number;
  type: string;
  cache_control: JsonObject;
}

/**
 * An untranslatable block, addressed by canonical message index and the canonical part it preceded
 * (`before`); `part` is set when it sat inside that tool_result's `content`.
 */
export interface RawBlock {
  message: number;
  part?: number;
  before: number;
  block: JsonObject;
}

export function readBlockCacheControls(hints: Record<string, unknown>): BlockCacheControl[] {
  const value = hints[HINT_BLOCK_CACHE_CONTROL];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is BlockCacheControl =>
    isObject(v) && typeof v.message === "number" && typeof v.part === "number" && typeof v.type === "string" &&
    isObject(v.cache_control)
  );
}

export function readRawBlocks(hints: Record<string, unknown>): RawBlock[] {
  const value = hints[HINT_RAW_BLOCKS];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is RawBlock =>
    isObject(v) && typeof v.message === "number" && typeof v.before === "number" && isObject(v.block) &&
    (v.part === undefined || typeof v.part === "number")
  );
}
