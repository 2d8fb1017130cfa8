/**
 * The selector of Promtail's `match` stage: a LogQL stream selector with at
 * least one label matcher (`=`, `!=`, `=~`, `!~`), then any number of line
 * filters (`|=`, `!=`, `|~`, `!~`) that must all hold — the small grammar of
 * Promtail's clients/pkg/logentry/logql, not full LogQL (no label filters,
 * parsers or `or`). Strings are Go double-quoted strings. Label regexes are
 * anchored (`^(?s:re)$`, as Prometheus's matchers); line regexes search.
 */
import { Re2Regex, isRe2Error } from '../../relabel/re2/index.js';

export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`parse error at col ${column}: ${message}`);
    this.name = 'SelectorSyntaxError';
  }
}

export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  matches(value: string): boolean;
}

export interface LineFilter {
  readonly op: '|=' | '!=' | '|~' | '!~';
  readonly value: string;
  matches(line: string): boolean;
}

export interface Selector {
  readonly matchers: readonly LabelMatcher[];
  readonly filters: readonly LineFilter[];
  /** Whether the entry's labels (a missing one is "") and line pass every matcher and filter. */
  matches(labels: Readonly<Record<string, string>>, line: string): boolean;
}

type Token =
  | { kind: 'ident'; text: string; col: number }
  | { kind: 'string'; text: string; col: number }
  | { kind: 'op'; text: string; col: number }
  | { kind: 'eof'; col: number };

const OPS = ['!=', '=~', '!~', '|=', '|~', '=', '{', '}', ','];
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;

function unescape(src: string, start: number): { text: string; end: number } {
  let out = '';
  let i = start + 1;
  for (;;) {
    const ch = src[i];
    if (ch === undefined || ch === '\n')
      throw new SelectorSyntaxError('literal not terminated', start + 1);
    if (ch === '"') return { text: out, end: i + 1 };
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const e = src[i + 1];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
    };
    if (e !== undefined && simple[e] !== undefined) {
      out += simple[e];
      i += 2;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    let cp: number | undefined;
    let len = 0;
    if (hexLen > 0) {
      const digits = src.slice(i + 2, i + 2 + hexLen);
      if (/^[0-9a-fA-F]+$/.test(digits) && digits.length === hexLen) cp = parseInt(digits, 16);
      len = 2 + hexLen;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const digits = src.slice(i + 1, i + 4);
      if (/^[0-7]{3}$/.test(digits)) cp = parseInt(digits, 8);
      len = 4;
    }
    // \x and octal escapes are bytes in Go: above 0x7f they would not be UTF-8 text.
    const byteEscape = e === 'x' || (e !== undefined && /[0-7]/.test(e));
    if (
      cp === undefined ||
      (byteEscape && cp > 0x7f) ||
      cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff)
    )
      throw new SelectorSyntaxError(`invalid escape \\${e ?? ''} in string`, i + 1);
    out += String.fromCodePoint(cp);
    i += len;
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const col = i + 1;
    if (ch === '"') {
      const { text, end } = unescape(src, i);
      tokens.push({ kind: 'string', text, col });
      i = end;
      continue;
    }
    const cp = String.fromCodePoint(src.codePointAt(i)!);
    if (IDENT_START.test(cp)) {
      let j = i + cp.length;
      for (;;) {
        const next = src.codePointAt(j);
        if (next === undefined || !IDENT_PART.test(String.fromCodePoint(next))) break;
        j += String.fromCodePoint(next).length;
      }
      tokens.push({ kind: 'ident', text: src.slice(i, j), col });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new SelectorSyntaxError(`unexpected ${JSON.stringify(cp)}`, col);
    tokens.push({ kind: 'op', text: op, col });
    i += op.length;
  }
  tokens.push({ kind: 'eof', col: src.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of selector' : `${JSON.stringify(token.text)}`;
}

function compile(pattern: string, col: number): Re2Regex {
  try {
    return new Re2Regex(pattern);
  } catch (err) {
    if (!isRe2Error(err)) throw err;
    throw new SelectorSyntaxError(err.message, col);
  }
}

function labelMatcher(
  name: string,
  op: LabelMatcher['op'],
  value: string,
  col: number,
): LabelMatcher {
  if (op === '=') return { name, op, value, matches: (v) => v === value };
  if (op === '!=') return { name, op, value, matches: (v) => v !== value };
  const re = compile(`^(?s:${value})$`, col);
  return op === '=~'
    ? { name, op, value, matches: (v) => re.test(v) }
    : { name, op, value, matches: (v) => !re.test(v) };
}

function lineFilter(op: LineFilter['op'], value: string, col: number): LineFilter {
  if (op === '|=') return { op, value, matches: (line) => line.includes(value) };
  if (op === '!=') return { op, value, matches: (line) => !line.includes(value) };
  const re = compile(value, col);
  return op === '|~'
    ? { op, value, matches: (line) => re.test(line) }
    : { op, value, matches: (line) => !re.test(line) };
}

/** Parses and compiles a selector; throws SelectorSyntaxError with the column at fault. */
export function parseSelector(src: string): Selector {
  const tokens = tokenize(src);
  let pos = 0;
  const next = (): Token => tokens[pos++]!;
  const expect = (want: string): Token => {
    const t = next();
    if (t.kind !== 'op' || t.text !== want)
      throw new SelectorSyntaxError(
        `expected ${JSON.stringify(want)}, found ${describe(t)}`,
        t.col,
      );
    return t;
  };
  expect('{');
  const matchers: LabelMatcher[] = [];
  for (;;) {
    const name = next();
    if (name.kind !== 'ident')
      throw new SelectorSyntaxError(`expected a label name, found ${describe(name)}`, name.col);
    const op = next();
    if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text))
      throw new SelectorSyntaxError(`expected =, !=, =~ or !~, found ${describe(op)}`, op.col);
    const value = next();
    if (value.kind !== 'string')
      throw new SelectorSyntaxError(
        `expected a double-quoted string, found ${describe(value)}`,
        value.col,
      );
    matchers.push(labelMatcher(name.text, op.text as LabelMatcher['op'], value.text, value.col));
    const sep = next();
    if (sep.kind === 'op' && sep.text === '}') break;
    if (sep.kind !== 'op' || sep.text !== ',')
      throw new SelectorSyntaxError(`expected "," or "}", found ${describe(sep)}`, sep.col);
  }
  const filters: LineFilter[] = [];
  for (;;) {
    const op = next();
    if (op.kind === 'eof') break;
    if (op.kind !== 'op' || !['|=', '!=', '|~', '!~'].includes(op.text))
      throw new SelectorSyntaxError(
        `expected a line filter (|=, !=, |~, !~), found ${describe(op)}`,
        op.col,
      );
    const value = next();
    if (value.kind !== 'string')
      throw new SelectorSyntaxError(
        `expected a double-quoted string, found ${describe(value)}`,
        value.col,
      );
    filters.push(lineFilter(op.text as LineFilter['op'], value.text, value.col));
  }
  return {
    matchers,
    filters,
    matches(labels, line) {
      for (const m of matchers) if (!m.matches(labels[m.name] ?? '')) return false;
      for (const f of filters) if (!f.matches(line)) return false;
      return true;
    },
  };
}
