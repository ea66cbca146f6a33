/**
 * @module HMAC-SHA256 (RFC 2104 over FIPS 180-4), synchronous and in plain JS: the keyed hash of gateway API keys on
 * every authenticated request and the signature of session cookies. WebCrypto's HMAC is asynchronous, and the runtime's
 * `node:crypto` costs the gateway's start ~10–15 ms to load (it brings the Node stream stack with it). Held equal to
 * `node:crypto` by a property test. No branch or index depends on the key or the data, only on their lengths.
 */

/** Round constants and initial state: the fractional parts of the cube and square roots of the first primes. */
const K = new Uint32Array(64);
const H0 = new Uint32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac32 = (x: number): number => Math.floor((x - Math.floor(x)) * 0x100000000) >>> 0;
  primes.forEach((p, i) => (K[i] = frac32(Math.cbrt(p))));
  for (let i = 0; i < 8; i++) H0[i] = frac32(Math.sqrt(primes[i]));
}

const W = new Uint32Array(64);

/** One 64-byte block of `bytes` at `offset` folded into `state`. */
function compress(state: Uint32Array, bytes: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const o = offset + 4 * t;
    W[t] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15];
    const y = W[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/** Finishes a hash whose `state` has absorbed `prefixBytes` bytes already (whole blocks), over `data`. */
function finish(state: Uint32Array, prefixBytes: number, data: Uint8Array): Uint8Array {
  const blocks = (data.length + 9 + 63) >>> 6;
  const buf = new Uint8Array(blocks * 64);
  buf.set(data);
  buf[data.length] = 0x80;
  const bits = (prefixBytes + data.length) * 8;
  const end = buf.length;
  const high = Math.floor(bits / 0x100000000);
  buf[end - 8] = high >>> 24;
  buf[end - 7] = high >>> 16;
  buf[end - 6] = high >>> 8;
  buf[end - 5] = high;
  buf[end - 4] = bits >>> 24;
  buf[end - 3] = bits >>> 16;
  buf[end - 2] = bits >>> 8;
  buf[end - 1] = bits;
  for (let o = 0; o < buf.length; o += 64) compress(state, buf, o);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    out[4 * i] = state[i] >>> 24;
    out[4 * i + 1] = state[i] >>> 16;
    out[4 * i + 2] = state[i] >>> 8;
    out[4 * i + 3] = state[i];
  }
  return out;
}

export function sha256(data: Uint8Array): Uint8Array {
  return finish(H0.slice(), 0, data);
}

const utf8 = new TextEncoder();
const bytesOf = (v: string | Uint8Array): Uint8Array => typeof v === "string" ? utf8.encode(v) : v;

/**
 * HMAC-SHA256 with `key` fixed: the padded key's two blocks are hashed once here, so each call hashes only the
 * message and the inner digest.
 */
export function hmacSha256(key: string | Uint8Array): (data: string | Uint8Array) => Uint8Array {
  let k = bytesOf(key);
  if (k.length > 64) k = sha256(k);
  const block = new Uint8Array(64);
  const inner = H0.slice();
  const outer = H0.slice();
  for (let i = 0; i < 64; i++) block[i] = (k[i] ?? 0) ^ 0x36;
  compress(inner, block, 0);
  for (let i = 0; i < 64; i++) block[i] = (k[i] ?? 0) ^ 0x5c;
  compress(outer, block, 0);
  return (data) => finish(outer.slice(), 64, finish(inner.slice(), 64, bytesOf(data)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += HEX[b];
  return s;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Compares two byte strings in time that depends only on their lengths. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
