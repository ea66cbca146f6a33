/**
 * @module IP access control (settings.security.ipAllowList / ipDenyList): exact addresses or CIDR ranges, IPv4 and
 * IPv6 (IPv4-mapped IPv6 addresses match IPv4 rules). A deny match refuses; a non-empty allow list admits only its
 * matches. Loopback clients that did not come through a proxy are always admitted, so a mistake cannot lock the
 * machine's own admin out.
 */

interface Range {
  v6: boolean;
  base: bigint;
  bits: number;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let v4Tail: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".") && lastColon >= 0) {
    v4Tail = parseV4(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    head = `${text.slice(0, lastColon)}:0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(":") : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) n = (n & ~0xffffffffn) | v4Tail;
  return n;
}

/** `10.0.0.0/8`, `192.168.1.5`, `2001:db8::/32`, `::1`; undefined when it is none of these. */
export function parseRange(text: string): Range | undefined {
  const [addr, prefix, extra] = text.trim().split("/");
  if (extra !== undefined || !addr) return undefined;
  const v4 = parseV4(addr);
  const v6 = v4 === undefined ? parseV6(addr) : undefined;
  if (v4 === undefined && v6 === undefined) return undefined;
  const max = v4 !== undefined ? 32 : 128;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > max || (prefix !== undefined && !/^\d+$/.test(prefix))) {
    return undefined;
  }
  return { v6: v4 === undefined, base: (v4 ?? v6)!, bits };
}

function matches(range: Range, address: string): boolean {
  let v4 = parseV4(address);
  let v6: bigint | undefined;
  if (v4 === undefined) {
    v6 = parseV6(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
    if (v6 === undefined) return false;
    // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket.
    if (!range.v6 && v6 >> 32n === 0xffffn) v4 = v6 & 0xffffffffn;
  }
  const width = range.v6 ? 128n : 32n;
  const value = range.v6 ? v6 : v4;
  if (value === undefined) return false;
  const shift = width - BigInt(range.bits);
  return (value >> shift) === (range.base >> shift);
}

export interface IpRules {
  /** True when the address may use the gateway. */
  admits(address: string | undefined): boolean;
}

/** Builds the rules once per settings change; invalid entries are refused at save time by `invalidEntries`. */
export function createIpRules(allow: readonly string[], deny: readonly string[]): IpRules {
  const allowRanges = allow.map(parseRange).filter((r): r is Range => r !== undefined);
  const denyRanges = deny.map(parseRange).filter((r): r is Range => r !== undefined);
  return {
    admits(address) {
      if (allowRanges.length === 0 && denyRanges.length === 0) return true;
      if (!address) return false;
      if (denyRanges.some((r) => matches(r, address))) return false;
      return allowRanges.length === 0 || allowRanges.some((r) => matches(r, address));
    },
  };
}

/** The entries of a list that are neither an address nor a CIDR range. */
export function invalidEntries(list: readonly string[]): string[] {
  return list.filter((e) => parseRange(e) === undefined);
}
