import assert from "node:assert/strict";
import { retryAfterSeconds } from "../../routing/classify.ts";
import { ClientReply } from "./reply.ts";

const enc = new TextEncoder();

Deno.test("ClientReply reads like a Response: status, ok, headers (repeats joined), body once", async () => {
  const reply = new ClientReply(
    201,
    "Created",
    [["content-type", "application/json"], ["x-a", "1"], ["x-a", "2"]],
    enc.encode('{"a":1}'),
  );
  assert.equal(reply.status, 201);
  assert.equal(reply.ok, true);
  assert.equal(reply.headers.get("Content-Type"), "application/json");
  assert.equal(reply.headers.get("x-a"), "1, 2");
  assert.equal(reply.headers.get("missing"), null);
  assert.deepEqual(await reply.json(), { a: 1 });
  await assert.rejects(reply.text(), TypeError);
  assert.equal(new ClientReply(429, "", [], null).ok, false);
  assert.equal(await new ClientReply(204, "", [], null).text(), "");
});

Deno.test("ClientReply gives its buffered body as a stream too, and a stream's body as bytes", async () => {
  const buffered = new ClientReply(200, "OK", [], enc.encode("hello"));
  const reader = buffered.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "hello");
  assert.equal((await reader.read()).done, true);
  await assert.rejects(buffered.bytes(), TypeError);

  const streamed = new ClientReply(200, "OK", [], ReadableStream.from([enc.encode("ab"), enc.encode("c")]));
  assert.equal(await streamed.text(), "abc");
});

Deno.test("retryAfterSeconds() reads a ClientReply's headers as it reads a Response's", () => {
  const pairs: [string, string][] = [["retry-after", "3"], ["x-ratelimit-reset-tokens", "6m0s"]];
  const now = Date.now();
  assert.equal(retryAfterSeconds(new ClientReply(429, "", pairs, null).headers, now), 360);
  assert.equal(retryAfterSeconds(new Headers(pairs), now), 360);
});

Deno.test("ClientReply.reader() hands over buffered bytes, a stream's chunks, or nothing", async () => {
  const read = async (reply: ClientReply) => {
    const r = reply.reader();
    const out: string[] = [];
    for (let c = await r.read(); !c.done; c = await r.read()) out.push(new TextDecoder().decode(c.value));
    return out;
  };
  assert.deepEqual(await read(new ClientReply(200, "", [], enc.encode("abc"))), ["abc"]);
  assert.deepEqual(await read(new ClientReply(200, "", [], ReadableStream.from([enc.encode("a"), enc.encode("b")]))), [
    "a",
    "b",
  ]);
  assert.deepEqual(await read(new ClientReply(204, "", [], null)), []);
  const used = new ClientReply(200, "", [], enc.encode("x"));
  await used.text();
  assert.throws(() => used.reader(), TypeError);
});

Deno.test("ClientReply.hasBody() answers without building a stream: the reader after it is the client's own", () => {
  const source = {
    read: () => Promise.resolve({ done: true as const, value: undefined }),
    cancel: () => Promise.resolve(),
  };
  const streamed = new ClientReply(200, "", [], source);
  assert.equal(streamed.hasBody(), true);
  assert.equal(streamed.reader(), source);
  assert.equal(new ClientReply(200, "", [], enc.encode("x")).hasBody(), true);
  assert.equal(new ClientReply(200, "", [], ReadableStream.from([enc.encode("a")])).hasBody(), true);
  assert.equal(new ClientReply(204, "", [], null).hasBody(), false);
});
