/**
 * @module The upstream HTTP client: the gateway's calls to providers, in HTTP/1.1 over pooled keep-alive connections
 * (`Deno.connect` / `Deno.connectTls`). Deno's own fetch costs ~40 µs of CPU a call against ~18 µs here (c=50, same
 * machine); what this client does not handle (other URL schemes, redirects) goes to the fallback fetch unchanged.
 */
import { headerLine, ProtocolError, type ResponseHead } from "./http1.ts";
import { bodyReader, close, type Conn, READ_BUFFER, readHead, writeAll } from "./connection.ts";
import { ClientReply, sourceStream, type UpstreamFetch, type UpstreamInit, type UpstreamReply } from "./reply.ts";

export type { ChunkSource, UpstreamFetch, UpstreamInit, UpstreamReply } from "./reply.ts";

export interface UpstreamFetchOptions {
  /** Takes every call this client does not handle (and redirects): default the global fetch. */
  fallback?: UpstreamFetch;
  /** Extra trusted roots (PEM) for TLS upstreams, beside the runtime's own. */
  caCerts?: string[];
  /** Idle connections older than this are closed instead of reused, in ms. @default 4000 */
  idleMs?: number;
}

interface Origin {
  tls: boolean;
  hostname: string;
  port: number;
  /** The Host header. */
  host: string;
  idle: Conn[];
}

interface Target {
  origin: Origin;
  /** Path and query. */
  path: string;
}

const MAX_IDLE_PER_ORIGIN = 256;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextEncoder();
/** Fetch's own defaults, so an upstream sees the same request from either client. */
const USER_AGENT_LINE = `user-agent: Deno/${Deno.version.deno}\r\n`;

