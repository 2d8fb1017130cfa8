/**
 * An RE2 parser with Go's regexp/syntax rules (Perl mode, as regexp.Compile
 * uses): what it accepts and refuses, and how flags scope. It yields an AST
 * for the emitter; it does not simplify, so capture numbering and match
 * preferences stay as written.
 */
import type { Node } from './ast.js';
import { ERR, Re2SyntaxError, explainPerlGroup } from './errors.js';
import {
  Cursor,
  parseClass,
  parseEscape,
  parsePerlClass,
  parseUnicodeClass,
} from './parse-class.js';

interface Flags {
  readonly fold: boolean; // i
  readonly multiLine: boolean; // m
  readonly dotNL: boolean; // s
  readonly nonGreedy: boolean; // U
}

export interface ParsedRe2 {
  readonly root: Node;
  readonly groupCount: number;
  /** Index → name for named groups (index 0, the whole match, has none). */
  readonly names: readonly (string | undefined)[];
}

// Go's limits: single repeat counts, and the product of nested counts.
const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

export function parseRe2(src: string): ParsedRe2 {
  const p = new Parser(src);
  const root = p.parseAlt();
  if (!p.cur.done) throw new Re2SyntaxError(ERR.unexpectedParen, src); // a stray )
  return { root, groupCount: p.names.length - 1, names: p.names };
}

class Parser {
  readonly cur: Cursor;
  readonly names: (string | undefined)[] = [undefined];
  private flags: Flags = { fold: false, multiLine: false, dotNL: false, nonGreedy: false };
  private depth = 0;

  constructor(private readonly src: string) {
    this.cur = new Cursor(src);
  }

