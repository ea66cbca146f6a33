/**
 * @module WAL checkpoints off the request path. With synchronous=NORMAL a commit only appends to the WAL; the
 * fsyncs happen at checkpoints, which SQLite would otherwise run inside whichever commit crosses 1000 pages —
 * a multi-millisecond stall of the event loop several times a second under load. A worker thread with its own
 * connection runs PASSIVE checkpoints instead; the main connection keeps a large auto-checkpoint as a backstop.
 * The worker's code is a string (a blob module), so `deno compile` and bundles need no extra file.
 */
import type { Db } from "./db.ts";

const WORKER_SOURCE = `
import { DatabaseSync } from "node:sqlite";
let db;
self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.cmd === "open") {
      db = new DatabaseSync(msg.path);
      db.exec("PRAGMA busy_timeout = 5000");
    } else if (msg.cmd === "checkpoint" && db) {
      const r = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
      self.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
    } else if (msg.cmd === "close") {
      db?.close();
      db = undefined;
      self.postMessage({ closed: true });
    }
  } catch (err) {
    self.postMessage({ ok: false, error: String(err && err.message || err) });
  }
};
`;

/** Pages the main connection may let the WAL grow to before it checkpoints itself (the backstop). */
export const BACKSTOP_PAGES = 20_000;

/** WAL size at which the worker starts: an idle or lightly used gateway never pays for the second isolate. */
export const WORKER_START_WAL_BYTES = 4 * 1024 * 1024;

export interface Checkpointer {
  /** Stops the timer and the worker (closing its connection). */
  stop(): Promise<void>;
  /** Who checkpoints now: nobody yet (the WAL is still small), the worker, or the main connection (no worker). */
  state(): "waiting" | "worker" | "main";
}

/**
 * Starts background checkpoints of the store at `path` every `intervalMs`, by a worker once the WAL file has reached
 * `startAtWalBytes` (a second isolate costs ~8 MiB of RSS and ~10 ms of the main thread to create; a small WAL needs no
 * checkpoints, and the backstop covers it meanwhile). Falls back to checkpoints on the main connection (same interval,
 * still off the request path's commits) when a worker cannot start.
 */
export function startCheckpointer(
  db: Db,
  path: string,
  options: { intervalMs?: number; delayMs?: number; startAtWalBytes?: number } = {},
): Checkpointer {
  const intervalMs = options.intervalMs ?? 1000;
  const startAt = options.startAtWalBytes ?? WORKER_START_WAL_BYTES;
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let mode: "waiting" | "worker" | "main" = "waiting";
  let worker: Worker | undefined;
  let busy = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  // `delayMs` lets a server answer its first requests before the first look at the WAL; the backstop covers it.
  const delay = options.delayMs ? setTimeout(begin, options.delayMs) : undefined;
  if (delay !== undefined) Deno.unrefTimer(delay);
  else begin();
  return {
    async stop() {
      clearTimeout(delay);
      clearInterval(timer);
      const w = worker;
      worker = undefined;
      if (!w) return;
      await new Promise<void>((resolve) => {
        const done = setTimeout(resolve, 1000);
        w.onmessage = (e) => {
          if ((e.data as { closed?: boolean }).closed) {
            clearTimeout(done);
            resolve();
          }
        };
        w.postMessage({ cmd: "close" });
      });
      w.terminate();
    },
    state: () => mode,
  };

  function walBytes(): number {
    try {
      return Deno.statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  }

  function startWorker(): void {
    try {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" }));
      worker = new Worker(url, { type: "module" });
      worker.onmessage = () => {
        busy = false;
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker?.terminate();
        worker = undefined;
        mode = "main";
      };
      worker.postMessage({ cmd: "open", path });
      mode = "worker";
    } catch {
      worker = undefined;
      mode = "main";
    }
  }

  function begin(): void {
    timer = setInterval(() => {
      if (mode === "waiting") {
        if (walBytes() < startAt) return;
        startWorker();
      }
      if (worker) {
        if (busy) return;
        busy = true;
        worker.postMessage({ cmd: "checkpoint" });
      } else {
        try {
          db.exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch { /* busy: the next tick tries again */ }
      }
    }, intervalMs);
    Deno.unrefTimer(timer);
  }
}
