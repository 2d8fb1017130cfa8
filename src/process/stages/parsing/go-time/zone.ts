/**
 * Turning Go-parsed wall-clock fields into an instant: with the offset the
 * value gave, or in an IANA zone (`location`), whose offsets come from the
 * Intl time-zone data Node.js carries — no zone files needed.
 */
import type { ParsedTime } from './parse.js';

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1–12; day may overflow, as Go's Date allows). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

const PART_NAMES = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
/** Offsets are looked up per quarter hour of UTC: zones change on such boundaries. */
const BUCKET_SECONDS = 900;
const CACHE_LIMIT = 4096;

/** An IANA zone, as Go's time.LoadLocation gives one. */
export class ZoneLocation {
  readonly name: string;
  private readonly wall: Intl.DateTimeFormat;
  private readonly names: Intl.DateTimeFormat[];
  private readonly offsets = new Map<number, number>();

  /** Throws RangeError when Node.js's time-zone data has no such zone. */
  constructor(name: string) {
    this.name = name;
    const timeZone =
      name === 'Local'
        ? Intl.DateTimeFormat().resolvedOptions().timeZone
        : name === ''
          ? 'UTC'
          : name;
    this.wall = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.names = ['en-US', 'en-GB'].map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    );
  }

  /** Seconds east of UTC in effect at the instant `unixSeconds`. */
  offsetAt(unixSeconds: number): number {
    const bucket = Math.floor(unixSeconds / BUCKET_SECONDS);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const at = bucket * BUCKET_SECONDS;
    const fields: Record<string, number> = {};
    for (const part of this.wall.formatToParts(at * 1000))
      if ((PART_NAMES as readonly string[]).includes(part.type))
        fields[part.type] = Number(part.value);
    const wall =
      daysFromCivil(fields['year']!, fields['month']!, fields['day']!) * 86400 +
      fields['hour']! * 3600 +
      fields['minute']! * 60 +
      fields['second']!;
    const offset = wall - at;
    if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
    this.offsets.set(bucket, offset);
    return offset;
  }

  /**
   * The offset of the zone's abbreviation `abbreviation` ("PST", "CEST") in
   * the year around `unixSeconds`, as Go's lookupName finds it; undefined
   * when the zone has no such name.
   */
  offsetOfName(abbreviation: string, unixSeconds: number): number | undefined {
    const year = new Date(unixSeconds * 1000).getUTCFullYear();
    for (const probe of [unixSeconds, Date.UTC(year, 0, 1) / 1000, Date.UTC(year, 6, 1) / 1000]) {
      for (const format of this.names) {
        const name = format
          .formatToParts(probe * 1000)
          .find((p) => p.type === 'timeZoneName')?.value;
        if (name === abbreviation) return this.offsetAt(probe);
      }
    }
    return undefined;
  }
}

/** Go's Date(…, loc): the instant of a wall-clock time in a zone (ambiguous times as Go resolves them). */
function wallInZone(wallSeconds: number, zone: ZoneLocation): number {
  const first = zone.offsetAt(wallSeconds);
  const utc = wallSeconds - first;
  return wallSeconds - zone.offsetAt(utc);
}

/**
 * The instant in nanoseconds since the epoch. Go's rules: a numeric offset
 * or Z wins; a zone abbreviation is looked up in `location` (only UTC in
 * time.Parse) and otherwise taken as UTC with the name kept; with neither,
 * the wall time is in `location`, or UTC.
 */
export function instantNs(parsed: ParsedTime, location: ZoneLocation | undefined): bigint {
  const wall =
    daysFromCivil(parsed.year, parsed.month, parsed.day) * 86400 +
    parsed.hour * 3600 +
    parsed.minute * 60 +
    parsed.second;
  let unix: number;
  if (parsed.offsetSeconds !== undefined) unix = wall - parsed.offsetSeconds;
  else if (parsed.zoneName !== undefined) {
    const offset = location?.offsetOfName(parsed.zoneName, wall);
    unix = wall - (offset ?? 0);
  } else unix = location ? wallInZone(wall, location) : wall;
  return BigInt(unix) * 1_000_000_000n + BigInt(parsed.nanosecond);
}
