import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { equalBytes, hmacSha256, sha256, toBase64Url, toHex } from "./hmac.ts";

Deno.test("sha256() and hmacSha256() give the published test vectors", () => {
  const enc = new TextEncoder();
  assert.equal(toHex(sha256(new Uint8Array())), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(toHex(sha256(enc.encode("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231, test cases 2 and 6 (a key longer than a block).
  assert.equal(
    toHex(hmacSha256("Jefe")("what do ya want for nothing?")),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
  assert.equal(
    toHex(hmacSha256(new Uint8Array(131).fill(0xaa))("Test Using Larger Than Block-Size Key - Hash Key First")),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  );
});

const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 }));

Deno.test("hmacSha256() and sha256() agree with node:crypto on any key and message", () => {
  fc.assert(
    fc.property(input, input, (key, data) => {
      assert.equal(toHex(hmacSha256(key)(data)), createHmac("sha256", key).update(data).digest("hex"));
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      assert.equal(toHex(sha256(bytes)), createHash("sha256").update(bytes).digest("hex"));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("a keyed hmacSha256() gives the same digest on every call", () => {
  const mac = hmacSha256("secret");
  assert.equal(toHex(mac("a")), toHex(mac("a")));
  assert.notEqual(toHex(mac("a")), toHex(mac("b")));
});

Deno.test("toBase64Url() and equalBytes() agree with Buffer", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
      assert.equal(toBase64Url(a), Buffer.from(a).toString("base64url"));
      assert.equal(equalBytes(a, b), Buffer.from(a).equals(Buffer.from(b)));
      assert.equal(equalBytes(a, a.slice()), true);
    }),
  );
});
