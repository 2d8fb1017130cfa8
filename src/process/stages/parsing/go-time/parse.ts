/**
 * Go's time.Parse, step for step: the value is read against a compiled
 * layout with Go's rules (case-insensitive month and day names, one or two
 * digits where the layout has no zero, a fraction after the seconds even
 * when the layout has none, ranges checked) and the wall-clock fields come
 * back with the zone the value named, if any.
 */
import { Std, type LayoutChunk } from './layout.js';
import { numericOffset, zoneNameLength } from './offsets.js';

/** What the value said: wall-clock fields and, if it named one, its zone. */
export interface ParsedTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  /** Seconds east of UTC when the value had a numeric offset or "Z"/"UTC". */
  offsetSeconds: number | undefined;
  /** A zone abbreviation ("MST") when the value had one. */
  zoneName: string | undefined;
}

const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function digitAt(s: string, at: number): number {
  const c = s.charCodeAt(at) - 0x30;
  return c >= 0 && c <= 9 ? c : -1;
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

/** Go's skip: the literal must be next; a run of spaces matches any run of spaces. */
function skip(value: string, at: number, literal: string): number {
  let i = 0;
  while (i < literal.length) {
    if (literal[i] === ' ') {
      if (at < value.length && value[at] !== ' ') return -1;
      while (i < literal.length && literal[i] === ' ') i++;
      while (at < value.length && value[at] === ' ') at++;
      continue;
    }
    if (at >= value.length || value[at] !== literal[i]) return -1;
    i++;
    at++;
  }
  return at;
}

/** Go's lookup: the first name that starts the value, ignoring ASCII case. */
function lookupName(
  names: readonly string[],
  value: string,
  at: number,
): [index: number, end: number] | undefined {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (
      value.length - at >= name.length &&
      value.slice(at, at + name.length).toLowerCase() === name.toLowerCase()
    )
      return [i, at + name.length];
  }
  return undefined;
}

/** Go's parseNanoseconds: `.123` as nanoseconds (up to nine digits count). */
function fraction(value: string, at: number, length: number): number {
  const c = value[at];
  if (c !== '.' && c !== ',') return -1;
  const digits = Math.min(length, 10) - 1;
  let ns = 0;
  for (let i = 1; i <= digits; i++) {
    const d = digitAt(value, at + i);
    if (d < 0) return -1;
    ns = ns * 10 + d;
  }
  for (let i = digits; i < 9; i++) ns *= 10;
  return ns;
}

function nextStdAfter(chunks: readonly LayoutChunk[], index: number): Std | undefined {
  for (let i = index + 1; i < chunks.length; i++)
    if (chunks[i]!.std !== undefined) return chunks[i]!.std;
  return undefined;
}

