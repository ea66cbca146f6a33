/**
 * @module Request body capture for ENABLE_REQUEST_LOGS: the answer path hands over references (no copying, no
 * serialising); a timer after the response redacts, caps and writes them in one batch. With logging off
 * `capture` is a no-op and nothing is kept.
 */
import { capText, redactJson, redactText } from "./redact.ts";

export interface CapturedExchange {
  requestId: string;
  /** The usage row's ts (request start), so the detail view finds the usage row through the ts index. */
  ts: number;
  /** The client's parsed request body. */
  request: unknown;
  /** The final response body as sent: JSON text, or the assembled SSE text of a stream. */
  response: () => string | undefined;
}

export interface StoredBodies {
  requestId: string;
  ts: number;
  request: string | null;
  response: string | null;
  truncated: boolean;
}

export interface RequestLog {
  readonly enabled: boolean;
  capture(exchange: CapturedExchange): void;
  /** Writes what is queued now (shutdown, tests). */
  flush(): void;
}

/** Default cap per body: 64 KiB. */
export const BODY_CAP_BYTES = 64 * 1024;

/** Redacts and caps one exchange into the stored form. */
export function toStoredBodies(e: CapturedExchange, capBytes: number = BODY_CAP_BYTES): StoredBodies {
  let requestText: string | null = null;
  if (e.request !== undefined) {
    try {
      requestText = JSON.stringify(redactJson(e.request));
    } catch {
      requestText = null;
    }
  }
  const raw = e.response();
  let responseText: string | null = null;
  if (raw !== undefined) {
    try {
      responseText = JSON.stringify(redactJson(JSON.parse(raw)));
    } catch {
      responseText = redactText(raw); // SSE text or a non-JSON body
    }
  }
  const req = requestText === null ? { text: null, truncated: false } : capText(requestText, capBytes);
  const res = responseText === null ? { text: null, truncated: false } : capText(responseText, capBytes);
  return {
    requestId: e.requestId,
    ts: e.ts,
    request: req.text,
    response: res.text,
    truncated: req.truncated || res.truncated,
  };
}

/**
 * `write` stores a batch (one transaction); `delayMs` is how long captures gather before a write; `maxQueue`
 * bounds memory when the store falls behind (further captures are dropped and counted).
 */
export function createRequestLog(options: {
  enabled: boolean;
  write: (rows: StoredBodies[]) => void;
  onError?: (err: unknown) => void;
  capBytes?: number;
  delayMs?: number;
  maxQueue?: number;
}): RequestLog {
  if (!options.enabled) return { enabled: false, capture() {}, flush() {} };
  const delayMs = options.delayMs ?? 25;
  const maxQueue = options.maxQueue ?? 1000;
  let queue: CapturedExchange[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      options.write(batch.map((e) => toStoredBodies(e, options.capBytes)));
    } catch (err) {
      options.onError?.(err);
    }
  }

  return {
    enabled: true,
    capture(exchange) {
      if (queue.length >= maxQueue) return;
      queue.push(exchange);
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
