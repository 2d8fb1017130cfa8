/**
 * The pieces of RE2 syntax that name characters: escapes, `\p{…}`, Perl and
 * POSIX classes, and bracket classes. Each follows Go's regexp/syntax rule
 * for rule, including its quirks (`\8` is an error, `\12` is octal, `[]a]`
 * holds `]`), because Prometheus accepts exactly what Go accepts.
 */
import type { CharClass, ClassItem } from './ast.js';
import { PERL_GROUPS, negateRanges, normalizeRanges, posixGroup } from './charset.js';
import { ERR, Re2SyntaxError, explainEscape } from './errors.js';
import { unicodeClass } from './unicode-names.js';

export class Cursor {
  pos = 0;

  constructor(readonly src: string) {}

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  /** The UTF-16 unit at pos + ahead ('' past the end); enough for ASCII syntax. */
  at(ahead = 0): string {
    return this.src.charAt(this.pos + ahead);
  }

  /** Reads one code point; RE2 works on runes and refuses broken text. */
  next(): number {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) throw new Re2SyntaxError(ERR.missingBracket, this.src);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new Re2SyntaxError(ERR.invalidUTF8, this.src.slice(this.pos));
    }
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

const isAlnum = (cp: number): boolean =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
const isOctal = (s: string): boolean => s >= '0' && s <= '7' && s.length === 1;

function unhex(s: string): number {
  return /^[0-9a-fA-F]$/.test(s) ? parseInt(s, 16) : -1;
}

/** A single-character escape (cursor on the backslash) → its code point. */
export function parseEscape(cur: Cursor): number {
  const start = cur.pos;
  cur.pos++;
  if (cur.done) throw new Re2SyntaxError(ERR.trailingBackslash, '');
  const c = cur.next();
  const letter = String.fromCodePoint(c);
  const fail = (): never => {
    throw new Re2SyntaxError(
      ERR.invalidEscape,
      cur.src.slice(start, cur.pos),
      explainEscape(letter),
    );
  };
  // Escaped punctuation is always itself (Go also allows \_).
  if (c < 0x80 && !isAlnum(c)) return c;
  if (letter >= '1' && letter <= '7' && !isOctal(cur.at())) fail(); // a backreference
  if (letter >= '0' && letter <= '7') {
    let r = c - 0x30;
    for (let i = 1; i < 3 && isOctal(cur.at()); i++)
      r = r * 8 + (cur.src.charCodeAt(cur.pos++) - 0x30);
    return r;
  }
  if (letter === 'x') {
    if (cur.done) fail();
    if (cur.at() === '{') {
      cur.pos++;
      let r = 0;
      let digits = 0;
      for (;;) {
        if (cur.done) fail();
        const h = cur.at();
        cur.pos++;
        if (h === '}') break;
        const v = unhex(h);
        if (v < 0) fail();
        r = r * 16 + v;
        if (r > 0x10ffff) fail();
        digits++;
      }
      if (digits === 0) fail();
      return r;
    }
    const x = unhex(cur.at());
    cur.pos++;
    const y = unhex(cur.at());
    cur.pos++;
    if (x < 0 || y < 0) fail();
    return x * 16 + y;
  }
  const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
  const v = Object.hasOwn(simple, letter) ? simple[letter] : undefined;
  return v ?? fail();
}

/** `\pL`, `\p{Greek}`, `\PN`, `\p{^Han}` (cursor on the backslash). */
export function parseUnicodeClass(cur: Cursor): ClassItem {
  const start = cur.pos;
  let negated = cur.at(1) === 'P';
  cur.pos += 2;
  let name: string;
  if (cur.at() !== '{') {
    name = cur.done ? '' : String.fromCodePoint(cur.next());
  } else {
    const end = cur.src.indexOf('}', start);
    if (end < 0) throw new Re2SyntaxError(ERR.invalidCharRange, cur.src.slice(start));
    name = cur.src.slice(cur.pos + 1, end);
    cur.pos = end + 1;
  }
  const seq = cur.src.slice(start, cur.pos);
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  const cls = unicodeClass(name);
  if (cls === undefined) {
    throw new Re2SyntaxError(
      ERR.invalidCharRange,
      seq,
      `unknown Unicode class ${JSON.stringify(name)}; RE2 knows Any, general categories such as L or Lu, and script names such as Greek`,
    );
  }
  if (cls.ranges) return { kind: 'ranges', ranges: cls.ranges, negated };
  return { kind: 'prop', props: cls.props ?? [], negated };
}

/** `\d`, `\S`, `\w`… (cursor on the backslash), or undefined when it is another escape. */
export function parsePerlClass(cur: Cursor): ClassItem | undefined {
  const letter = cur.at(1);
  const group = Object.hasOwn(PERL_GROUPS, letter) ? PERL_GROUPS[letter] : undefined;
  if (!group) return undefined;
  cur.pos += 2;
  return { kind: 'ascii', ranges: group.ranges, negated: group.negated };
}

/** A bracket class (cursor on `[`). */
export function parseClass(cur: Cursor): CharClass {
  const start = cur.pos;
  cur.pos++;
  let negated = false;
  if (cur.at() === '^') {
    negated = true;
    cur.pos++;
  }
  const items: ClassItem[] = [];
  const ranges: number[] = [];
  let first = true; // `]` is a literal when it comes first
  while (cur.done || cur.at() !== ']' || first) {
    first = false;
    if (cur.at() === '[' && cur.at(1) === ':' && cur.src.length - cur.pos > 2) {
      const end = cur.src.indexOf(':]', cur.pos + 2);
      if (end >= 0) {
        const spelled = cur.src.slice(cur.pos, end + 2);
        const group = posixGroup(spelled);
        if (!group) {
          throw new Re2SyntaxError(ERR.invalidCharRange, spelled, 'unknown POSIX class');
        }
        items.push({ kind: 'ascii', ranges: group.ranges, negated: group.negated });
        cur.pos = end + 2;
        continue;
      }
    }
    if (cur.at() === '\\' && (cur.at(1) === 'p' || cur.at(1) === 'P')) {
      items.push(parseUnicodeClass(cur));
      continue;
    }
    if (cur.at() === '\\') {
      const perl = parsePerlClass(cur);
      if (perl) {
        items.push(perl);
        continue;
      }
    }
    const rangeStart = cur.pos;
    const lo = classChar(cur, start);
    let hi = lo;
    if (cur.src.length - cur.pos >= 2 && cur.at() === '-' && cur.at(1) !== ']') {
      cur.pos++;
      hi = classChar(cur, start);
      if (hi < lo) {
        throw new Re2SyntaxError(ERR.invalidCharRange, cur.src.slice(rangeStart, cur.pos));
      }
    }
    ranges.push(lo, hi);
  }
  cur.pos++; // the closing ]
  if (ranges.length > 0)
    items.unshift({ kind: 'ranges', ranges: normalizeRanges(ranges), negated: false });
  return { negated, items };
}

function classChar(cur: Cursor, classStart: number): number {
  if (cur.done) throw new Re2SyntaxError(ERR.missingBracket, cur.src.slice(classStart));
  return cur.at() === '\\' ? parseEscape(cur) : cur.next();
}

/** A class item's own code points, negation applied (folding is the emitter's job). */
export function itemRanges(item: ClassItem): readonly number[] {
  if (item.kind === 'prop') return [];
  return item.negated ? negateRanges(normalizeRanges(item.ranges)) : item.ranges;
}
