/**
 * @module The CLI-tools page's content, pure: ready-to-paste set-up for Claude Code, Codex CLI, Gemini CLI, Cursor,
 * Cline and OpenClaw (settings as observed in shared/reference/clients.md), the config files a local user may have
 * written for them (merged into what is there; the key stays in the SWITCHYARD_API_KEY environment variable, never
 * in a file), and a line diff to show before writing.
 */

export const KEY_ENV = "SWITCHYARD_API_KEY";

export interface Snippet {
  id: string;
  title: string;
  text: string;
}

export interface ToolFile {
  /** Relative to the home folder. */
  path: string;
  kind: "json" | "toml";
}

export interface CliTool {
  id: string;
  name: string;
  intro: string;
  snippets: Snippet[];
  file?: ToolFile;
  note?: string;
}

export interface CliInput {
  /** This server's origin, e.g. `http://127.0.0.1:20128`. */
  baseUrl: string;
  model: string;
  /** The key's value when known (a key created on this page); otherwise a placeholder naming the key. */
  key: string;
}

export const TOOL_IDS = ["claude-code", "codex", "gemini-cli", "cursor", "cline", "openclaw"] as const;

const sh = (s: string): string => `'${s.replaceAll("'", `'"'"'`)}'`;

/** What Claude Code's ~/.claude/settings.json gets (merged into its `env`; the key comes from SWITCHYARD_API_KEY). */
function claudeSettings(i: CliInput): Record<string, unknown> {
  return {
    apiKeyHelper: `echo "$${KEY_ENV}"`,
    env: {
      ANTHROPIC_BASE_URL: i.baseUrl,
      ANTHROPIC_MODEL: i.model,
      ANTHROPIC_SMALL_FAST_MODEL: i.model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: i.model,
      ANTHROPIC_DEFAULT_SONNET_MODEL: i.model,
      ANTHROPIC_DEFAULT_OPUS_MODEL: i.model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
  };
}

function geminiSettings(i: CliInput): Record<string, unknown> {
  return { security: { auth: { selectedType: "gemini-api-key" } }, model: { name: i.model } };
}

function openclawSettings(i: CliInput): Record<string, unknown> {
  return {
    models: {
      mode: "merge",
      providers: {
        switchyard: {
          baseUrl: `${i.baseUrl}/v1`,
          apiKey: `\${${KEY_ENV}}`,
          api: "openai-completions",
          models: [{ id: i.model, name: i.model }],
        },
      },
    },
    agents: { defaults: { model: { primary: `switchyard/${i.model}` } } },
  };
}

function codexToml(i: CliInput): { top: string[]; section: string[] } {
  return {
    top: [`model = ${JSON.stringify(i.model)}`, `model_provider = "switchyard"`],
    section: [
      "[model_providers.switchyard]",
      `name = "Switchyard"`,
      `base_url = ${JSON.stringify(`${i.baseUrl}/v1`)}`,
      `env_key = "${KEY_ENV}"`,
      `wire_api = "responses"`,
    ],
  };
}

export function cliTools(i: CliInput): CliTool[] {
  const exportKey = `export ${KEY_ENV}=${sh(i.key)}`;
  const codex = codexToml(i);
  return [
    {
      id: "claude-code",
      name: "Claude Code",
      intro: "Speaks Anthropic Messages to /v1/messages. Any model name works, including combos.",
      snippets: [
        {
          id: "claude-env",
          title: "Environment variables",
          text: [
            `export ANTHROPIC_BASE_URL=${sh(i.baseUrl)}`,
            `export ANTHROPIC_API_KEY=${sh(i.key)}`,
            ...["ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL"].map((n) =>
              `export ${n}=${sh(i.model)}`
            ),
            `export ANTHROPIC_DEFAULT_SONNET_MODEL=${sh(i.model)}`,
            `export ANTHROPIC_DEFAULT_OPUS_MODEL=${sh(i.model)}`,
            "export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
          ].join("\n"),
        },
        { id: "claude-file", title: "Or ~/.claude/settings.json", text: JSON.stringify(claudeSettings(i), null, 2) },
      ],
      file: { path: ".claude/settings.json", kind: "json" },
      note: `With the settings file, export ${KEY_ENV} in your shell profile: ${exportKey}`,
    },
    {
      id: "codex",
      name: "Codex CLI",
      intro: 'Codex only speaks the Responses API (wire_api = "chat" is refused), served at /v1/responses.',
      snippets: [
        { id: "codex-file", title: "~/.codex/config.toml", text: [...codex.top, "", ...codex.section].join("\n") },
        { id: "codex-env", title: "Key", text: exportKey },
      ],
      file: { path: ".codex/config.toml", kind: "toml" },
    },
    {
      id: "gemini-cli",
      name: "Gemini CLI",
      intro: "Streams Gemini generateContent to /v1beta; the model may contain a slash (openai/gpt-4.1).",
      snippets: [
        {
          id: "gemini-env",
          title: "Environment variables",
          text: [
            `export GOOGLE_GEMINI_BASE_URL=${sh(i.baseUrl)}`,
            `export GEMINI_API_KEY=${sh(i.key)}`,
            `export GEMINI_MODEL=${sh(i.model)}`,
          ].join("\n"),
        },
        {
          id: "gemini-file",
          title: "~/.gemini/settings.json (needed: without it -p mode refuses the custom base URL)",
          text: JSON.stringify(geminiSettings(i), null, 2),
        },
      ],
      file: { path: ".gemini/settings.json", kind: "json" },
    },
    {
      id: "cursor",
      name: "Cursor",
      intro: "Cursor > Settings > Models: set these, then add the model name as a custom model.",
      snippets: [{
        id: "cursor-settings",
        title: "Settings",
        text: [`OpenAI API Key: ${i.key}`, `Override OpenAI Base URL: ${i.baseUrl}/v1`, `Custom model: ${i.model}`]
          .join("\n"),
      }],
      note:
        "Cursor calls the base URL from its own servers, so the gateway must be reachable from the internet over HTTPS (a loopback address does not work).",
    },
    {
      id: "cline",
      name: "Cline",
      intro: "Cline uses the OpenAI-compatible provider (/v1/chat/completions).",
      snippets: [
        {
          id: "cline-cli",
          title: "Cline CLI",
          text: `cline auth --provider openai-compatible --apikey ${sh(i.key)} --modelid ${sh(i.model)} --baseurl ${
            sh(`${i.baseUrl}/v1`)
          }`,
        },
        {
          id: "cline-vscode",
          title: "VS Code extension settings",
          text: [
            "API Provider: OpenAI Compatible",
            `Base URL: ${i.baseUrl}/v1`,
            `API Key: ${i.key}`,
            `Model ID: ${i.model}`,
          ].join("\n"),
        },
      ],
    },
    {
      id: "openclaw",
      name: "OpenClaw",
      intro: "OpenClaw takes custom OpenAI-compatible providers under models.providers.",
      snippets: [
        { id: "openclaw-file", title: "~/.openclaw/openclaw.json", text: JSON.stringify(openclawSettings(i), null, 2) },
        { id: "openclaw-env", title: "Key", text: exportKey },
      ],
      file: { path: ".openclaw/openclaw.json", kind: "json" },
    },
  ];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects key by key, everything else replaced by `patch`. */
export function mergeJson(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isObject(v) && isObject(out[k]) ? mergeJson(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** Replaces top-level `model`/`model_provider` and the `[model_providers.switchyard]` table; keeps the rest. */
export function mergeCodexToml(existing: string, i: CliInput): string {
  const { top, section } = codexToml(i);
  const out: string[] = [];
  let inTop = true;
  let skipping = false;
  for (const line of existing.replace(/\r\n/g, "\n").split("\n")) {
    const header = /^\s*\[/.test(line);
    if (header) {
      inTop = false;
      skipping = /^\s*\[\s*model_providers\.switchyard\s*\]/.test(line);
    }
    if (skipping) continue;
    if (inTop && /^\s*(model|model_provider)\s*=/.test(line)) continue;
    out.push(line);
  }
  while (out.length > 0 && out[0].trim() === "") out.shift();
  while (out.length > 0 && out.at(-1)!.trim() === "") out.pop();
  const firstHeader = out.findIndex((l) => /^\s*\[/.test(l));
  const head = firstHeader === -1 ? out : out.slice(0, firstHeader);
  const tables = firstHeader === -1 ? [] : out.slice(firstHeader);
  return [...top, ...head, ...(tables.length ? ["", ...tables] : []), "", ...section].join("\n") + "\n";
}

/**
 * The file's new text for a tool, merged into `existing` (undefined when there is no file). Throws an Error with a
 * readable reason when the existing file cannot be merged safely (not plain JSON).
 */
export function toolFileText(tool: string, existing: string | undefined, i: CliInput): string {
  if (tool === "codex") return mergeCodexToml(existing ?? "", i);
  const patch = tool === "claude-code"
    ? claudeSettings(i)
    : tool === "gemini-cli"
    ? geminiSettings(i)
    : tool === "openclaw"
    ? openclawSettings(i)
    : undefined;
  if (!patch) throw new Error(`${tool} has no config file to write`);
  let base: unknown = {};
  if (existing !== undefined && existing.trim() !== "") {
    try {
      base = JSON.parse(existing);
    } catch {
      throw new Error("the existing file is not plain JSON (comments?); merge the snippet by hand");
    }
    if (!isObject(base)) throw new Error("the existing file does not hold a JSON object; merge the snippet by hand");
  }
  return JSON.stringify(mergeJson(base as Record<string, unknown>, patch), null, 2) + "\n";
}

export interface DiffLine {
  op: " " | "+" | "-";
  text: string;
}

/** A line diff (longest common subsequence; config files are small). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      lcs[x][y] = a[x] === b[y] ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
    }
  }
  const out: DiffLine[] = [];
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && a[x] === b[y]) {
      out.push({ op: " ", text: a[x] });
      x++;
      y++;
    } else if (y < m && (x === n || lcs[x][y + 1] >= lcs[x + 1][y])) out.push({ op: "+", text: b[y++] });
    else out.push({ op: "-", text: a[x++] });
  }
  return out;
}
