/** @module /api/db-backups: export a consistent .sqlite, export all as .tar.gz (no credentials), import. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GatewayError } from "../../core/errors.ts";
import { exportAllArchive, exportSnapshot, importSnapshot } from "../../store/mod.ts";
import type { AppEnv, Gateway } from "../context.ts";

export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024;

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, "-");
}

export function backupRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tmp = (name: string): string => `${gw.config.dataDir}/backups/.${name}-${crypto.randomUUID()}.sqlite`;

  app.get("/api/db-backups/export", async (c) => {
    Deno.mkdirSync(`${gw.config.dataDir}/backups`, { recursive: true });
    const path = tmp("export");
    await exportSnapshot(gw.db, path);
    const data = await Deno.readFile(path);
    await Deno.remove(path);
    return c.body(data, 200, {
      "content-type": "application/vnd.sqlite3",
      "content-disposition": `attachment; filename="switchyard-${stamp(gw.now())}.sqlite"`,
    });
  });

  app.get("/api/db-backups/exportAll", async (c) => {
    Deno.mkdirSync(`${gw.config.dataDir}/backups`, { recursive: true });
    const data = await exportAllArchive(gw.db, tmp("export-all"), gw.now());
    return c.body(data as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="switchyard-all-${stamp(gw.now())}.tar.gz"`,
    });
  });

  app.post(
    "/api/db-backups/import",
    bodyLimit({
      maxSize: IMPORT_LIMIT_BYTES,
      onError: () => {
        throw new GatewayError("payload_too_large", "an import may be at most 100 MB");
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      let bytes: Uint8Array;
      if (type.includes("multipart/form-data")) {
        const form = await c.req.parseBody();
        const file = form["file"];
        if (!(file instanceof File)) {
          throw new GatewayError("invalid_request", 'send the database as the form field "file"', { param: "file" });
        }
        bytes = new Uint8Array(await file.arrayBuffer());
      } else {
        bytes = new Uint8Array(await c.req.arrayBuffer());
      }
      if (bytes.length === 0) throw new GatewayError("invalid_request", "the upload is empty", { param: "file" });
      Deno.mkdirSync(`${gw.config.dataDir}/backups`, { recursive: true });
      const path = tmp("upload");
      await Deno.writeFile(path, bytes, { mode: 0o600 });
      try {
        const backup = await importSnapshot(gw.db, {
          dataDir: gw.config.dataDir,
          source: path,
          now: new Date(gw.now()),
        });
        await gw.reload();
        return c.json({ ok: true, backup: backup.slice(gw.config.dataDir.length + 1) });
      } catch (err) {
        if (err instanceof GatewayError) throw err;
        throw new GatewayError("invalid_request", `import refused: ${(err as Error).message}`, { param: "file" });
      } finally {
        await Deno.remove(path).catch(() => {});
      }
    },
  );

  return app;
}
