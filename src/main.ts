/** @module The only composition root: config → store → createApp(gateway) → Deno.serve; and the CLI commands. */
import { type AppConfig, loadConfigAsync, USAGE } from "./config/mod.ts";
import { ConfigError } from "./core/errors.ts";
import { createApp } from "./http/app.ts";
import { createGateway, dbPathOf, openStore, VERSION } from "./http/gateway.ts";
import { startMaintenance } from "./usage/maintenance.ts";
import {
  deleteAllSessions,
  exportSnapshot,
  hashPassword,
  importSnapshot,
  setPasswordHash,
  startCheckpointer,
} from "./store/mod.ts";

async function readPassword(config: AppConfig): Promise<string> {
  if (config.password !== undefined) return config.password;
  if (!Deno.stdin.isTerminal()) {
    const text = await new Response(Deno.stdin.readable).text();
    return text.replace(/\r?\n$/, "");
  }
  return prompt("New dashboard password:") ?? "";
}

async function serve(config: AppConfig): Promise<void> {
  const gw = await createGateway(config);
  const checkpointer = startCheckpointer(gw.db, dbPathOf(config.dataDir), { delayMs: 2000 });
  // Hourly usage rollups and retention (usage rows, request bodies), in small batches off the request path.
  const maintenance = startMaintenance(gw.db, {
    settings: () => gw.state.settings.advanced,
    now: gw.now,
    onError: (what, err) => gw.logger.log("warn", `usage ${what} failed`, { error: (err as Error).message }),
  });
  const app = createApp(gw);
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: ({ hostname, port }) => {
      gw.logger.log("info", "switchyard listening", {
        url: `http://${hostname}:${port}`,
        version: VERSION,
        dataDir: config.dataDir,
      });
      const token = gw.setupToken();
      if (token) {
        console.log(
          `No dashboard password yet. Open http://${
            hostname === "0.0.0.0" ? "localhost" : hostname
          }:${port}/setup from this machine and enter the setup token: ${token}`,
        );
      }
    },
  }, app.fetch);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    gw.logger.log("info", "shutting down", { signal });
    // Let in-flight requests finish, at most 10 s.
    await Promise.race([server.shutdown(), new Promise((r) => setTimeout(r, 10_000))]);
    await maintenance.stop();
    await checkpointer.stop();
    gw.usage.flush();
    gw.requestLog.flush();
    gw.saveHealth();
    try {
      gw.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch { /* still durable in the WAL */ }
    gw.db.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"));
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGINT", () => void stop("SIGINT"));
  await server.finished;
}

async function main(args: string[]): Promise<number> {
  let config: AppConfig;
  try {
    config = await loadConfigAsync({ args });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`switchyard: ${err.message}`);
      return 2;
    }
    throw err;
  }
  switch (config.command) {
    case "help":
      console.log(USAGE);
      return 0;
    case "version":
      console.log(`switchyard ${VERSION}`);
      return 0;
    case "reset-password": {
      const password = await readPassword(config);
      if (password.length < 8) {
        console.error("switchyard: the password needs at least 8 characters");
        return 2;
      }
      const db = openStore(config);
      setPasswordHash(db, await hashPassword(password), Date.now());
      deleteAllSessions(db);
      db.close();
      console.log("Dashboard password set; existing sessions ended.");
      return 0;
    }
    case "export": {
      const db = openStore(config);
      await exportSnapshot(db, config.file!);
      db.close();
      console.log(`Wrote ${config.file}`);
      return 0;
    }
    case "import": {
      const db = openStore(config);
      try {
        const backup = await importSnapshot(db, { dataDir: config.dataDir, source: config.file!, now: new Date() });
        console.log(`Imported ${config.file}; the previous store is saved as ${backup}`);
        return 0;
      } catch (err) {
        console.error(`switchyard: import refused: ${(err as Error).message}`);
        return 1;
      } finally {
        db.close();
      }
    }
    case "serve":
      try {
        await serve(config);
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(`switchyard: ${err.message}`);
          return 2;
        }
        if (err instanceof Deno.errors.AddrInUse) {
          console.error(`switchyard: port ${config.port} on ${config.host} is already in use`);
          return 1;
        }
        throw err;
      }
      return 0;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
