/**
 * Spells a parsed RE2 pattern as JavaScript regex source for the `u` flag.
 *
 * Everything whose meaning differs between the engines is written out
 * explicitly: `.` becomes `[^\n]` (JavaScript's also stops at \r and U+2028),
 * `\s\d\w` and POSIX classes become ASCII ranges, multi-line `^`/`$` become
 * lookarounds on `\n` only, and `(?U)` flips greediness per repeat. Named
 * groups become plain groups (the names are kept on the side), so group
 * numbers stay Go's and names JavaScript would refuse (`(?P<1x>…)`) still work.
 *
 * Case-insensitivity: when every letter of the pattern is under `(?i)` the
 * JavaScript `i` flag does the work; when only parts are, those parts are
 * expanded by hand (`[kKK]`), since Node 20 has no `(?i:…)`.
 */
import type { Assertion, CharClass, Node } from './ast.js';
import { foldOrbit, foldRanges, isCased } from './casefold.js';
import { asciiFold, negateRanges, normalizeRanges, rangesSize } from './charset.js';
import { Re2UnsupportedError } from './errors.js';
import { itemRanges } from './parse-class.js';

export interface EmittedRegex {
  readonly source: string;
  readonly flags: string;
}

export function emitJs(root: Node): EmittedRegex {
  const scan = { fold: false, sensitive: false };
  scanFolding(root, scan);
  const globalFold = scan.fold && !scan.sensitive;
  const source = new Emitter(globalFold).node(root);
  return { source, flags: globalFold ? 'iu' : 'u' };
}

/** Notes whether any part folds case, and whether any part must not. */
function scanFolding(node: Node, acc: { fold: boolean; sensitive: boolean }): void {
  switch (node.kind) {
    case 'literal':
      if (node.fold) acc.fold = true;
      else if (isCased(node.cp)) acc.sensitive = true;
      return;
    case 'class':
      if (node.fold) acc.fold = true;
      else if (!caseClosed(node.cls)) acc.sensitive = true;
      return;
    case 'group':
    case 'repeat':
      scanFolding(node.body, acc);
      return;
    case 'concat':
    case 'alt':
      for (const item of node.items) scanFolding(item, acc);
      return;
    default:
      return;
  }
}

/** Whether the `i` flag would leave the class unchanged (checked only where cheap). */
function caseClosed(cls: CharClass): boolean {
  if (cls.items.some((item) => item.kind === 'prop')) return false;
  const ranges = normalizeRanges(cls.items.flatMap((item) => [...itemRanges(item)]));
  return !containsCased(ranges) || !containsCased(negateRanges(ranges));
}

function containsCased(ranges: readonly number[]): boolean {
  if (rangesSize(ranges) > 5000) return true; // too big to check: assume so
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    for (let cp = ranges[i]!; cp <= ranges[i + 1]!; cp++) if (isCased(cp)) return true;
  }
  return false;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/');

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function isWordAscii(cp: number): boolean {
  return (
    (cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    cp === 0x5f
  );
}

function escapeLiteral(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (isWordAscii(cp)) return ch;
  return SYNTAX.has(ch) ? `\\${ch}` : hex(cp);
}

function escapeInClass(cp: number): string {
  return isWordAscii(cp) ? String.fromCodePoint(cp) : hex(cp);
}

function rangesSource(ranges: readonly number[]): string {
  let out = '';
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const lo = ranges[i]!;
    const hi = ranges[i + 1]!;
    out += lo === hi ? escapeInClass(lo) : `${escapeInClass(lo)}-${escapeInClass(hi)}`;
  }
  return out;
}

/** The folding closure by hand: ASCII sets cheaply, others through the orbit table. */
function fold(ranges: readonly number[]): number[] {
  const last = ranges[ranges.length - 1];
  return last !== undefined && last <= 0x7f ? asciiFold(ranges) : foldRanges(ranges);
}

class Emitter {
  constructor(private readonly globalFold: boolean) {}

  node(n: Node): string {
    switch (n.kind) {
      case 'empty':
        return '';
      case 'literal':
        return this.literal(n.cp, n.fold);
      case 'class':
        return this.charClass(n.cls, n.fold);
      case 'dot':
        return n.nl ? '[^]' : '[^\\n]';
      case 'assert':
        return ASSERTIONS[n.what];
      case 'group':
        return `(${n.index > 0 ? '' : '?:'}${this.node(n.body)})`;
      case 'concat':
        return n.items.map((item) => this.node(item)).join('');
      case 'alt':
        return n.items.map((item) => this.node(item)).join('|');
      case 'repeat':
        return this.atom(n.body) + quantifier(n.min, n.max) + (n.greedy ? '' : '?');
    }
  }

  /** Source that a quantifier can follow. */
  private atom(n: Node): string {
    const single =
      n.kind === 'literal' || n.kind === 'class' || n.kind === 'dot' || n.kind === 'group';
    return single ? this.node(n) : `(?:${this.node(n)})`;
  }

  private literal(cp: number, folds: boolean): string {
    if (!folds || this.globalFold) return escapeLiteral(cp);
    const orbit = foldOrbit(cp);
    return orbit.length > 1 ? `[${orbit.map(escapeInClass).join('')}]` : escapeLiteral(cp);
  }

  private charClass(cls: CharClass, folds: boolean): string {
    const ranges: number[] = [];
    let props = '';
    for (const item of cls.items) {
      if (item.kind === 'prop') {
        if (folds && !this.globalFold) {
          throw new Re2UnsupportedError(
            'a \\p{…} class under a (?i) that covers only part of the pattern cannot be translated; put (?i) at the very start of the regex',
          );
        }
        if (item.negated && item.props.length > 1) {
          // Go's \PC: the complement of a union, expressible only as a whole class.
          if (cls.items.length > 1) {
            throw new Re2UnsupportedError(
              '\\PC inside a bracket class with other items cannot be translated',
            );
          }
          const union = item.props.map((p) => `\\p{${p}}`).join('');
          return `[${cls.negated ? '' : '^'}${union}]`;
        }
        for (const p of item.props) props += `\\${item.negated ? 'P' : 'p'}{${p}}`;
        continue;
      }
      let r: readonly number[] = normalizeRanges(item.ranges);
      // Go folds a class's pieces before negating them; JavaScript's `i`
      // flag would fold after, so negated pieces are always folded here.
      if (folds && (!this.globalFold || item.negated)) r = fold(r);
      if (item.negated) r = negateRanges(r);
      ranges.push(...r);
    }
    return `[${cls.negated ? '^' : ''}${rangesSource(normalizeRanges(ranges))}${props}]`;
  }
}

const ASSERTIONS: Readonly<Record<Assertion, string>> = {
  beginText: '^',
  endText: '$',
  // No JavaScript `m` flag: it would also treat \r and U+2028 as line ends.
  beginLine: '(?<![^\\n])',
  endLine: '(?![^\\n])',
  wordBoundary: '\\b',
  notWordBoundary: '\\B',
};

function quantifier(min: number, max: number): string {
  if (min === 0 && max === -1) return '*';
  if (min === 1 && max === -1) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === -1) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}