/** Reads `value` against `chunks`; the fields, or why Go would refuse it. */
export function parseWithLayout(
  chunks: readonly LayoutChunk[],
  value: string,
): ParsedTime | string {
  let at = 0;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanosecond = 0;
  let pm: boolean | undefined;
  let offsetSeconds: number | undefined;
  let zoneName: string | undefined;

  // getnum: one digit, or two; `fixed` wants exactly two.
  const num = (fixed: boolean): number => {
    const a = digitAt(value, at);
    if (a < 0) return -1;
    const b = digitAt(value, at + 1);
    if (b < 0) {
      if (fixed) return -1;
      at += 1;
      return a;
    }
    at += 2;
    return a * 10 + b;
  };

  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    if (chunk.literal !== undefined) {
      const next = skip(value, at, chunk.literal);
      if (next < 0) return `cannot parse "${value.slice(at)}" as "${chunk.literal}"`;
      at = next;
      continue;
    }
    const std = chunk.std;
    const start = at;
    let bad = false;
    switch (std) {
      case Std.Year: {
        const a = digitAt(value, at);
        const b = digitAt(value, at + 1);
        if (a < 0 || b < 0) bad = true;
        else {
          year = a * 10 + b;
          year += year >= 69 ? 1900 : 2000;
          at += 2;
        }
        break;
      }
      case Std.LongYear: {
        let y = 0;
        for (let i = 0; i < 4 && !bad; i++) {
          const d = digitAt(value, at + i);
          if (d < 0) bad = true;
          y = y * 10 + d;
        }
        if (!bad) {
          year = y;
          at += 4;
        }
        break;
      }
      case Std.Month:
      case Std.LongMonth: {
        const found = lookupName(std === Std.Month ? SHORT_MONTHS : LONG_MONTHS, value, at);
        if (found === undefined) bad = true;
        else [month, at] = [found[0] + 1, found[1]];
        break;
      }
      case Std.NumMonth:
      case Std.ZeroMonth:
        month = num(std === Std.ZeroMonth);
        if (month < 0) bad = true;
        else if (month === 0 || month > 12) return 'month out of range';
        break;
      case Std.WeekDay:
      case Std.LongWeekDay: {
        // Checked, then ignored, as Go does.
        const found = lookupName(std === Std.WeekDay ? SHORT_DAYS : LONG_DAYS, value, at);
        if (found === undefined) bad = true;
        else at = found[1];
        break;
      }
      case Std.Day:
      case Std.UnderDay:
      case Std.ZeroDay:
        if (std === Std.UnderDay && value[at] === ' ') at++;
        day = num(std === Std.ZeroDay);
        if (day < 0) bad = true;
        break;
      case Std.UnderYearDay:
      case Std.ZeroYearDay: {
        if (std === Std.UnderYearDay) for (let i = 0; i < 2 && value[at] === ' '; i++) at++;
        let n = 0;
        let count = 0;
        while (count < 3 && digitAt(value, at + count) >= 0)
          n = n * 10 + digitAt(value, at + count++);
        if (count === 0 || (std === Std.ZeroYearDay && count < 3)) bad = true;
        else {
          yday = n;
          at += count;
        }
        break;
      }
      case Std.Hour:
        hour = num(false);
        if (hour < 0) bad = true;
        else if (hour >= 24) return 'hour out of range';
        break;
      case Std.Hour12:
      case Std.ZeroHour12:
        hour = num(std === Std.ZeroHour12);
        if (hour < 0) bad = true;
        else if (hour > 12) return 'hour out of range';
        break;
      case Std.Minute:
      case Std.ZeroMinute:
        minute = num(std === Std.ZeroMinute);
        if (minute < 0) bad = true;
        else if (minute >= 60) return 'minute out of range';
        break;
      case Std.Second:
      case Std.ZeroSecond: {
        second = num(std === Std.ZeroSecond);
        if (second < 0) {
          bad = true;
          break;
        }
        if (second >= 60) return 'second out of range';
        // A fraction in the value that the layout does not have: Go reads it anyway.
        const sep = value[at];
        if ((sep === '.' || sep === ',') && digitAt(value, at + 1) >= 0) {
          const following = nextStdAfter(chunks, c);
          if (following === Std.FracSecond0 || following === Std.FracSecond9) break;
          let n = 2;
          while (digitAt(value, at + n) >= 0) n++;
          nanosecond = fraction(value, at, n);
          at += n;
        }
        break;
      }
      case Std.PM:
      case Std.pm: {
        const text = value.slice(at, at + 2);
        const [p, a] = std === Std.PM ? ['PM', 'AM'] : ['pm', 'am'];
        if (text === p) pm = true;
        else if (text === a) pm = false;
        else bad = true;
        at += 2;
        break;
      }
      case Std.ISO8601TZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumSecondsTZ:
      case Std.NumShortTZ:
      case Std.NumColonTZ:
      case Std.NumColonSecondsTZ: {
        if (std <= Std.ISO8601ColonSecondsTZ && value[at] === 'Z') {
          at++;
          offsetSeconds = 0;
          break;
        }
        const offset = numericOffset(std, value, at);
        if (offset === undefined) bad = true;
        else if (typeof offset === 'string') return offset;
        else [offsetSeconds, at] = offset;
        break;
      }
      case Std.TZ: {
        if (value.startsWith('UTC', at)) {
          at += 3;
          offsetSeconds = 0;
          break;
        }
        const n = zoneNameLength(value, at);
        if (n === 0) bad = true;
        else {
          zoneName = value.slice(at, at + n);
          at += n;
        }
        break;
      }
      case Std.FracSecond0: {
        const n = 1 + (chunk.digits ?? 0);
        if (value.length - at < n) bad = true;
        else {
          nanosecond = fraction(value, at, n);
          if (nanosecond < 0) bad = true;
          at += n;
        }
        break;
      }
      case Std.FracSecond9: {
        const sep = value[at];
        // The fraction may be left out.
        if ((sep !== '.' && sep !== ',') || digitAt(value, at + 1) < 0) break;
        let i = 0;
        while (i < 9 && digitAt(value, at + 1 + i) >= 0) i++;
        nanosecond = fraction(value, at, 1 + i);
        at += 1 + i;
        break;
      }
    }
    if (bad) return `cannot parse "${value.slice(start)}" as a part of the layout`;
  }
  if (at < value.length) return `extra text: "${value.slice(at)}"`;

  if (pm === true && hour < 12) hour += 12;
  else if (pm === false && hour === 12) hour = 0;

  if (yday >= 0) {
    let m = 0;
    let d = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) [m, d] = [2, 29];
      else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) return 'day-of-year out of range';
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) return 'day-of-year does not match month';
    if (day >= 0 && day !== d) return 'day-of-year does not match day';
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) return 'day out of range';
  return { year, month, day, hour, minute, second, nanosecond, offsetSeconds, zoneName };
}
