/**
 * @module The CLI-tools page: set-up snippets with this server's URL, a chosen key and model, copy buttons; a key
 * made for the tools (shown once); and, for a loopback client without a proxy header only, "write it for me":
 * the merged config file's diff first, then the write, with the previous file kept as a backup.
 */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { GatewayError } from "../../core/errors.ts";
import { type CliInput, cliTools, lineDiff, type Renderer, TOOL_IDS, toolFileText } from "../../dashboard/mod.ts";
import { listApiKeys } from "../../store/mod.ts";
import { isLocalClient } from "../auth.ts";
import type { AppEnv, Gateway } from "../context.ts";
import { createKeyOp } from "../manage/keys.ts";
import { fieldErrors, guarded, readForm, show, written } from "./dashboard_base.ts";
import { listActiveModels } from "./model_list.ts";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function readIfExists(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

export function cliToolRoutes(gw: Gateway, render: Renderer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  function input(c: Context<AppEnv>, model: string, keyId: string, key?: string): CliInput {
    const origin = new URL(c.req.url).origin;
    const row = listApiKeys(gw.db).find((k) => k.id === keyId);
    const placeholder = row ? `PASTE-KEY-${row.name}-${row.keyHint}` : "PASTE-YOUR-GATEWAY-KEY";
    return { baseUrl: origin, model: model || defaultModel(), key: key ?? placeholder };
  }

  function defaultModel(): string {
    return listActiveModels(gw.state)[0]?.id ?? "openai/gpt-4.1";
  }

  function homePath(rel: string): string {
    const home = gw.config.homeDir;
    if (!home) throw new GatewayError("invalid_request", "the server does not know its home folder (HOME is unset)");
    return `${home}/${rel}`;
  }

  function page(c: Context<AppEnv>, extra: Record<string, unknown> & { key?: string } = {}, status = 200): Response {
    const values = (extra.values ?? {}) as Record<string, string>;
    const model = values.model || c.req.query("model") || defaultModel();
    const keyId = values.keyId ?? c.req.query("keyId") ?? "";
    const keys = listApiKeys(gw.db).filter((k) => k.scopes.includes("inference") || k.scopes.includes("admin"));
    const data = {
      tools: cliTools(input(c, model, keyId, extra.key)),
      model,
      keyId,
      models: listActiveModels(gw.state).map((m) => m.id),
      keyOptions: [
        { value: "", label: "(choose a key)" },
        ...keys.map((k) => ({ value: k.id, label: `${k.name} (${k.keyHint})` })),
      ],
      local: isLocalClient(c),
      home: gw.config.homeDir ?? "",
      ...extra,
    };
    return show(c, render, { page: "cli_tools", active: "cli-tools", data, status });
  }

  app.get("/cli-tools", guarded(gw, (c) => page(c)));

  app.post(
    "/cli-tools-key",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      try {
        const { row, key } = await createKeyOp(gw, { name: form.text("name") || "cli-tools", scopes: ["inference"] });
        return page(c, {
          key,
          newKey: { name: row.name, key },
          values: { model: form.text("model"), keyId: row.id },
          flash: `Key "${row.name}" created; the snippets below hold it. It is shown only this once.`,
        }, 201);
      } catch (err) {
        return page(c, { errors: fieldErrors(err), values: form.values() }, 422);
      }
    }),
  );

  /** The target file, its current text and the merged text (throws a field error when it cannot be merged). */
  function plan(c: Context<AppEnv>, tool: string, model: string) {
    if (!isLocalClient(c)) {
      throw new GatewayError("permission_denied", "writing files on the server is offered only to a local browser");
    }
    const spec = cliTools(input(c, model, "")).find((t) => t.id === tool);
    if (!spec?.file) throw new GatewayError("not_found", `${tool} has no config file to write`);
    const path = homePath(spec.file.path);
    const before = readIfExists(path);
    let after: string;
    try {
      after = toolFileText(tool, before, input(c, model, ""));
    } catch (err) {
      throw new GatewayError("invalid_request", `${spec.file.path}: ${(err as Error).message}`, { param: "write" });
    }
    return { spec, path, before, after };
  }

  app.post(
    "/cli-tools/:tool/preview",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const tool = c.req.param("tool")!;
      if (!(TOOL_IDS as readonly string[]).includes(tool)) throw new GatewayError("not_found", `no CLI tool ${tool}`);
      try {
        const p = plan(c, tool, form.text("model"));
        return page(c, {
          values: { model: form.text("model"), keyId: form.text("keyId") },
          preview: {
            tool,
            name: p.spec.name,
            path: p.path,
            exists: p.before !== undefined,
            unchanged: p.before === p.after,
            diff: lineDiff(p.before ?? "", p.after),
            base: await sha256(p.before ?? ""),
          },
        });
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => `write-${tool}`), values: form.values() }, 422);
      }
    }),
  );

  app.post(
    "/cli-tools/:tool/write",
    guarded(gw, async (c) => {
      const form = await readForm(c);
      const tool = c.req.param("tool")!;
      if (!(TOOL_IDS as readonly string[]).includes(tool)) throw new GatewayError("not_found", `no CLI tool ${tool}`);
      try {
        const p = plan(c, tool, form.text("model"));
        if ((await sha256(p.before ?? "")) !== form.text("base")) {
          throw new GatewayError("invalid_request", `${p.path} changed since the preview; preview it again`, {
            status: 409,
          });
        }
        const dir = p.path.slice(0, p.path.lastIndexOf("/"));
        Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
        let backup = "";
        if (p.before !== undefined) {
          backup = `${p.path}.switchyard-backup-${new Date(gw.now()).toISOString().replace(/[:.]/g, "-")}`;
          Deno.copyFileSync(p.path, backup);
        }
        Deno.writeTextFileSync(p.path, p.after, { mode: 0o600 });
        const flash = `Wrote ${p.path}${backup ? `; the previous file is kept as ${backup}` : ""}.`;
        return written(c, flash, "/cli-tools", (f) => page(c, { flash: f, values: { model: form.text("model") } }));
      } catch (err) {
        return page(c, { errors: fieldErrors(err, () => `write-${tool}`), values: form.values() }, 422);
      }
    }),
  );

  return app;
}
