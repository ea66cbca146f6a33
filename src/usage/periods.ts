/**
 * @module Calendar periods (day, week from Monday, month) in an IANA time zone, DST-correct: budgets reset at
 * local midnight, not at a fixed UTC offset. Pure: the instant is passed in.
 */

export type Period = "daily" | "weekly" | "monthly";
export const PERIODS: readonly Period[] = ["daily", "weekly", "monthly"];

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday] ?? 0,
  };
}

/** The UTC instant at which the zone's wall clock reads year-month-day 00:00 (the first such instant on DST days). */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  // Start from UTC midnight of that date and correct by the zone's offset; two passes settle DST edges.
  let guess = Date.UTC(year, month - 1, day);
  for (let i = 0; i < 3; i++) {
    const p = localParts(guess, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const want = Date.UTC(year, month - 1, day);
    const diff = asUtc - want;
    if (diff === 0) break;
    guess -= diff;
  }
  // Where midnight does not exist (a DST jump at 00:00), the day starts at the first instant that is that date.
  const p = localParts(guess, timeZone);
  if (p.day !== day) guess += 3600_000;
  return guess;
}

function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** [start, end) of the period containing `ms`, in epoch ms. */
export function periodBounds(period: Period, ms: number, timeZone: string): { start: number; end: number } {
  const p = localParts(ms, timeZone);
  if (period === "daily") {
    const [y2, m2, d2] = addDays(p.year, p.month, p.day, 1);
    return { start: zonedMidnight(p.year, p.month, p.day, timeZone), end: zonedMidnight(y2, m2, d2, timeZone) };
  }
  if (period === "weekly") {
    const [y1, m1, d1] = addDays(p.year, p.month, p.day, -p.weekday);
    const [y2, m2, d2] = addDays(y1, m1, d1, 7);
    return { start: zonedMidnight(y1, m1, d1, timeZone), end: zonedMidnight(y2, m2, d2, timeZone) };
  }
  const nextYear = p.month === 12 ? p.year + 1 : p.year;
  const nextMonth = p.month === 12 ? 1 : p.month + 1;
  return { start: zonedMidnight(p.year, p.month, 1, timeZone), end: zonedMidnight(nextYear, nextMonth, 1, timeZone) };
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
