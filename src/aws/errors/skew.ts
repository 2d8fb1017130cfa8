/**
 * AWS's clock as an error answer reveals it, and the correction a caller
 * should apply to its own clock before signing again.
 */
import type { AwsError } from './aws-error.js';

/** A 403 with a Date header this far from the local clock is blamed on the clock. */
export const SKEW_TOLERANCE_MS = 5 * 60 * 1000;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `20240101T000000Z` or an ISO 8601 / HTTP date. */
export function parseAwsTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const m = AMZ_DATE.exec(value.trim());
  const ms = m
    ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
    : Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * The server time a "Signature expired" message states: `X is now earlier
 * than Y (SERVER - 15 min.)`, or `X is still later than Y (SERVER + 15 min.)`.
 */
export function serverTimeFromMessage(message: string): Date | undefined {
  const m = /\((\d{8}T\d{6}Z)\s*[+-]\s*\d+\s*min\.?\)/.exec(message);
  return parseAwsTime(m?.[1]);
}

/**
 * The offset in ms (server − local) to apply to the local clock, when the
 * error is a clock-skew error or a 403 whose Date header is more than five
 * minutes from `localNow`; otherwise undefined.
 */
export function clockSkewOffset(error: AwsError, localNow: Date): number | undefined {
  const local = localNow.getTime();
  if (Number.isNaN(local)) return undefined;
  if (error.kind === 'clock-skew') {
    const server = error.reportedServerTime ?? error.serverDate;
    return server === undefined ? undefined : server.getTime() - local;
  }
  if (error.status === 403 && error.serverDate !== undefined) {
    const offset = error.serverDate.getTime() - local;
    if (Math.abs(offset) > SKEW_TOLERANCE_MS) return offset;
  }
  return undefined;
}

/** "17 minutes", "1 hour 5 minutes", "40 seconds". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 90) return plural(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}
