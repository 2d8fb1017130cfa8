let cachedSecond = NaN;
let cachedDate = '';

/** `YYYYMMDDTHHMMSSZ` for a time in ms; the last second is cached, as every request in it shares it. */
export function formatAmzDate(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    // 2015-08-30T12:36:00.000Z → 20150830T123600Z
    cachedDate =
      iso.slice(0, 4) +
      iso.slice(5, 7) +
      iso.slice(8, 13) +
      iso.slice(14, 16) +
      iso.slice(17, 19) +
      'Z';
    cachedSecond = second;
  }
  return cachedDate;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `YYYYMMDDTHHMMSSZ`; undefined when it is not one. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 20150231 over to March; a real date survives the round trip.
  return formatAmzDate(date.getTime()) === value ? date : undefined;
}
