import assert from "node:assert/strict";
import { isTimeZone, periodBounds, zonedMidnight } from "./periods.ts";

const iso = (ms: number) => new Date(ms).toISOString();

Deno.test("periodBounds() daily in UTC is calendar midnight to midnight", () => {
  const b = periodBounds("daily", Date.parse("2026-03-10T15:00:00Z"), "UTC");
  assert.equal(iso(b.start), "2026-03-10T00:00:00.000Z");
  assert.equal(iso(b.end), "2026-03-11T00:00:00.000Z");
});

Deno.test("periodBounds() daily across a DST change is 23 or 25 hours long (America/New_York)", () => {
  // 2026-03-08: clocks jump from 02:00 to 03:00 EST→EDT.
  const spring = periodBounds("daily", Date.parse("2026-03-08T12:00:00Z"), "America/New_York");
  assert.equal(iso(spring.start), "2026-03-08T05:00:00.000Z");
  assert.equal(iso(spring.end), "2026-03-09T04:00:00.000Z");
  assert.equal((spring.end - spring.start) / 3600_000, 23);
  // 2026-11-01: clocks fall back from 02:00 EDT to 01:00 EST.
  const fall = periodBounds("daily", Date.parse("2026-11-01T12:00:00Z"), "America/New_York");
  assert.equal((fall.end - fall.start) / 3600_000, 25);
});

Deno.test("periodBounds() weekly starts on Monday local time", () => {
  // 2026-12-02 is a Wednesday.
  const b = periodBounds("weekly", Date.parse("2026-12-02T10:00:00Z"), "Europe/Berlin");
  assert.equal(iso(b.start), "2026-11-29T23:00:00.000Z"); // Monday 2026-11-30 00:00 CET
  assert.equal(iso(b.end), "2026-12-06T23:00:00.000Z");
});

Deno.test("periodBounds() monthly handles month ends, leap years and the year end", () => {
  const feb = periodBounds("monthly", Date.parse("2028-02-29T23:59:59Z"), "UTC");
  assert.equal(iso(feb.start), "2028-02-01T00:00:00.000Z");
  assert.equal(iso(feb.end), "2028-03-01T00:00:00.000Z");
  const dec = periodBounds("monthly", Date.parse("2026-12-31T23:30:00Z"), "Asia/Tokyo");
  // 23:30 UTC on Dec 31 is already January 1st in Tokyo.
  assert.equal(iso(dec.start), "2026-12-31T15:00:00.000Z");
  assert.equal(iso(dec.end), "2027-01-31T15:00:00.000Z");
});

Deno.test("zonedMidnight() on a day whose midnight is skipped starts at the first existing instant", () => {
  // America/Santiago moves clocks from 24:00 to 01:00 (midnight does not exist) on 2026-09-06.
  const start = zonedMidnight(2026, 9, 6, "America/Santiago");
  const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/Santiago", day: "numeric" }).format(start);
  assert.equal(local, "6");
});

Deno.test("isTimeZone() accepts IANA names and refuses others", () => {
  assert.equal(isTimeZone("Europe/Paris"), true);
  assert.equal(isTimeZone("Mars/Olympus"), false);
});
