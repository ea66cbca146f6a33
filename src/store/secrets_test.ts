/** @module Unit tests for secrets at rest: AES-GCM, keyed hashes, the secret file, passwords, masking. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createCipher, hashPassword, loadSecrets, maskSecret, safeEqual, sign, verifyPassword } from "./secrets.ts";

Deno.test("createCipher() encrypts and decrypts a round trip, with a fresh IV each time", async () => {
  const cipher = await createCipher("secret-one");
  const plain = "sk-live-abcdefghijklmnopqrstuvwxyz0123456789 ünïcødé";
  const a = await cipher.encrypt(plain);
  const b = await cipher.encrypt(plain);
  assert.notEqual(a, b);
  assert.ok(!a.includes(plain) && !a.includes("abcdefghijklmnop"));
  assert.ok(a.startsWith("v1:"));
  assert.equal(await cipher.decrypt(a), plain);
  assert.equal(await cipher.decrypt(b), plain);
});

Deno.test("createCipher() with a different secret cannot decrypt", async () => {
  const stored = await (await createCipher("secret-one")).encrypt("sk-provider-key-1234");
  await assert.rejects(() => createCipher("secret-two").then((c) => c.decrypt(stored)));
});

Deno.test("createCipher() refuses a tampered ciphertext and an unknown encoding", async () => {
  const cipher = await createCipher("secret-one");
  const stored = await cipher.encrypt("sk-provider-key-1234");
  const bytes = atob(stored.slice(3));
  const flipped = bytes.slice(0, -1) + String.fromCharCode(bytes.charCodeAt(bytes.length - 1) ^ 1);
  await assert.rejects(() => cipher.decrypt("v1:" + btoa(flipped)));
  await assert.rejects(() => cipher.decrypt("plain-text"), /unknown secret encoding/);
});

Deno.test("hashKey() is a keyed hash: stable per secret, different across secrets, never the key", async () => {
  const one = await createCipher("secret-one");
  const two = await createCipher("secret-two");
  const key = "sy-0123456789abcdefghijklmnop";
  assert.equal(one.hashKey(key), one.hashKey(key));
  assert.match(one.hashKey(key), /^[0-9a-f]{64}$/);
  assert.notEqual(one.hashKey(key), two.hashKey(key));
  assert.notEqual(one.hashKey(key), one.hashKey(key + "x"));
  // A plain SHA-256 of the key would let anyone with the store test guesses offline.
  const plain = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key))))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  assert.notEqual(one.hashKey(key), plain);
});

Deno.test("hashKey() and sign() give the digests stores and cookies already hold (node:crypto's HMAC)", async () => {
  // Keys hashed and sessions signed before the HMAC moved off node:crypto must still match.
  const secret = "0f3c-API_KEY_SECRET-ü";
  const key = "sy-live-0123456789abcdef";
  const hmacKey = createHmac("sha256", secret).update("switchyard-api-key-hash").digest();
  assert.equal((await createCipher(secret)).hashKey(key), createHmac("sha256", hmacKey).update(key).digest("hex"));
  assert.equal(sign(secret, "session-id"), createHmac("sha256", secret).update("session-id").digest("base64url"));
});

Deno.test("hashKey() gives the same hash for a key it has seen, after many others, as for a fresh one", async () => {
  const cipher = await createCipher("secret-memo");
  const first = cipher.hashKey("sy-first-key");
  for (let i = 0; i < 600; i++) cipher.hashKey(`sy-key-${i}`);
  assert.equal(cipher.hashKey("sy-first-key"), first);
  assert.equal(cipher.hashKey("sy-key-599"), (await createCipher("secret-memo")).hashKey("sy-key-599"));
  assert.notEqual(cipher.hashKey("sy-key-598"), cipher.hashKey("sy-key-599"));
});

Deno.test("loadSecrets() generates the secret file once (mode 0600) and env values win", () => {
  const dir = Deno.makeTempDirSync({ prefix: "sy-secrets-" });
  try {
    const first = loadSecrets(dir, {});
    assert.ok(first.jwtSecret.length >= 32 && first.apiKeySecret.length >= 32);
    assert.notEqual(first.jwtSecret, first.apiKeySecret);
    if (Deno.build.os !== "windows") assert.equal(Deno.statSync(`${dir}/secret.json`).mode! & 0o777, 0o600);
    assert.deepEqual(loadSecrets(dir, {}), first);
    const given = loadSecrets(dir, { apiKeySecret: "from-env" });
    assert.equal(given.apiKeySecret, "from-env");
    assert.equal(given.jwtSecret, first.jwtSecret);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("hashPassword() and verifyPassword() accept the right password only", async () => {
  const stored = await hashPassword("correct horse battery");
  assert.ok(!stored.includes("correct"));
  assert.equal(await verifyPassword("correct horse battery", stored), true);
  assert.equal(await verifyPassword("correct horse batterY", stored), false);
  assert.equal(await verifyPassword("x", "garbage"), false);
});

Deno.test("maskSecret() shows at most a prefix and the last four characters", () => {
  assert.equal(maskSecret("sk-proj-abcdefghijklmnop1234"), "sk-…1234");
  assert.equal(maskSecret("short"), "…");
  assert.ok(!maskSecret("AIzaSyA-very-long-google-key-9876").includes("very"));
  assert.equal(safeEqual("abc", "abc"), true);
  assert.equal(safeEqual("abc", "abd"), false);
  assert.equal(safeEqual("abc", "abcd"), false);
});
