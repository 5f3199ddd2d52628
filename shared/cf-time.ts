// CF time ("hours since 2024-01-01") as xarray and cftime decode it: a number of units since a reference date, in
// one of CF's calendars, turned into an ISO date string ('2024-01-01T03:00:00', microseconds when there are any).
// Pure arithmetic on day numbers, so the engine and the renderer agree on every calendar, not only the Gregorian
// one JavaScript's Date knows.

export const CALENDARS = ['standard', 'proleptic_gregorian', 'julian', 'noleap', 'all_leap', '360_day'] as const;
export type Calendar = (typeof CALENDARS)[number];

const ALIASES: Record<string, Calendar> = {
  standard: 'standard',
  gregorian: 'standard',
  proleptic_gregorian: 'proleptic_gregorian',
  julian: 'julian',
  noleap: 'noleap',
  '365_day': 'noleap',
  all_leap: 'all_leap',
  '366_day': 'all_leap',
  '360_day': '360_day',
};

/** A calendar attribute's calendar (CF's default, standard, when there is none); null for one CF does not know. */
export function calendarOf(attr: unknown): Calendar | null {
  if (attr === undefined || attr === null) return 'standard';
  return typeof attr === 'string' ? (ALIASES[attr.trim().toLowerCase()] ?? null) : null;
}

/** Seconds in one unit, by the names cftime accepts. */
const UNIT_SECONDS: Record<string, number> = {};
for (const [seconds, names] of [
  [1e-6, ['microseconds', 'microsecond', 'us']],
  [1e-3, ['milliseconds', 'millisecond', 'ms', 'msec', 'msecs']],
  [1, ['seconds', 'second', 'sec', 'secs', 's']],
  [60, ['minutes', 'minute', 'min', 'mins']],
  [3600, ['hours', 'hour', 'hr', 'hrs', 'h']],
  [86400, ['days', 'day', 'd']],
] as const) {
  for (const name of names) UNIT_SECONDS[name] = seconds;
}

export interface TimeUnits {
  /** Seconds in one unit. */
  seconds: number;
  /** The reference date in the file's calendar, and the offset of its time zone in minutes (UTC = 0). */
  ref: { year: number; month: number; day: number; hour: number; minute: number; second: number };
  zoneMinutes: number;
}

const DATE =
  /^(-?\d+)-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;

