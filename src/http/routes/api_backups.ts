/** @module /api/db-backups: export a consistent .sqlite, export all as .tar.gz (no credentials), import. */
import { Hono } from "../packages.ts";
import type { Context } from "hono";
import { bodyLimit } from "../packages.ts";
import { GatewayError } from "../../core/errors.ts";
import type { AppEnv, Gateway } from "../context.ts";
import {
  type Download,
  exportAllOp,
  exportDatabaseOp,
  IMPORT_LIMIT_BYTES,
  importDatabaseOp,
} from "../manage/backups.ts";

export { IMPORT_LIMIT_BYTES };

export function download(c: Context, d: Download): Response {
  return c.body(d.data, 200, {
    "content-type": d.contentType,
    "content-disposition": `attachment; filename="${d.filename}"`,
    "cache-control": "no-store",
  });
}

export function backupRoutes(gw: Gateway): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/api/db-backups/export", async (c) => download(c, await exportDatabaseOp(gw)));
  app.get("/api/db-backups/exportAll", async (c) => download(c, await exportAllOp(gw)));

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
      return c.json({ ok: true, backup: await importDatabaseOp(gw, bytes) });
    },
  );

  return app;
}
