/**
 * Zones as Go's time.Parse reads them from a value: numeric offsets
 * (`-0700`, `+05:30`, `-07`, with seconds) and zone abbreviations (`MST`,
 * `GMT+3`, `ChST`).
 */
import { Std } from './layout.js';

/** Go's parseTimeZone: how long the zone abbreviation at `at` is, or 0. */
export function zoneNameLength(value: string, at: number): number {
  const rest = value.slice(at, at + 6);
  if (rest.length < 3) return 0;
  if (rest.startsWith('ChST') || rest.startsWith('MeST')) return 4;
  if (rest.startsWith('GMT')) {
    // GMT may carry a signed hour offset (GMT+3, GMT-10).
    const m = /^GMT([+-])(\d+)/.exec(value.slice(at));
    if (m === null) return 3;
    const hours = Number(m[2]);
    if (hours === 0 || hours > 24 || m[2]!.startsWith('0')) return 3;
    return 3 + 1 + m[2]!.length;
  }
  if (rest[0] === '+' || rest[0] === '-') {
    const m = /^[+-](\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(value.slice(at));
    return m === null ? 0 : m[0].length;
  }
  let upper = 0;
  while (
    upper < 6 &&
    upper < rest.length &&
    rest.charCodeAt(upper) >= 0x41 &&
    rest.charCodeAt(upper) <= 0x5a
  )
    upper++;
  if (upper === 3) return 3;
  if (upper === 4 && (rest[3] === 'T' || rest.startsWith('WITA'))) return 4;
  if (upper === 5 && rest[4] === 'T') return 5;
  return 0;
}

/** A numeric zone offset (`-0700`, `+05:30`, `-07`), as [seconds east, end], or why not. */
export function numericOffset(
  std: Std,
  value: string,
  at: number,
): [number, number] | string | undefined {
  const colon = std === Std.ISO8601ColonTZ || std === Std.NumColonTZ;
  const short = std === Std.ISO8601ShortTZ || std === Std.NumShortTZ;
  const colonSeconds = std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ;
  const seconds = std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTZ;
  let h: string;
  let m = '00';
  let s = '00';
  let end: number;
  if (colon) {
    if (value.length - at < 6 || value[at + 3] !== ':') return undefined;
    [h, m, end] = [value.slice(at + 1, at + 3), value.slice(at + 4, at + 6), at + 6];
  } else if (short) {
    if (value.length - at < 3) return undefined;
    [h, end] = [value.slice(at + 1, at + 3), at + 3];
  } else if (colonSeconds) {
    if (value.length - at < 9 || value[at + 3] !== ':' || value[at + 6] !== ':') return undefined;
    [h, m, s, end] = [
      value.slice(at + 1, at + 3),
      value.slice(at + 4, at + 6),
      value.slice(at + 7, at + 9),
      at + 9,
    ];
  } else if (seconds) {
    if (value.length - at < 7) return undefined;
    [h, m, s, end] = [
      value.slice(at + 1, at + 3),
      value.slice(at + 3, at + 5),
      value.slice(at + 5, at + 7),
      at + 7,
    ];
  } else {
    if (value.length - at < 5) return undefined;
    [h, m, end] = [value.slice(at + 1, at + 3), value.slice(at + 3, at + 5), at + 5];
  }
  if (!/^\d\d$/.test(h) || !/^\d\d$/.test(m) || !/^\d\d$/.test(s)) return undefined;
  const [hh, mm, ss] = [Number(h), Number(m), Number(s)];
  // Go allows 24 hours and 60 minutes or seconds: some write offsets so.
  if (hh > 24) return 'time zone offset hour out of range';
  if (mm > 60) return 'time zone offset minute out of range';
  if (ss > 60) return 'time zone offset second out of range';
  const total = (hh * 60 + mm) * 60 + ss;
  const sign = value[at];
  if (sign === '+') return [total, end];
  if (sign === '-') return [-total, end];
  return undefined;
}
