import assert from "node:assert/strict";
import { createIpRules, invalidEntries, parseRange } from "./ip_rules.ts";

Deno.test("parseRange() reads IPv4/IPv6 addresses and CIDR ranges and refuses anything else", () => {
  assert.deepEqual(parseRange("10.0.0.0/8"), { v6: false, base: 0x0a000000n, bits: 8 });
  assert.equal(parseRange("::1")?.bits, 128);
  assert.equal(parseRange("2001:db8::/32")?.v6, true);
  for (const bad of ["", "10.0.0.256", "10.0.0.0/33", "1.2.3", "::1::2", "host.example", "10.0.0.0/8/1", "1.2.3.4/x"]) {
    assert.equal(parseRange(bad), undefined, bad);
  }
  assert.deepEqual(invalidEntries(["10.0.0.0/8", "nope", "fe80::/10"]), ["nope"]);
});

Deno.test("createIpRules(): deny wins, a non-empty allow list admits only its ranges, empty lists admit all", () => {
  const open = createIpRules([], []);
  assert.equal(open.admits("203.0.113.9"), true);
  const rules = createIpRules(["10.0.0.0/8", "2001:db8::/32"], ["10.9.0.0/16"]);
  assert.equal(rules.admits("10.1.2.3"), true);
  assert.equal(rules.admits("10.9.1.1"), false, "denied inside an allowed range");
  assert.equal(rules.admits("192.168.1.1"), false, "outside the allow list");
  assert.equal(rules.admits("2001:db8:1::5"), true);
  assert.equal(rules.admits("::ffff:10.1.2.3"), true, "IPv4-mapped IPv6 matches IPv4 rules");
  assert.equal(rules.admits(undefined), false);
  const denyOnly = createIpRules([], ["203.0.113.0/24"]);
  assert.equal(denyOnly.admits("203.0.113.7"), false);
  assert.equal(denyOnly.admits("198.51.100.1"), true);
});
