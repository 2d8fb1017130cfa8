/**
 * Promtail's timestamp formats: Go's named layouts, the Unix epoch forms
 * (Unix, UnixMs, UnixUs, UnixNs) and any Go reference layout, each compiled
 * once into a parser from text to nanoseconds.
 */
import { NAMED_LAYOUTS, compileLayout, layoutHasYear } from './layout.js';
import { parseWithLayout } from './parse.js';
import { instantNs, type ZoneLocation } from './zone.js';

/** Text to nanoseconds since the epoch, or a string saying why not. `nowMs` fills a missing year. */
export type TimestampParser = (value: string, nowMs: number) => bigint | string;

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Go's strconv.ParseInt(s, 10, 64). */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n > INT64_MAX || n < INT64_MIN ? undefined : n;
}

function epoch(scale: bigint): TimestampParser {
  return (value) => {
    const n = parseInt64(value);
    return n === undefined ? `${JSON.stringify(value)} is not a whole number` : n * scale;
  };
}

/** Promtail's Unix: seconds, with an optional fraction after one dot. */
const unixSeconds: TimestampParser = (value) => {
  const dot = value.indexOf('.');
  if (dot >= 0 && value.indexOf('.', dot + 1) < 0) {
    const seconds = parseInt64(value.slice(0, dot));
    const fractionText = value.slice(dot + 1);
    const fraction = parseInt64(fractionText);
    if (seconds === undefined || fraction === undefined)
      return `${JSON.stringify(value)} is not seconds since the epoch`;
    // Promtail scales the fraction with floating point and truncates, as here.
    const ns = Math.trunc(Number(fraction) * 10 ** (9 - fractionText.length));
    return seconds * 1_000_000_000n + BigInt(ns);
  }
  const seconds = parseInt64(value);
  return seconds === undefined
    ? `${JSON.stringify(value)} is not seconds since the epoch`
    : seconds * 1_000_000_000n;
};

/**
 * Whether a format can read any time: a named one, or a layout with at least
 * one part of Go's reference time (a strftime or Java pattern has none).
 */
export function formatHasTimeParts(format: string): boolean {
  if (format in NAMED_LAYOUTS || ['Unix', 'UnixMs', 'UnixUs', 'UnixNs'].includes(format))
    return true;
  return compileLayout(format).some((chunk) => chunk.std !== undefined);
}

/**
 * Promtail's convertDateLayout. Named layouts parse as time.Parse does —
 * Promtail gives them no location — and a layout of one's own parses in
 * `location`; a layout without a year takes the current one (December's
 * lines read in January are last year's, January's read in December next
 * year's).
 */
export function compileTimestampFormat(
  format: string,
  location: ZoneLocation | undefined,
): TimestampParser {
  switch (format) {
    case 'Unix':
      return unixSeconds;
    case 'UnixMs':
      return epoch(1_000_000n);
    case 'UnixUs':
      return epoch(1_000n);
    case 'UnixNs':
      return epoch(1n);
    default:
      break;
  }
  const named = NAMED_LAYOUTS[format];
  const layout = named ?? format;
  const zone = named === undefined ? location : undefined;
  const chunks = compileLayout(layout);
  if (named !== undefined || layoutHasYear(layout)) {
    return (value) => {
      const parsed = parseWithLayout(chunks, value);
      return typeof parsed === 'string' ? parsed : instantNs(parsed, zone);
    };
  }
  return (value, nowMs) => {
    const parsed = parseWithLayout(chunks, value);
    if (typeof parsed === 'string') return parsed;
    const now = new Date(nowMs);
    const nowYear = now.getUTCFullYear();
    const nowMonth = now.getUTCMonth() + 1;
    if (parsed.month === 12 && nowMonth === 1) parsed.year = nowYear - 1;
    else if (parsed.month === 1 && nowMonth === 12) parsed.year = nowYear + 1;
    else parsed.year = nowYear;
    return instantNs(parsed, zone);
  };
}
