/**
 * doublestar (v4) patterns, as Promtail's `__path__` takes them: checking,
 * compiling and matching a path, with no file system access (globs.ts walks
 * the directories). See globs.ts for the syntax and where Signet differs.
 */
import { SignetError } from '../../errors.js';

const MAX_ALTERNATIVES = 4096;

export class GlobPatternError extends SignetError {
  constructor(
    readonly pattern: string,
    problem: string,
  ) {
    super(`glob ${JSON.stringify(pattern)}: ${problem}`, {
      hint: 'check the __path__ / __path_exclude__ pattern: doublestar syntax is *, **, ?, [class], {a,b}, and \\ to escape',
    });
  }
}

export type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'globstar' }
  | { readonly kind: 'pattern'; readonly regex: RegExp };

/** One alternative of a pattern, split into path segments; `absolute` when it starts at `/`. */
export interface Alternative {
  readonly absolute: boolean;
  readonly segments: readonly Segment[];
}

export interface CompiledGlob {
  readonly pattern: string;
  /** Whether `path` matches, as doublestar.Match (no file system access, no cleaning of `path`). */
  match(path: string): boolean;
}

/** Checks and compiles a pattern; throws GlobPatternError when doublestar would say ErrBadPattern. */
export function compileGlob(pattern: string): CompiledGlob {
  const alternatives = expandBraces(pattern).map((alt) => compileAlternative(pattern, alt, false));
  return {
    pattern,
    match(path: string): boolean {
      const absolute = path.startsWith('/');
      const names = (absolute ? path.slice(1) : path).split('/');
      return alternatives.some(
        (alt) => alt.absolute === absolute && matchSegments(alt.segments, 0, names, 0),
      );
    },
  };
}

export function matchGlob(pattern: string, path: string): boolean {
  return compileGlob(pattern).match(path);
}

function matchSegments(
  segments: readonly Segment[],
  si: number,
  names: readonly string[],
  ni: number,
): boolean {
  while (si < segments.length) {
    const segment = segments[si]!;
    if (segment.kind === 'globstar') {
      // Zero or more whole names; a trailing `**` takes all that is left (and nothing).
      if (si === segments.length - 1) return true;
      if (ni === names.length) return zeroLength(segments, si);
      for (let skip = ni; skip <= names.length; skip++)
        if (matchSegments(segments, si + 1, names, skip)) return true;
      return false;
    }
    if (ni >= names.length) return false;
    const name = names[ni]!;
    if (segment.kind === 'literal' ? segment.text !== name : !segment.regex.test(name))
      return false;
    si++;
    ni++;
  }
  return ni === names.length;
}

/** Whether the rest of a pattern can match nothing at all: a lone globstar, or one before a trailing slash (doublestar's isZeroLengthPattern). */
function zeroLength(segments: readonly Segment[], si: number): boolean {
  const rest = segments.length - si;
  const next = segments[si + 1];
  const trailingSlash = next?.kind === 'literal' && next.text === '';
  return segments[si]!.kind === 'globstar' && (rest === 1 || (rest === 2 && trailingSlash));
}

/** Go's filepath.Clean on a pattern: `//` and `.` dropped, `..` applied lexically, no trailing `/`. */
export function cleanPattern(pattern: string): string {
  if (pattern === '') return '.';
  const absolute = pattern.startsWith('/');
  const out: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}

/** `{a,b}` alternatives expanded (nested too); an unclosed `{` is a bad pattern, a stray `}` a literal. */
export function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open === -1) return [pattern];
  const close = matchingBrace(pattern, open);
  if (close === -1) throw new GlobPatternError(pattern, 'a { has no closing }');
  const options: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      options.push(pattern.slice(from, i));
      from = i + 1;
    }
  }
  options.push(pattern.slice(from, close));
  const before = pattern.slice(0, open);
  const out: string[] = [];
  for (const rest of expandBraces(pattern.slice(close + 1)))
    for (const option of options)
      for (const inner of expandBraces(option)) {
        out.push(before + inner + rest);
        if (out.length > MAX_ALTERNATIVES)
          throw new GlobPatternError(
            pattern,
            `expands to more than ${MAX_ALTERNATIVES} alternatives`,
          );
      }
  return out;
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

export function compileAlternative(original: string, alt: string, clean: boolean): Alternative {
  const text = clean ? cleanPattern(alt) : alt;
  const absolute = text.startsWith('/');
  const parts = splitUnescaped(absolute ? text.slice(1) : text);
  const segments = parts.map((part) => compileSegment(original, part));
  return { absolute, segments };
}

function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '/') {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

function compileSegment(original: string, part: string): Segment {
  if (part === '**') return { kind: 'globstar' };
  let regex = '';
  let literal = '';
  let isLiteral = true;
  const chars = [...part];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) throw new GlobPatternError(original, 'ends with a lone \\');
      regex += codePoint(next);
      literal += next;
    } else if (c === '*') {
      while (chars[i + 1] === '*') i++;
      regex += '.*';
      isLiteral = false;
    } else if (c === '?') {
      regex += '.';
      isLiteral = false;
    } else if (c === '[') {
      const [cls, end] = compileClass(original, chars, i + 1);
      regex += cls;
      i = end;
      isLiteral = false;
    } else {
      regex += codePoint(c);
      literal += c;
    }
  }
  if (isLiteral) return { kind: 'literal', text: literal };
  return { kind: 'pattern', regex: new RegExp(`^${regex}$`, 'su') };
}

/** `[…]` from just after `[`: the regex class and the index of the closing `]`. */
function compileClass(original: string, chars: readonly string[], from: number): [string, number] {
  let i = from;
  const negate = chars[i] === '!' || chars[i] === '^';
  if (negate) i++;
  if (i >= chars.length || chars[i] === ']')
    throw new GlobPatternError(original, 'has an empty or unclosed [ ] class');
  const members: string[] = [];
  while (i < chars.length && chars[i] !== ']') {
    let low = chars[i++]!;
    if (low === '\\') {
      low = chars[i++] ?? '';
      if (low === '') break;
    }
    if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
      i++;
      let high = chars[i++]!;
      if (high === '\\') high = chars[i++] ?? '';
      if (high === '') break;
      // doublestar matches nothing for a reversed range; RegExp would refuse it.
      if (low.codePointAt(0)! <= high.codePointAt(0)!)
        members.push(`${codePoint(low)}-${codePoint(high)}`);
      continue;
    }
    members.push(codePoint(low));
  }
  if (i >= chars.length) throw new GlobPatternError(original, 'has an unclosed [ ] class');
  const body = members.join('');
  if (body === '') return [negate ? '.' : '(?!)', i];
  return [`[${negate ? '^' : ''}${body}]`, i];
}

function codePoint(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
