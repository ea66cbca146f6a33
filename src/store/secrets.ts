/**
 * @module Secrets at rest: the generated secret file, AES-256-GCM (WebCrypto) for provider keys and tokens,
 * keyed hashes for gateway API keys, PBKDF2 for the dashboard password.
 */
import { equalBytes, hmacSha256, toBase64Url, toHex } from "../core/hmac.ts";

export interface Secrets {
  jwtSecret: string;
  apiKeySecret: string;
}

export interface Cipher {
  encrypt(plain: string): Promise<string>;
  decrypt(stored: string): Promise<string>;
  /** Keyed hash (HMAC-SHA256, hex) of a gateway API key: what the store keeps instead of the key. */
  hashKey(key: string): string;
}

/** Reads `secret.json` from the data dir, creating it (mode 0600) on first start; env values win. */
export function loadSecrets(dataDir: string, given: Partial<Secrets>): Secrets {
  const path = `${dataDir}/secret.json`;
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(Deno.readTextFileSync(path));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const needed = (!given.jwtSecret && !stored.jwtSecret) || (!given.apiKeySecret && !stored.apiKeySecret);
  if (needed) {
    stored = {
      jwtSecret: stored.jwtSecret ?? randomToken(32),
      apiKeySecret: stored.apiKeySecret ?? randomToken(32),
    };
    Deno.writeTextFileSync(path, JSON.stringify(stored), { mode: 0o600 });
    Deno.chmodSync(path, 0o600);
  }
  return {
    jwtSecret: given.jwtSecret ?? stored.jwtSecret!,
    apiKeySecret: given.apiKeySecret ?? stored.apiKeySecret!,
  };
}

const PREFIX = "v1:";

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Derives the AES key from API_KEY_SECRET with HKDF (so the same secret also keys the HMAC, separately). */
export async function createCipher(apiKeySecret: string): Promise<Cipher> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(apiKeySecret), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new TextEncoder().encode("switchyard-at-rest"), info: new Uint8Array() },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const keyedHash = hmacSha256(hmacSha256(apiKeySecret)("switchyard-api-key-hash"));
  const recentHashes = new Map<string, string>();
  return {
    async encrypt(plain: string): Promise<string> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plain)),
      );
      const out = new Uint8Array(iv.length + ct.length);
      out.set(iv);
      out.set(ct, iv.length);
      return PREFIX + b64(out);
    },
    async decrypt(stored: string): Promise<string> {
      if (!stored.startsWith(PREFIX)) throw new Error("unknown secret encoding");
      const bytes = unb64(stored.slice(PREFIX.length));
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, key, bytes.slice(12));
      return new TextDecoder().decode(plain);
    },
    hashKey(apiKey: string): string {
      // A client sends the same key with every request, and its hash depends on nothing else: the recent ones are
      // kept (FIFO, bounded) so an authenticated request costs a map lookup rather than ~7 µs of HMAC.
      let hash = recentHashes.get(apiKey);
      if (hash === undefined) {
        hash = toHex(keyedHash(apiKey));
        if (recentHashes.size >= RECENT_KEY_HASHES) recentHashes.delete(recentHashes.keys().next().value!);
        recentHashes.set(apiKey, hash);
      }
      return hash;
    },
  };
}

const RECENT_KEY_HASHES = 256;

/** A masked form safe to show: `sk-…abcd`. Short secrets show only the ellipsis. */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return "…";
  const head = secret.match(/^[a-z]{2,8}[-_]/i)?.[0] ?? "";
  return `${head}…${secret.slice(-4)}`;
}

/** A new random token, URL-safe. */
export function randomToken(bytes = 24): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

const PBKDF2_ITERATIONS = 210_000;

/** `pbkdf2$iterations$salt$hash`, all base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2$${PBKDF2_ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, iter, salt, hash] = stored.split("$");
  if (kind !== "pbkdf2" || !iter || !salt || !hash) return false;
  const got = await pbkdf2(password, unb64(salt), Number(iter));
  const want = unb64(hash);
  return equalBytes(got, want);
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, 256);
  return new Uint8Array(bits);
}

/** HMAC-SHA256 (base64url) for signing session cookies and CSRF tokens. */
export function sign(secret: string, value: string): string {
  return toBase64Url(hmacSha256(secret)(value));
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  return equalBytes(new TextEncoder().encode(a), new TextEncoder().encode(b));
}
