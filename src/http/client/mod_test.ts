import assert from "node:assert/strict";
import { createUpstreamFetch } from "./mod.ts";
import { serve } from "../../../tests/helpers/http_servers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("upstream fetch: POSTs the body with its headers and reuses one keep-alive connection", async () => {
  const seen: { method: string; path: string; auth: string | null; type: string | null; body: string }[] = [];
  const up = serve(async (req) => {
    const u = new URL(req.url);
    seen.push({
      method: req.method,
      path: u.pathname + u.search,
      auth: req.headers.get("authorization"),
      type: req.headers.get("content-type"),
      body: await req.text(),
    });
    return Response.json({ ok: true, n: seen.length }, { headers: { "x-up": "1" } });
  });
  const f = createUpstreamFetch();
  try {
    for (let i = 0; i < 20; i++) {
      const res = await f(`${up.url}/v1/chat/completions?x=${i}`, {
        method: "POST",
        headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
        body: JSON.stringify({ i, text: "héllo ✓" }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-up"), "1");
      assert.deepEqual(await res.json(), { ok: true, n: i + 1 });
    }
    assert.deepEqual(seen[3], {
      method: "POST",
      path: "/v1/chat/completions?x=3",
      auth: "Bearer sk-test",
      type: "application/json",
      body: JSON.stringify({ i: 3, text: "héllo ✓" }),
    });
    assert.equal(up.connections(), 1);
    const get = await f(`${up.url}/v1/models`, { headers: { authorization: "Bearer k" } });
    assert.equal(seen.at(-1)!.method, "GET");
    assert.equal(((await get.json()) as { n: number }).n, 21);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: concurrent calls open their own connections and all of them are reused", async () => {
  const up = serve(async () => {
    await new Promise((r) => setTimeout(r, 20));
    return new Response("x".repeat(100));
  });
  const f = createUpstreamFetch();
  try {
    for (let round = 0; round < 3; round++) {
      const texts = await Promise.all(Array.from({ length: 8 }, () => f(up.url).then((r) => r.text())));
      assert.ok(texts.every((t) => t === "x".repeat(100)));
    }
    assert.equal(up.requests(), 24);
    assert.equal(up.connections(), 8);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a large body, a chunked body and an empty one arrive whole", async () => {
  const big = new Uint8Array(300_000).map((_, i) => i % 251);
  const up = serve((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/big") return new Response(big);
    if (path === "/empty") return new Response(null, { status: 204 });
    return new Response(ReadableStream.from(["a", "bb", "", "ccc"].map((s) => enc.encode(s))));
  });
  const f = createUpstreamFetch();
  try {
    assert.deepEqual(await (await f(`${up.url}/big`)).bytes(), big);
    const chunked = await f(`${up.url}/chunked`);
    assert.equal(chunked.headers.get("transfer-encoding"), "chunked");
    assert.equal(await chunked.text(), "abbccc");
    const empty = await f(`${up.url}/empty`);
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    assert.deepEqual(await (await f(`${up.url}/big`)).bytes(), big);
    assert.equal(up.connections(), 1);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a stream's events reach the caller as the upstream sends them", async () => {
  const gate = Promise.withResolvers<void>();
  const up = serve(() =>
    new Response(
      new ReadableStream({
        async start(c) {
          c.enqueue(enc.encode("data: one\n\n"));
          await gate.promise;
          c.enqueue(enc.encode("data: two\n\n"));
          c.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    )
  );
  const f = createUpstreamFetch();
  try {
    const res = await f(up.url, { method: "POST", body: "{}" });
    const reader = res.body!.getReader();
    // The second event is held back by the upstream until the first has reached us: no buffering in between.
    assert.equal(dec.decode((await reader.read()).value), "data: one\n\n");
    gate.resolve();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += dec.decode(r.value);
    assert.equal(rest, "data: two\n\n");
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: idle connections older than idleMs are not reused", async () => {
  const up = serve(() => new Response("ok"));
  const f = createUpstreamFetch({ idleMs: 20 });
  try {
    await (await f(up.url)).text();
    await (await f(up.url)).text();
    assert.equal(up.connections(), 1);
    await new Promise((r) => setTimeout(r, 40));
    await (await f(up.url)).text();
    assert.equal(up.connections(), 2);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a redirect and the calls it does not handle go to the fallback fetch", async () => {
  const up = serve((req) => {
    const path = new URL(req.url).pathname;
    return path === "/moved" ? Response.redirect(`${new URL(req.url).origin}/here`, 307) : new Response(`at ${path}`);
  });
  const fallbackCalls: string[] = [];
  const f = createUpstreamFetch({
    fallback: (input, init) => {
      fallbackCalls.push(input);
      return fetch(input, init);
    },
  });
  try {
    assert.equal(await (await f(`${up.url}/moved`, { method: "POST", body: "{}" })).text(), "at /here");
    assert.deepEqual(fallbackCalls, [`${up.url}/moved`]);
    // A scheme this client does not speak.
    assert.equal(await (await f("data:text/plain,hi")).text(), "hi");
    assert.equal(fallbackCalls.length, 2);
    await (await f(`${up.url}/d`)).text();
    assert.equal(fallbackCalls.length, 2);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: asks for identity and still decodes a gzip answer", async () => {
  let acceptEncoding: string | null = null;
  const up = serve(async (req) => {
    acceptEncoding = req.headers.get("accept-encoding");
    const gz = await new Response(
      new Blob(['{"hello":"world"}']).stream().pipeThrough(new CompressionStream("gzip")),
    ).bytes();
    return new Response(gz, { headers: { "content-encoding": "gzip", "content-type": "application/json" } });
  });
  const f = createUpstreamFetch();
  try {
    assert.deepEqual(await (await f(up.url)).json(), { hello: "world" });
    assert.equal(acceptEncoding, "identity");
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: refuses a header value that would split the request", async () => {
  const f = createUpstreamFetch({ fallback: () => Promise.reject(new Error("not here")) });
  await assert.rejects(f("http://127.0.0.1:9/", { headers: { authorization: "Bearer a\r\nx-evil: 1" } }), TypeError);
});

Deno.test("upstream fetch: HTTPS upstreams over pooled TLS connections", async () => {
  const dir = new URL("../../../tests/helpers/tls/", import.meta.url);
  const up = serve(async (req) => new Response(`tls ${await req.text()}`), {
    cert: Deno.readTextFileSync(new URL("cert.pem", dir)),
    key: Deno.readTextFileSync(new URL("key.pem", dir)),
  });
  const f = createUpstreamFetch({ caCerts: [Deno.readTextFileSync(new URL("ca.pem", dir))] });
  try {
    for (let i = 0; i < 3; i++) {
      assert.equal(await (await f(up.url, { method: "POST", body: `${i}` })).text(), `tls ${i}`);
    }
    assert.equal(up.connections(), 1);
    // Without the test CA the certificate is refused.
    await assert.rejects(createUpstreamFetch()(up.url), TypeError);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a name it cannot connect to gets the runtime fetch's second chance, an IP does not", async () => {
  const port = (() => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const p = (l.addr as Deno.NetAddr).port;
    l.close();
    return p;
  })();
  const calls: string[] = [];
  const f = createUpstreamFetch({
    fallback: (input) => {
      calls.push(String(input));
      return Promise.reject(new TypeError("fallback refused too"));
    },
  });
  await assert.rejects(f(`http://localhost:${port}/v1/x`, { method: "POST", body: "{}" }), /fallback refused too/);
  await assert.rejects(f(`http://127.0.0.1:${port}/v1/x`, { method: "POST", body: "{}" }), TypeError);
  assert.deepEqual(calls, [`http://localhost:${port}/v1/x`]);
});

Deno.test("upstream fetch: a large request body (written after its head) arrives whole", async () => {
  const up = serve(async (req) => new Response(await req.text()));
  const f = createUpstreamFetch();
  try {
    for (const size of [64 * 1024 - 300, 64 * 1024 + 1, 3_000_000]) {
      const body = JSON.stringify({ text: "ü".repeat(size / 2) });
      assert.equal(await (await f(up.url, { method: "POST", body })).text(), body, `size ${size}`);
    }
    assert.equal(up.connections(), 1);
  } finally {
    await up.close();
  }
});

Deno.test("upstream fetch: a body read through reader() needs no stream, and its connection is reused after", async () => {
  const up = serve(() => new Response(ReadableStream.from(["data: a\n\n", "data: b\n\n"].map((s) => enc.encode(s)))));
  const f = createUpstreamFetch();
  try {
    for (let i = 0; i < 2; i++) {
      const reply = await f(up.url, { method: "POST", body: "{}" });
      const reader = reply.reader!();
      let text = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += dec.decode(r.value);
      assert.equal(text, "data: a\n\ndata: b\n\n");
      assert.equal((await reader.read()).done, true);
      assert.throws(() => reply.reader!(), TypeError);
    }
    assert.equal(up.connections(), 1);
  } finally {
    await up.close();
  }
});