  parseAlt(): Node {
    const branches = [this.parseConcat()];
    while (this.cur.at() === '|') {
      this.cur.pos++;
      branches.push(this.parseConcat());
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', items: branches };
  }

  private parseConcat(): Node {
    const items: Node[] = [];
    const cur = this.cur;
    let lastRepeatAt = -1; // where the previous token began, if it was a repetition
    while (!cur.done) {
      const c = cur.at();
      if (c === '|' || c === ')') break;
      const tokenStart = cur.pos;
      let isRepeat = false;
      switch (c) {
        case '(': {
          const node = this.parseGroup();
          if (node) items.push(node);
          break;
        }
        case '^':
          cur.pos++;
          items.push({ kind: 'assert', what: this.flags.multiLine ? 'beginLine' : 'beginText' });
          break;
        case '$':
          cur.pos++;
          items.push({ kind: 'assert', what: this.flags.multiLine ? 'endLine' : 'endText' });
          break;
        case '.':
          cur.pos++;
          items.push({ kind: 'dot', nl: this.flags.dotNL });
          break;
        case '[':
          items.push({ kind: 'class', cls: parseClass(cur), fold: this.flags.fold });
          break;
        case '*':
        case '+':
        case '?':
          cur.pos++;
          this.repeat(
            items,
            c === '+' ? 1 : 0,
            c === '?' ? 1 : -1,
            false,
            tokenStart,
            lastRepeatAt,
          );
          isRepeat = true;
          break;
        case '{': {
          const counts = this.parseRepeatCounts();
          if (!counts) {
            cur.pos++; // not a valid repeat: { is a literal
            items.push({ kind: 'literal', cp: 0x7b, fold: this.flags.fold });
            break;
          }
          this.repeat(items, counts.min, counts.max, true, tokenStart, lastRepeatAt);
          isRepeat = true;
          break;
        }
        case '\\':
          this.parseBackslash(items);
          break;
        default:
          items.push({ kind: 'literal', cp: cur.next(), fold: this.flags.fold });
      }
      lastRepeatAt = isRepeat ? tokenStart : -1;
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  /** `(…)`, `(?P<n>…)`, `(?<n>…)`, `(?flags:…)`; `(?flags)` changes flags and yields nothing. */
  private parseGroup(): Node | undefined {
    const cur = this.cur;
    const start = cur.pos;
    if (cur.at(1) !== '?') {
      cur.pos++;
      return this.groupBody(this.newCapture(undefined), this.flags);
    }
    const withP = cur.src.length - start > 4 && cur.at(2) === 'P' && cur.at(3) === '<';
    const withName = cur.src.length - start > 3 && cur.at(2) === '<';
    if (withP || withName) {
      const nameStart = start + (withP ? 4 : 3);
      const end = cur.src.indexOf('>', start);
      const detail = explainPerlGroup(cur.src.slice(start + 2));
      if (end < 0) throw new Re2SyntaxError(ERR.invalidNamedCapture, cur.src.slice(start), detail);
      const name = cur.src.slice(nameStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        throw new Re2SyntaxError(ERR.invalidNamedCapture, cur.src.slice(start, end + 1), detail);
      }
      cur.pos = end + 1;
      return this.groupBody(this.newCapture(name), this.flags);
    }
    cur.pos += 2;
    let flags = this.flags;
    let negate = false;
    let sawFlag = false;
    while (!cur.done) {
      const c = String.fromCodePoint(cur.next());
      const on = !negate;
      if (c === 'i') flags = { ...flags, fold: on };
      else if (c === 'm') flags = { ...flags, multiLine: on };
      else if (c === 's') flags = { ...flags, dotNL: on };
      else if (c === 'U') flags = { ...flags, nonGreedy: on };
      else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      } else if ((c === ':' || c === ')') && !(negate && !sawFlag)) {
        if (c === ':') return this.groupBody(0, flags);
        this.flags = flags; // until the enclosing group closes
        return undefined;
      } else break;
      sawFlag = true;
    }
    throw new Re2SyntaxError(
      ERR.invalidPerlOp,
      cur.src.slice(start, cur.pos),
      explainPerlGroup(cur.src.slice(start + 2)),
    );
  }

  private newCapture(name: string | undefined): number {
    this.names.push(name);
    return this.names.length - 1;
  }

  /** The body of a group and its `)`; flags inside are the group's own. */
  private groupBody(index: number, inner: Flags): Node {
    if (++this.depth > MAX_DEPTH) throw new Re2SyntaxError(ERR.nestingDepth, this.src);
    const outer = this.flags;
    this.flags = inner;
    const body = this.parseAlt();
    if (this.cur.at() !== ')') throw new Re2SyntaxError(ERR.missingParen, this.src);
    this.cur.pos++;
    this.flags = outer;
    this.depth--;
    return { kind: 'group', index, body };
  }

  private parseBackslash(items: Node[]): void {
    const cur = this.cur;
    const next = cur.at(1);
    const simple: Record<string, Node> = {
      A: { kind: 'assert', what: 'beginText' },
      z: { kind: 'assert', what: 'endText' },
      b: { kind: 'assert', what: 'wordBoundary' },
      B: { kind: 'assert', what: 'notWordBoundary' },
    };
    if (Object.hasOwn(simple, next)) {
      cur.pos += 2;
      items.push(simple[next]!);
      return;
    }
    if (next === 'Q') {
      // Everything up to \E (or the end) is literal.
      const end = cur.src.indexOf('\\E', cur.pos + 2);
      const stop = end < 0 ? cur.src.length : end;
      cur.pos += 2;
      while (cur.pos < stop) items.push({ kind: 'literal', cp: cur.next(), fold: this.flags.fold });
      cur.pos = end < 0 ? stop : end + 2;
      return;
    }
    const fold = this.flags.fold;
    if (next === 'p' || next === 'P') {
      items.push({ kind: 'class', cls: { negated: false, items: [parseUnicodeClass(cur)] }, fold });
      return;
    }
    const perl = parsePerlClass(cur);
    if (perl) {
      items.push({ kind: 'class', cls: { negated: false, items: [perl] }, fold });
      return;
    }
    items.push({ kind: 'literal', cp: parseEscape(cur), fold });
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, or undefined when `{` is not a repeat. */
  private parseRepeatCounts(): { min: number; max: number } | undefined {
    const src = this.src;
    const start = this.cur.pos;
    let i = start + 1;
    const int = (): number | undefined => {
      const m = /^(?:0(?![0-9])|[1-9][0-9]*)/.exec(src.slice(i, i + 12));
      if (!m) return undefined;
      // Go reads digits past any sane count as "too big", reported below.
      const digits = /^[0-9]*/.exec(src.slice(i))![0];
      i += digits.length;
      return digits.length > 8 ? -1 : Number(digits);
    };
    let min = int();
    if (min === undefined || i >= src.length) return undefined;
    let max = min;
    if (src[i] === ',') {
      i++;
      if (i >= src.length) return undefined;
      if (src[i] === '}') max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (m === -1) min = -1;
      }
    }
    if (src[i] !== '}') return undefined;
    this.cur.pos = i + 1;
    if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      throw new Re2SyntaxError(ERR.invalidRepeatSize, src.slice(start, i + 1));
    }
    return { min, max };
  }

  /** Applies a repetition (already consumed) to the last item. */
  private repeat(
    items: Node[],
    min: number,
    max: number,
    counted: boolean,
    start: number,
    lastRepeatAt: number,
  ): void {
    const cur = this.cur;
    let greedy = !this.flags.nonGreedy;
    if (cur.at() === '?') {
      cur.pos++;
      greedy = !greedy;
    }
    if (lastRepeatAt >= 0) {
      throw new Re2SyntaxError(
        ERR.invalidRepeatOp,
        this.src.slice(lastRepeatAt, cur.pos),
        'RE2 does not stack repetitions, nor support possessive quantifiers such as *+',
      );
    }
    const body = items.pop();
    if (body === undefined) {
      throw new Re2SyntaxError(ERR.missingRepeatArgument, this.src.slice(start, cur.pos));
    }
    const node: Node = { kind: 'repeat', min, max, greedy, counted, body };
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new Re2SyntaxError(ERR.invalidRepeatSize, this.src.slice(start, cur.pos));
    }
    items.push(node);
  }
}

/** Go's rule: nested counted repeats may not multiply past 1000 copies. */
function repeatIsValid(node: Node, n: number): boolean {
  if (node.kind === 'repeat' && node.counted) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  switch (node.kind) {
    case 'repeat':
    case 'group':
      return repeatIsValid(node.body, n);
    case 'concat':
    case 'alt':
      return node.items.every((item) => repeatIsValid(item, n));
    default:
      return true;
  }
}
