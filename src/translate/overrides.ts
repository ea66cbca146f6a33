/** @module Each wire format's in-place request edits (global system prompt, thinking override), by name. */
import type { WireFormat } from "../core/canonical.ts";
import type { SystemPromptMode, ThinkingOverride } from "../core/request_overrides.ts";
import * as anthropic from "./anthropic/request_overrides.ts";
import * as gemini from "./gemini/request_overrides.ts";
import * as openai from "./openai/request_overrides.ts";
import * as responses from "./responses/request_overrides.ts";

type Body = Record<string, unknown>;

export interface RequestOverrides {
  /** A copy of the body with the text in the format's system slot; the client's body is not changed. */
  injectSystemPrompt(body: Body, text: string, mode: SystemPromptMode): Body;
  /** A copy of the body with the format's thinking controls set from the override. */
  overrideThinking(body: Body, override: ThinkingOverride): Body;
}

export const REQUEST_OVERRIDES: Readonly<Record<WireFormat, RequestOverrides>> = {
  openai,
  anthropic,
  gemini,
  responses,
};
