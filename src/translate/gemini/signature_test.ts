import assert from "node:assert/strict";
import { decodeRequest } from "./request_decode.ts";
import { encodeRequest } from "./request_encode.ts";
import { signatureForClient, signatureFromWire } from "./signature.ts";

Deno.test("signatureForClient() tags another vendor's signature and keeps Gemini's verbatim", () => {
  assert.equal(signatureForClient("EqQB==", "anthropic"), "switchyard:anthropic:EqQB==");
  assert.equal(signatureForClient("CiQB==", "gemini"), "CiQB==");
  assert.equal(signatureForClient("CiQB==", undefined), "CiQB==");
  assert.deepEqual(signatureFromWire("switchyard:anthropic:EqQB=="), {
    signature: "EqQB==",
    signatureFormat: "anthropic",
  });
  assert.deepEqual(signatureFromWire("CiQB=="), { signature: "CiQB==", signatureFormat: "gemini" });
});

Deno.test("decodeRequest() returns a tagged thoughtSignature to its vendor; a Gemini upstream never gets it", () => {
  const req = decodeRequest({
    contents: [
      { role: "user", parts: [{ text: "Say hello." }] },
      {
        role: "model",
        parts: [
          { text: "Greet.", thought: true, thoughtSignature: "switchyard:anthropic:EqQB==" },
          { text: "Hello!" },
        ],
      },
      { role: "user", parts: [{ text: "Thanks!" }] },
    ],
  });
  assert.deepEqual(req.messages[1].content[0], {
    type: "thinking",
    text: "Greet.",
    signature: "EqQB==",
    signatureFormat: "anthropic",
  });
  const parts = (encodeRequest(req, { model: "gemini-2.5-flash" }).body.contents as Array<{ parts: unknown[] }>)[1]
    .parts;
  assert.deepEqual(parts[0], { text: "Greet.", thought: true });
});
