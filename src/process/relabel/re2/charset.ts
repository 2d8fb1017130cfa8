/**
 * Code point sets as flat, sorted range lists `[lo0, hi0, lo1, hi1, …]`, and
 * the ASCII classes RE2 defines by hand (Perl `\d\s\w`, POSIX `[:alpha:]`).
 * They are spelled out as ranges rather than left to JavaScript because the
 * two disagree: JavaScript's `\s` covers Unicode spaces and `\v`, RE2's is
 * `[\t\n\f\r ]`.
 */
export const MAX_RUNE = 0x10ffff;

/** Sorts and merges overlapping or touching ranges. */
export function normalizeRanges(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) {
      if (hi > out[last]!) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** The complement within [0, MAX_RUNE]; `ranges` must be normalized. */
export function negateRanges(ranges: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const lo = ranges[i]!;
    if (next <= lo - 1) out.push(next, lo - 1);
    next = ranges[i + 1]! + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

export function rangesContain(ranges: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]!) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

export function rangesSize(ranges: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) n += ranges[i + 1]! - ranges[i]! + 1;
  return n;
}

const c = (s: string): number => s.codePointAt(0)!;

/** A Perl or POSIX class: its ASCII ranges and whether the escape negates them. */
export interface AsciiGroup {
  readonly ranges: readonly number[];
  readonly negated: boolean;
}

const DIGIT = [c('0'), c('9')];
const SPACE = [9, 10, 12, 13, 32, 32];
const WORD = [c('0'), c('9'), c('A'), c('Z'), c('_'), c('_'), c('a'), c('z')];

export const PERL_GROUPS: Readonly<Record<string, AsciiGroup>> = {
  d: { ranges: DIGIT, negated: false },
  D: { ranges: DIGIT, negated: true },
  s: { ranges: SPACE, negated: false },
  S: { ranges: SPACE, negated: true },
  w: { ranges: WORD, negated: false },
  W: { ranges: WORD, negated: true },
};

const POSIX: Readonly<Record<string, readonly number[]>> = {
  alnum: [c('0'), c('9'), c('A'), c('Z'), c('a'), c('z')],
  alpha: [c('A'), c('Z'), c('a'), c('z')],
  ascii: [0, 0x7f],
  blank: [9, 9, 32, 32],
  cntrl: [0, 0x1f, 0x7f, 0x7f],
  digit: DIGIT,
  graph: [c('!'), c('~')],
  lower: [c('a'), c('z')],
  print: [c(' '), c('~')],
  punct: [c('!'), c('/'), c(':'), c('@'), c('['), c('`'), c('{'), c('~')],
  space: [9, 13, 32, 32],
  upper: [c('A'), c('Z')],
  word: WORD,
  xdigit: [c('0'), c('9'), c('A'), c('F'), c('a'), c('f')],
};

/** `[:alpha:]` or `[:^alpha:]` (with the brackets and colons) → its group. */
export function posixGroup(spelled: string): AsciiGroup | undefined {
  const m = /^\[:(\^?)([a-z]+):\]$/.exec(spelled);
  if (!m) return undefined;
  const ranges = Object.hasOwn(POSIX, m[2]!) ? POSIX[m[2]!] : undefined;
  return ranges && { ranges, negated: m[1] === '^' };
}

/**
 * The case-folding closure of an ASCII set: the other case of each letter,
 * plus the two non-ASCII letters that fold into ASCII (ſ with s, the Kelvin
 * sign with k), as Go's fold tables have it.
 */
export function asciiFold(ranges: readonly number[]): number[] {
  const out = [...ranges];
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const lo = ranges[i]!;
    const hi = Math.min(ranges[i + 1]!, 0x7f);
    for (let cp = lo; cp <= hi; cp++) {
      if (cp >= 0x41 && cp <= 0x5a) out.push(cp + 32, cp + 32);
      else if (cp >= 0x61 && cp <= 0x7a) out.push(cp - 32, cp - 32);
      if (cp === 0x53 || cp === 0x73) out.push(0x17f, 0x17f);
      if (cp === 0x4b || cp === 0x6b) out.push(0x212a, 0x212a);
    }
  }
  return normalizeRanges(out);
}
