/**
 * Go's time layouts ("2006-01-02T15:04:05.999999999Z07:00"): the reference
 * time's parts, found in a layout by Go's own rules (time.nextStdChunk), so a
 * layout means in Signet what it means in Promtail — including Go's
 * surprises, such as any "1" being the month.
 */

export enum Std {
  LongMonth,
  Month,
  NumMonth,
  ZeroMonth,
  LongWeekDay,
  WeekDay,
  Day,
  UnderDay,
  ZeroDay,
  UnderYearDay,
  ZeroYearDay,
  Hour,
  Hour12,
  ZeroHour12,
  Minute,
  ZeroMinute,
  Second,
  ZeroSecond,
  LongYear,
  Year,
  PM,
  pm,
  TZ,
  ISO8601TZ,
  ISO8601SecondsTZ,
  ISO8601ShortTZ,
  ISO8601ColonTZ,
  ISO8601ColonSecondsTZ,
  NumTZ,
  NumSecondsTZ,
  NumShortTZ,
  NumColonTZ,
  NumColonSecondsTZ,
  FracSecond0,
  FracSecond9,
}

/** One piece of a layout: text to match as it is, or a part of the reference time. */
export type LayoutChunk =
  | { readonly literal: string; readonly std?: undefined }
  | { readonly std: Std; readonly literal?: undefined; readonly digits?: number };

const ZERO_STDS: readonly Std[] = [
  Std.ZeroMonth,
  Std.ZeroDay,
  Std.ZeroHour12,
  Std.ZeroMinute,
  Std.ZeroSecond,
  Std.Year,
];

const ZONE_FORMS: readonly (readonly [string, Std])[] = [
  ['070000', Std.NumSecondsTZ],
  ['07:00:00', Std.NumColonSecondsTZ],
  ['0700', Std.NumTZ],
  ['07:00', Std.NumColonTZ],
  ['07', Std.NumShortTZ],
];
const ISO_ZONE: Readonly<Partial<Record<Std, Std>>> = {
  [Std.NumSecondsTZ]: Std.ISO8601SecondsTZ,
  [Std.NumColonSecondsTZ]: Std.ISO8601ColonSecondsTZ,
  [Std.NumTZ]: Std.ISO8601TZ,
  [Std.NumColonTZ]: Std.ISO8601ColonTZ,
  [Std.NumShortTZ]: Std.ISO8601ShortTZ,
};

function startsWithLowerCase(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 0x61 && c <= 0x7a;
}

function isDigitAt(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 0x30 && c <= 0x39;
}

interface Found {
  readonly start: number;
  readonly end: number;
  readonly std: Std;
  readonly digits?: number;
}

/** The first reference-time part in `layout` at or after `from` (Go's nextStdChunk). */
function nextStd(layout: string, from: number): Found | undefined {
  for (let i = from; i < layout.length; i++) {
    const c = layout[i];
    const rest = layout.slice(i);
    switch (c) {
      case 'J':
        if (rest.startsWith('January')) return { start: i, end: i + 7, std: Std.LongMonth };
        if (rest.startsWith('Jan') && !startsWithLowerCase(layout, i + 3))
          return { start: i, end: i + 3, std: Std.Month };
        break;
      case 'M':
        if (rest.startsWith('Monday')) return { start: i, end: i + 6, std: Std.LongWeekDay };
        if (rest.startsWith('Mon') && !startsWithLowerCase(layout, i + 3))
          return { start: i, end: i + 3, std: Std.WeekDay };
        if (rest.startsWith('MST')) return { start: i, end: i + 3, std: Std.TZ };
        break;
      case '0': {
        const next = layout.charCodeAt(i + 1);
        if (next >= 0x31 && next <= 0x36)
          return { start: i, end: i + 2, std: ZERO_STDS[next - 0x31]! };
        if (rest.startsWith('002')) return { start: i, end: i + 3, std: Std.ZeroYearDay };
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return { start: i, end: i + 2, std: Std.Hour };
        return { start: i, end: i + 1, std: Std.NumMonth };
      case '2':
        if (rest.startsWith('2006')) return { start: i, end: i + 4, std: Std.LongYear };
        return { start: i, end: i + 1, std: Std.Day };
      case '_':
        if (layout[i + 1] === '2') {
          // "_2006" is a literal "_" and the year.
          if (rest.startsWith('_2006')) return { start: i + 1, end: i + 5, std: Std.LongYear };
          return { start: i, end: i + 2, std: Std.UnderDay };
        }
        if (rest.startsWith('__2')) return { start: i, end: i + 3, std: Std.UnderYearDay };
        break;
      case '3':
        return { start: i, end: i + 1, std: Std.Hour12 };
      case '4':
        return { start: i, end: i + 1, std: Std.Minute };
      case '5':
        return { start: i, end: i + 1, std: Std.Second };
      case 'P':
        if (layout[i + 1] === 'M') return { start: i, end: i + 2, std: Std.PM };
        break;
      case 'p':
        if (layout[i + 1] === 'm') return { start: i, end: i + 2, std: Std.pm };
        break;
      case '-':
      case 'Z':
        for (const [form, std] of ZONE_FORMS) {
          if (layout.startsWith(form, i + 1)) {
            if (c === '-') return { start: i, end: i + 1 + form.length, std };
            // Go knows no "Z070000"-less short forms beyond these.
            return { start: i, end: i + 1 + form.length, std: ISO_ZONE[std]! };
          }
        }
        break;
      case '.':
      case ',': {
        const digit = layout[i + 1];
        if (digit === '0' || digit === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === digit) j++;
          // Only a run of one digit ending the number is a fraction.
          if (!isDigitAt(layout, j))
            return {
              start: i,
              end: j,
              std: digit === '0' ? Std.FracSecond0 : Std.FracSecond9,
              digits: j - (i + 1),
            };
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** A layout split into literal text and reference-time parts, once, at compile time. */
export function compileLayout(layout: string): LayoutChunk[] {
  const chunks: LayoutChunk[] = [];
  let at = 0;
  for (;;) {
    const found = nextStd(layout, at);
    const literalEnd = found ? found.start : layout.length;
    if (literalEnd > at) chunks.push({ literal: layout.slice(at, literalEnd) });
    if (!found) return chunks;
    chunks.push(
      found.digits === undefined ? { std: found.std } : { std: found.std, digits: found.digits },
    );
    at = found.end;
  }
}

/** Whether a layout names a year ("06" or "2006"); Promtail fills in the current year when not. */
export function layoutHasYear(layout: string): boolean {
  return layout.includes('06');
}

/** Go's named layouts, as Promtail's timestamp stage accepts them by name. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};