/** The gateway's outbound call: http(s) URLs on its own connections, anything else through `fallback`. */
export function createUpstreamFetch(options: UpstreamFetchOptions = {}): UpstreamFetch {
  const fallback = options.fallback ?? fetch;
  const idleMs = options.idleMs ?? 4000;
  const origins = new Map<string, Origin>();
  /** Parsed targets by URL string: a gateway calls a handful of URLs over and over. */
  const targets = new Map<string, Target | null>();

  function targetOf(url: string): Target | null {
    let t = targets.get(url);
    if (t !== undefined) return t;
    t = null;
    try {
      const u = new URL(url);
      if ((u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password) {
        const tls = u.protocol === "https:";
        const port = u.port ? Number(u.port) : tls ? 443 : 80;
        const key = `${u.protocol}//${u.hostname}:${port}`;
        let origin = origins.get(key);
        if (!origin) {
          const hostname = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
          origin = { tls, hostname, port, host: u.host, idle: [] };
          origins.set(key, origin);
        }
        t = { origin, path: u.pathname + u.search };
      }
    } catch { /* not a URL: the fallback reports it */ }
    if (targets.size >= 512) targets.clear();
    targets.set(url, t);
    return t;
  }

  function take(origin: Origin): Conn | undefined {
    const now = Date.now();
    for (let conn = origin.idle.pop(); conn; conn = origin.idle.pop()) {
      if (now - conn.idleSince < idleMs) {
        conn.reused = true;
        return conn;
      }
      close(conn);
    }
    return undefined;
  }

  function release(origin: Origin, conn: Conn): void {
    const now = Date.now();
    // The oldest idle connection (the bottom of the stack) is closed once stale, so a burst's extra connections go.
    if (origin.idle.length > 0 && now - origin.idle[0].idleSince >= idleMs) close(origin.idle.shift()!);
    if (origin.idle.length >= MAX_IDLE_PER_ORIGIN) return close(conn);
    conn.idleSince = now;
    origin.idle.push(conn);
  }

  async function connect(origin: Origin): Promise<Conn> {
    const sock = origin.tls
      ? await Deno.connectTls({
        hostname: origin.hostname,
        port: origin.port,
        caCerts: options.caCerts,
        alpnProtocols: ["http/1.1"],
      })
      : await Deno.connect({ hostname: origin.hostname, port: origin.port });
    if (!origin.tls) (sock as Deno.TcpConn).setNoDelay(true);
    return { sock, buf: new Uint8Array(READ_BUFFER), start: 0, end: 0, reused: false, idleSince: 0 };
  }

  async function upstreamFetch(url: string, init?: UpstreamInit): Promise<UpstreamReply> {
    const target = targetOf(url);
    if (!target) return fallback(url, init);
    const method = (init?.method ?? "GET").toUpperCase();
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const payload = encodeRequest(method, target, init?.headers, init?.body);
    let response;
    try {
      response = await exchange(target.origin, method, payload, signal);
    } catch (err) {
      // Deno.connect tries a name's first address only; the runtime fetch tries them all (localhost as ::1, then
      // 127.0.0.1). A name that could not be reached gets that second chance.
      if (err instanceof ConnectFailed && !isIpLiteral(target.origin.hostname)) return fallback(url, init);
      throw err;
    }
    if (REDIRECTS.has(response.status) && response.headers.has("location")) {
      // Redirects are rare upstream: the runtime's fetch follows them by its own rules, from the start.
      await response.body?.cancel();
      return fallback(url, init);
    }
    return response;
  }

  /** Sends the request and reads the head; a reused connection the server had closed is retried once, fresh. */
  async function exchange(
    origin: Origin,
    method: string,
    payload: Uint8Array[],
    signal?: AbortSignal,
  ): Promise<ClientReply> {
    for (let attempt = 0;; attempt++) {
      let conn = attempt === 0 ? take(origin) : undefined;
      let stale = false;
      const onAbort = (): void => {
        if (conn) close(conn);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        if (!conn) {
          try {
            conn = await connect(origin);
          } catch (err) {
            throw new ConnectFailed((err as Error).message);
          }
        }
        signal?.throwIfAborted();
        stale = conn.reused;
        let writeError: unknown;
        try {
          for (const part of payload) await writeAll(conn.sock, part);
        } catch (err) {
          // The server may have answered and closed before reading all of the request (a 413, say): read on.
          writeError = err;
        }
        let head;
        try {
          head = await readHead(conn, method === "HEAD", () => stale = false);
        } catch (err) {
          throw writeError ?? err;
        }
        if (writeError) head.keepAlive = false;
        return respond(origin, conn, head, signal);
      } catch (err) {
        if (conn) close(conn);
        if (signal?.aborted) throw signal.reason;
        // Nothing came back on a pooled connection: the server closed it while idle, before reading the request.
        if (stale && attempt === 0) continue;
        if (err instanceof TypeError) throw err;
        throw new TypeError(`error sending request: ${(err as Error).message}`);
      } finally {
        signal?.removeEventListener("abort", onAbort);
      }
    }
  }

  /** The reply for `head`, its body read from `conn` as the caller pulls it; the connection is released at the end. */
  function respond(origin: Origin, conn: Conn, head: ResponseHead, signal?: AbortSignal): ClientReply {
    const framing = head.framing;
    const done = (): void => {
      if (head.keepAlive && conn.start === conn.end) release(origin, conn);
      else close(conn);
    };
    if (framing.kind === "none") {
      done();
      return new ClientReply(head.status, head.statusText, head.headers, null);
    }
    const coding = encodingOf(head.headers);
    if (!coding && framing.kind === "length" && conn.end - conn.start >= framing.length) {
      // The whole body is already here (the common case for a JSON answer): no stream at all.
      const bytes = conn.buf.slice(conn.start, conn.start + framing.length);
      conn.start += framing.length;
      done();
      return new ClientReply(head.status, head.statusText, head.headers, bytes);
    }
    const reader = bodyReader(conn, framing, done, signal);
    if (!coding) return new ClientReply(head.status, head.statusText, head.headers, reader);
    // Asked for identity; a server that compresses anyway is decoded as fetch would.
    const format = coding === "gzip" || coding === "x-gzip" ? "gzip" : coding === "deflate" ? "deflate" : undefined;
    if (!format) {
      void reader.cancel();
      throw new ProtocolError(`unsupported content-encoding: ${coding}`);
    }
    const stream = sourceStream(reader).pipeThrough(
      new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
    return new ClientReply(head.status, head.statusText, head.headers, stream);
  }

  return upstreamFetch;
}

/** The connection itself could not be opened (nothing was sent). */
class ConnectFailed extends TypeError {
  override name = "ConnectFailed";
  constructor(reason: string) {
    super(`error sending request: ${reason}`);
  }
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(":");
}

/** The answer's content coding, when it is not identity (sent despite `accept-encoding: identity`). */
function encodingOf(headers: [string, string][]): string | undefined {
  for (const [name, value] of headers) {
    if (name === "content-encoding") {
      const coding = value.toLowerCase();
      return coding === "identity" || coding === "" ? undefined : coding;
    }
  }
  return undefined;
}

/** Bodies up to this size share one buffer (and one write) with the head; larger ones are written after it. */
const JOIN_LIMIT = 64 * 1024;

/** The request's bytes: head and body in one buffer, so a small request leaves in one write. */
function encodeRequest(
  method: string,
  target: Target,
  headers: Record<string, string> | undefined,
  body?: string,
): Uint8Array[] {
  const bodyBytes = body === undefined ? undefined : utf8.encode(body);
  let head = `${method} ${target.path} HTTP/1.1\r\nhost: ${target.origin.host}\r\n`;
  let agent = false;
  let accept = false;
  if (headers) {
    for (const name in headers) {
      const lower = name.toLowerCase();
      // Framing and connection management belong to this client; fetch refuses or replaces these too.
      if (lower === "host" || lower === "content-length" || lower === "connection" || lower === "transfer-encoding") {
        continue;
      }
      if (lower === "user-agent") agent = true;
      else if (lower === "accept") accept = true;
      head += headerLine(lower, String(headers[name]));
    }
  }
  if (!accept) head += "accept: */*\r\n";
  if (!agent) head += USER_AGENT_LINE;
  head += "accept-encoding: identity\r\n";
  if (bodyBytes) head += `content-length: ${bodyBytes.length}\r\n\r\n`;
  else if (method === "POST" || method === "PUT" || method === "PATCH") head += "content-length: 0\r\n\r\n";
  else head += "\r\n";
  const joined = bodyBytes !== undefined && bodyBytes.length <= JOIN_LIMIT;
  const out = new Uint8Array(head.length + (joined ? bodyBytes.length : 0));
  const written = utf8.encodeInto(head, out).written;
  if (written !== head.length) throw new TypeError("request header values must be byte strings");
  if (!bodyBytes) return [out];
  if (!joined) return [out, bodyBytes];
  out.set(bodyBytes, written);
  return [out];
}