/** `<unit> since <date>` read as cftime reads it; null when it is not a time unit (metres, say). */
export function parseTimeUnits(units: unknown): TimeUnits | null {
  if (typeof units !== 'string') return null;
  const m = /^\s*(\w+)\s+since\s+(.+?)\s*$/i.exec(units);
  if (!m) return null;
  const seconds = UNIT_SECONDS[m[1]!.toLowerCase()];
  const d = DATE.exec(m[2]!);
  if (seconds === undefined || !d) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(d[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(d[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second >= 61) return null;
  let zoneMinutes = 0;
  const zone = d[7];
  if (zone && /^[+-]/.test(zone)) {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
    zoneMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  return { seconds, ref: { year, month, day, hour, minute, second }, zoneMinutes };
}

const CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const CUMULATIVE_LEAP = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];
const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** Julian day numbers of the Gregorian and the Julian calendars (valid for any year, negative ones too). */
function gregorianToJdn(y: number, m: number, d: number): number {
  const a = floorDiv(14 - m, 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + floorDiv(153 * mm + 2, 5) + 365 * yy + floorDiv(yy, 4) - floorDiv(yy, 100) + floorDiv(yy, 400) - 32045;
}
function julianToJdn(y: number, m: number, d: number): number {
  const a = floorDiv(14 - m, 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + floorDiv(153 * mm + 2, 5) + 365 * yy + floorDiv(yy, 4) - 32083;
}
function jdnToGregorian(j: number): [number, number, number] {
  const a = j + 32044;
  const b = floorDiv(4 * a + 3, 146097);
  const c = a - floorDiv(146097 * b, 4);
  const d = floorDiv(4 * c + 3, 1461);
  const e = c - floorDiv(1461 * d, 4);
  const m = floorDiv(5 * e + 2, 153);
  return [100 * b + d - 4800 + floorDiv(m, 10), m + 3 - 12 * floorDiv(m, 10), e - floorDiv(153 * m + 2, 5) + 1];
}
function jdnToJulian(j: number): [number, number, number] {
  const c = j + 32082;
  const d = floorDiv(4 * c + 3, 1461);
  const e = c - floorDiv(1461 * d, 4);
  const m = floorDiv(5 * e + 2, 153);
  return [d - 4800 + floorDiv(m, 10), m + 3 - 12 * floorDiv(m, 10), e - floorDiv(153 * m + 2, 5) + 1];
}
/** The first day of the Gregorian calendar in the standard (mixed) calendar: 1582-10-15. */
const REFORM_JDN = 2299161;

/** A date's day number in its calendar (consecutive days have consecutive numbers). */
function dayNumber(cal: Calendar, y: number, m: number, d: number): number {
  switch (cal) {
    case 'proleptic_gregorian':
      return gregorianToJdn(y, m, d);
    case 'julian':
      return julianToJdn(y, m, d);
    case 'standard': {
      const g = gregorianToJdn(y, m, d);
      return g >= REFORM_JDN ? g : julianToJdn(y, m, d);
    }
    case 'noleap':
      return y * 365 + CUMULATIVE[m - 1]! + d - 1;
    case 'all_leap':
      return y * 366 + CUMULATIVE_LEAP[m - 1]! + d - 1;
    case '360_day':
      return y * 360 + (m - 1) * 30 + d - 1;
  }
}

function dateOf(cal: Calendar, n: number): [number, number, number] {
  switch (cal) {
    case 'proleptic_gregorian':
      return jdnToGregorian(n);
    case 'julian':
      return jdnToJulian(n);
    case 'standard':
      return n >= REFORM_JDN ? jdnToGregorian(n) : jdnToJulian(n);
    case 'noleap':
    case 'all_leap': {
      const len = cal === 'noleap' ? 365 : 366;
      const table = cal === 'noleap' ? CUMULATIVE : CUMULATIVE_LEAP;
      const y = floorDiv(n, len);
      const doy = n - y * len;
      const m = table.findIndex((c) => c > doy);
      return [y, m, doy - table[m - 1]! + 1];
    }
    case '360_day': {
      const y = floorDiv(n, 360);
      const doy = n - y * 360;
      return [y, floorDiv(doy, 30) + 1, (doy % 30) + 1];
    }
  }
}

const pad = (n: number, width = 2) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');

/**
 * One value as an ISO date ('2024-01-01T03:00:00', with '.ffffff' when it has microseconds), as Python's
 * isoformat() prints xarray's and cftime's dates; null for a missing value (NaN, ±Infinity).
 */
export function timeOf(value: number, units: TimeUnits, cal: Calendar): string | null {
  if (!Number.isFinite(value)) return null;
  const { ref } = units;
  const refDay = dayNumber(cal, ref.year, ref.month, ref.day);
  const refSeconds = ref.hour * 3600 + ref.minute * 60 + ref.second - units.zoneMinutes * 60;
  // Whole days and the seconds left apart, so a large count of days keeps its microseconds.
  const total = value * units.seconds;
  const wholeDays = Math.floor(total / 86400);
  let micros = Math.round((total - wholeDays * 86400 + refSeconds) * 1e6);
  let day = refDay + wholeDays + Math.floor(micros / 86_400_000_000);
  micros -= Math.floor(micros / 86_400_000_000) * 86_400_000_000;
  if (micros >= 86_400_000_000) {
    day += 1;
    micros -= 86_400_000_000;
  }
  const [y, m, d] = dateOf(cal, day);
  const secs = Math.floor(micros / 1e6);
  const frac = micros - secs * 1e6;
  const time = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${time}${frac ? `.${String(frac).padStart(6, '0')}` : ''}`;
}

/** What a variable's attributes say about decoding it as time: its units and calendar, or null. */
export interface TimeEncoding {
  units: string;
  calendar: Calendar;
}
export function timeEncodingOf(attrs: Record<string, unknown>): (TimeEncoding & { parsed: TimeUnits }) | null {
  const parsed = parseTimeUnits(attrs['units']);
  const calendar = calendarOf(attrs['calendar']);
  return parsed && calendar ? { units: attrs['units'] as string, calendar, parsed } : null;
}

/** Many values at once (missing ones null). */
export function timesOf(values: ArrayLike<number>, enc: { parsed: TimeUnits; calendar: Calendar }): (string | null)[] {
  return Array.from(values, (v) => timeOf(v, enc.parsed, enc.calendar));
}

const ISO = /^(-?\d{4,}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(?:\.\d+)?)$/;

/**
 * Dates as a person reads them in a table or a tree, alike for all of a list: '2024-01-01 03:00', the seconds only
 * where one of them has any, the time only where one is not midnight. Anything not an ISO date is left as it is.
 */
export function compactDates<T>(values: T[]): (T | string)[] {
  const parts = values.map((v) => (typeof v === 'string' ? ISO.exec(v) : null));
  if (!parts.some(Boolean)) return values;
  const seconds = parts.some((p) => p && p[3] !== ':00');
  const time = seconds || parts.some((p) => p && p[2] !== '00:00');
  return values.map((v, i) => {
    const p = parts[i];
    if (!p) return v;
    return time ? `${p[1]} ${p[2]}${seconds ? p[3] : ''}` : p[1]!;
  });
}

/** Calendars whose dates plotly's date axis places right (it knows only the proleptic Gregorian calendar). */
export const GREGORIAN_AXIS: readonly Calendar[] = ['standard', 'proleptic_gregorian'];

/**
 * The calendar of dates that go on a plain axis ticked at that calendar's dates (calendarDay, calendarTicks), as
 * plotly's date axis cannot place them; null for dates it places right (or no calendar). The plot builder's figures
 * and the Data tab's views both follow it.
 */
export function plainAxisCalendar(cal: Calendar | null | undefined): Calendar | null {
  return cal && !GREGORIAN_AXIS.includes(cal) ? cal : null;
}

const ISO_PARTS = /^(-?\d{4,})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d(?:\.\d+)?))?)?$/;

/**
 * An ISO date of `cal` as a number on a plot's axis: its days (and fraction of a day) after 0001-01-01 in that
 * calendar, so that dates are as far apart as the calendar makes them (2000-02-30 is a day before 2000-03-01 in
 * 360_day); null for what is not such a date.
 */
export function calendarDay(iso: unknown, cal: Calendar): number | null {
  const p = typeof iso === 'string' ? ISO_PARTS.exec(iso) : null;
  if (!p) return null;
  const [y, m, d] = [Number(p[1]), Number(p[2]), Number(p[3])];
  const seconds = Number(p[4] ?? 0) * 3600 + Number(p[5] ?? 0) * 60 + Number(p[6] ?? 0);
  return dayNumber(cal, y, m, d) - dayNumber(cal, 1, 1, 1) + seconds / 86400;
}

/** The ISO date (to the minute) `day` days after 0001-01-01 in `cal`: calendarDay's inverse. */
export function calendarDate(day: number, cal: Calendar): string {
  const whole = Math.floor(day);
  const minutes = Math.round((day - whole) * 1440);
  const [y, m, d] = dateOf(cal, whole + Math.floor(minutes / 1440) + dayNumber(cal, 1, 1, 1));
  const rest = minutes % 1440;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(Math.floor(rest / 60))}:${pad(rest % 60)}:00`;
}

/**
 * About `target` ticks between the days `lo` and `hi` (calendarDay's numbers) at round dates of `cal`: whole
 * years, months, days or hours, each labelled as its date reads in that calendar (2000-02-30 is one in 360_day).
 */
export function calendarTicks(
  lo: number,
  hi: number,
  cal: Calendar,
  target = 6,
): { values: number[]; labels: string[] } {
  const span = Math.max(hi - lo, 1 / 24);
  const yearLength = cal === '360_day' ? 360 : 365.25;
  const [y0] = dateOf(cal, Math.floor(lo) + dayNumber(cal, 1, 1, 1));
  const values: number[] = [];
  const labels: string[] = [];
  const add = (day: number, label: string) => {
    if (day >= lo - 1e-9 && day <= hi + 1e-9) {
      values.push(day);
      labels.push(label);
    }
  };
  const years = span / yearLength;
  if (years >= target / 2) {
    // Whole years, in steps of 1, 2, 5, 10, 20, 50…
    const raw = years / target;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw)!;
    for (let y = Math.ceil(y0 / step) * step; ; y += step) {
      const day = calendarDay(`${pad(y, 4)}-01-01`, cal)!;
      if (day > hi) break;
      add(day, String(y));
    }
  } else if (span >= 2 * 30 * (target / 3)) {
    // Months, in steps of 1, 2, 3 or 6.
    const months = span / 30.4;
    const step = [1, 2, 3, 6].find((s) => months / s <= target * 1.5) ?? 6;
    for (let i = 0; ; i++) {
      const month = i * step;
      const [y, m] = [y0 + Math.floor(month / 12), (month % 12) + 1];
      const day = calendarDay(`${pad(y, 4)}-${pad(m)}-01`, cal)!;
      if (day > hi) break;
      add(day, `${pad(y, 4)}-${pad(m)}`);
    }
  } else if (span >= 2) {
    // Days, in steps of 1, 2, 5, 10 or 15 (the first of a month always among them).
    const step = [1, 2, 5, 10, 15].find((s) => span / s <= target * 1.5) ?? 15;
    for (let day = Math.floor(lo); day <= hi; day++) {
      const iso = calendarDate(day, cal);
      const dom = Number(iso.slice(8, 10));
      if ((dom - 1) % step === 0 && (step === 1 || dom + step <= 31 || dom === 1)) add(day, iso.slice(0, 10));
    }
  } else {
    // Hours, in steps of 1, 3, 6 or 12.
    const hours = span * 24;
    const step = [1, 3, 6, 12].find((s) => hours / s <= target * 1.5) ?? 12;
    for (let h = Math.ceil((lo * 24) / step) * step; h <= hi * 24; h += step) {
      const iso = calendarDate(h / 24, cal);
      add(h / 24, `${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
    }
  }
  return { values, labels };
}
