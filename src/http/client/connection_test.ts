import assert from "node:assert/strict";
import { createUpstreamFetch } from "./mod.ts";
import { rawServer, write } from "../../../tests/helpers/http_servers.ts";

const dec = new TextDecoder();

Deno.test("upstream fetch: a pooled connection the server closed while idle is retried once on a fresh one", async () => {
  const up = rawServer(async (conn) => {
    // Answers one request per connection, then closes it without saying so (as an idle timeout does).
    await write(conn, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    await new Promise((r) => setTimeout(r, 10));
    conn.close();
  });
  const f = createUpstreamFetch();
  try {
    for (let i = 0; i < 3; i++) {
      const res = await f(up.url, { method: "POST", body: "{}" });
      assert.equal(await res.text(), "ok");
      await new Promise((r) => setTimeout(r, 30));
    }
    assert.equal(up.accepted(), 3);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: Connection: close, close-delimited bodies and interim answers", async () => {
  const up = rawServer(async (conn, request) => {
    const path = request.split(" ")[1];
    if (path === "/close") {
      await write(conn, "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 5\r\n\r\nfirst");
    } else if (path === "/eof") {
      await write(conn, "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil ");
      await write(conn, "the end");
      conn.close();
    } else if (path === "/interim") {
      await write(
        conn,
        "HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 3\r\n\r\nnew",
      );
    } else {
      await write(conn, "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nkept");
    }
  });
  const f = createUpstreamFetch();
  try {
    assert.equal(await (await f(`${up.url}/close`)).text(), "first");
    assert.equal(await (await f(`${up.url}/a`)).text(), "kept");
    assert.equal(up.accepted(), 2, "the connection that said close is not reused");
    assert.equal(await (await f(`${up.url}/eof`)).text(), "until the end");
    const interim = await f(`${up.url}/interim`);
    assert.equal(interim.status, 201);
    assert.equal(await interim.text(), "new");
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a broken answer rejects with a TypeError, as fetch does", async () => {
  const up = rawServer(async (conn, request) => {
    const path = request.split(" ")[1];
    if (path === "/garbage") await write(conn, "SSH-2.0-OpenSSH_9.6\r\n\r\n");
    else if (path === "/short") {
      await write(conn, "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
      conn.close();
    } else conn.close();
  });
  const f = createUpstreamFetch();
  try {
    await assert.rejects(f(`${up.url}/garbage`), TypeError);
    await assert.rejects(f(`${up.url}/hangup`), TypeError);
    const short = await f(`${up.url}/short`);
    await assert.rejects(short.text(), TypeError);
    await assert.rejects(f("http://127.0.0.1:1/"), TypeError);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: an abort rejects with its reason, before the head and while the body streams", async () => {
  const hold = Promise.withResolvers<void>();
  const up = rawServer(async (conn, request) => {
    if (request.startsWith("POST /body")) {
      await write(conn, "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n");
    }
    await hold.promise;
  });
  const f = createUpstreamFetch();
  try {
    const early = new AbortController();
    early.abort(new DOMException("gone", "AbortError"));
    await assert.rejects(f(up.url, { signal: early.signal }), { name: "AbortError", message: "gone" });

    const waiting = new AbortController();
    const pending = f(`${up.url}/head`, { method: "POST", body: "{}", signal: waiting.signal });
    setTimeout(() => waiting.abort(new DOMException("client left", "AbortError")), 30);
    await assert.rejects(pending, { name: "AbortError", message: "client left" });

    const streaming = new AbortController();
    const res = await f(`${up.url}/body`, { method: "POST", body: "{}", signal: streaming.signal });
    const reader = res.body!.getReader();
    assert.equal(dec.decode((await reader.read()).value), "first");
    setTimeout(() => streaming.abort(new DOMException("stop", "AbortError")), 10);
    await assert.rejects(reader.read(), { name: "AbortError", message: "stop" });
  } finally {
    hold.resolve();
    await up.close();
  }
});

Deno.test("upstream fetch: an answer sent before the request was read in full still reaches the caller", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(1024));
    await write(conn, "HTTP/1.1 413 Payload Too Large\r\ncontent-length: 8\r\n\r\ntoo big!");
    // Stop reading: the client's write of the rest stalls or fails, and its answer is already here.
    await new Promise((r) => setTimeout(r, 50));
    conn.close();
  })();
  const f = createUpstreamFetch();
  try {
    const res = await f(`http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`, {
      method: "POST",
      body: "x".repeat(8 * 1024 * 1024),
    });
    assert.equal(res.status, 413);
    assert.equal(await res.text(), "too big!");
  } finally {
    await served;
    listener.close();
  }
});

Deno.test("upstream fetch: the chunks of one read reach the caller as one chunk (an SSE burst stays one read)", async () => {
  const up = rawServer(async (conn) => {
    await write(
      conn,
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\na\n\r\n2\r\nb\n\r\n2\r\nc\n\r\n0\r\n\r\n",
    );
  });
  const f = createUpstreamFetch();
  try {
    const reader = (await f(up.url, { method: "POST", body: "{}" })).body!.getReader();
    assert.equal(dec.decode((await reader.read()).value), "a\nb\nc\n");
    assert.equal((await reader.read()).done, true);
  } finally {
    await up.close();
  }
});
