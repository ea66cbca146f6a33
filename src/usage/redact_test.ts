import assert from "node:assert/strict";
import { capText, isSecretField, redactJson, redactText } from "./redact.ts";
import { toStoredBodies } from "./request_log.ts";

Deno.test("redactText() scrubs provider, gateway and Google keys, bearer tokens and auth header values", () => {
  const text = "use sk-proj-abcdefgh12345678 or sy-admin-0123456789abcdef; AIzaSyA1234567890abcdefghijklmn " +
    'Authorization: Bearer abc.def.ghi123 "x-api-key": "k-777777777"';
  const out = redactText(text);
  for (const secret of ["abcdefgh12345678", "0123456789abcdef", "AIzaSyA123", "abc.def.ghi123", "k-777777777"]) {
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  }
  assert.ok(out.includes("sk-[redacted]"));
});

Deno.test("isSecretField() names secrets, not token counts", () => {
  for (const f of ["api_key", "apiKey", "x-api-key", "token", "access_token", "client_secret", "password"]) {
    assert.ok(isSecretField(f), f);
  }
  for (const f of ["max_tokens", "input_tokens", "model", "messages", "budget_tokens"]) assert.ok(!isSecretField(f), f);
});

Deno.test("redactJson() replaces secret fields deep inside and keeps the rest", () => {
  const out = redactJson({
    model: "m",
    max_tokens: 10,
    metadata: { password: "hunter2", nested: [{ apiKey: "abc" }] },
    messages: [{ role: "user", content: "my key is sk-abcdefghijklmnop" }],
  });
  assert.deepEqual(out, {
    model: "m",
    max_tokens: 10,
    metadata: { password: "[redacted]", nested: [{ apiKey: "[redacted]" }] },
    messages: [{ role: "user", content: "my key is sk-[redacted]" }],
  });
});

Deno.test("capText() cuts at a byte cap on a character boundary", () => {
  assert.deepEqual(capText("short", 100), { text: "short", truncated: false });
  const cut = capText("é".repeat(100), 51);
  assert.equal(cut.truncated, true);
  assert.equal(cut.text, "é".repeat(25));
});

Deno.test("toStoredBodies() redacts before capping and flags truncation", () => {
  const stored = toStoredBodies({
    requestId: "r1",
    ts: 1,
    request: { api_key: "sk-secretsecretsecret", messages: [{ content: "x".repeat(500) }] },
    response: () => 'data: {"k":"sk-abcdefghijklmno"}\n\n',
  }, 200);
  assert.equal(stored.truncated, true);
  assert.ok(!stored.request!.includes("secretsecret"));
  assert.ok(stored.request!.length <= 200);
  assert.ok(stored.response!.includes("sk-[redacted]"));
});
