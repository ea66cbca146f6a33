/**
 * @module Upstreams for the HTTP client's tests, on 127.0.0.1: a Deno.serve one that notes its connections, and a raw
 * TCP one that writes whatever bytes a test wants (stale connections, close-delimited bodies, interim answers, garbage).
 */
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A Deno.serve upstream on 127.0.0.1 that notes the client port of every request (one port = one connection). */
export function serve(
  handler: (req: Request) => Response | Promise<Response>,
  tls?: { cert: string; key: string },
) {
  const ports: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {}, ...tls }, (req, info) => {
    ports.push((info.remoteAddr as Deno.NetAddr).port);
    return handler(req);
  });
  const scheme = tls ? "https" : "http";
  return {
    url: `${scheme}://127.0.0.1:${server.addr.port}`,
    connections: () => new Set(ports).size,
    requests: () => ports.length,
    close: () => server.shutdown(),
  };
}

/**
 * A raw TCP upstream: `answer` gets each connection and the request bytes read so far, and writes what it likes.
 * For the cases Deno.serve will not produce (stale connections, close-delimited bodies, interim answers, garbage).
 */
export function rawServer(answer: (conn: Deno.Conn, request: string, index: number) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const conns = new Set<Deno.Conn>();
  const loop = (async () => {
    for await (const conn of listener) {
      accepted++;
      conns.add(conn);
      (async () => {
        const buf = new Uint8Array(65536);
        let index = 0;
        let pending = "";
        try {
          for (;;) {
            const n = await conn.read(buf);
            if (n === null) break;
            pending += dec.decode(buf.subarray(0, n));
            // One request per blank line plus its content-length body.
            for (;;) {
              const headEnd = pending.indexOf("\r\n\r\n");
              if (headEnd < 0) break;
              const length = Number(/content-length: (\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? 0);
              if (pending.length < headEnd + 4 + length) break;
              const request = pending.slice(0, headEnd + 4 + length);
              pending = pending.slice(request.length);
              await answer(conn, request, index++);
            }
          }
        } catch { /* closed by the test or the client */ }
        conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed already */ }
      })();
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    accepted: () => accepted,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed already */ }
      }
      await loop.catch(() => {});
    },
  };
}

export const write = (conn: Deno.Conn, text: string) => conn.write(enc.encode(text)).then(() => {});
