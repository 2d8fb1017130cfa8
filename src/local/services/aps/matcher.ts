/**
 * Label matchers (`=`, `!=`, `=~`, `!~`) as PromQL applies them: an absent
 * label has the value '', and regexes match the whole value.
 */
import { labelValue } from './series-store.js';
import type { Labels } from './series-store.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  matches(value: string): boolean;
}

/** Thrown for a regex that does not compile; the message is Prometheus-like. */
export class RegexError extends Error {
  override readonly name = 'RegexError';
}

export function newMatcher(name: string, type: MatchType, value: string): Matcher {
  switch (type) {
    case '=':
      return { name, type, value, matches: (v) => v === value };
    case '!=':
      return { name, type, value, matches: (v) => v !== value };
    case '=~': {
      const regex = anchoredRegex(value);
      return { name, type, value, matches: (v) => regex.test(v) };
    }
    case '!~': {
      const regex = anchoredRegex(value);
      return { name, type, value, matches: (v) => !regex.test(v) };
    }
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => m.matches(labelValue(labels, m.name)));
}

// RE2 spellings a JS RegExp lacks: a leading flag group such as `(?i)`, and
// named groups written `(?P<name>…)`.
const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

/**
 * Compiles a PromQL regex as Prometheus does, `^(?s:re)$`: anchored at both
 * ends, with `.` matching newlines. Plain JS RegExp syntax otherwise.
 */
export function anchoredRegex(source: string): RegExp {
  let body = source;
  let flags = 's';
  const leading = LEADING_FLAGS.exec(body);
  if (leading) {
    const requested = leading[1] ?? '';
    if (requested.includes('U')) {
      throw new RegexError(`error parsing regexp: flag U (ungreedy) is not supported: ${source}`);
    }
    if (requested.includes('i')) flags += 'i';
    if (requested.includes('m')) flags += 'm';
    body = body.slice(leading[0].length);
  }
  body = body.replaceAll('(?P<', '(?<');
  // Compiled alone first: a body such as `a)|(b` is invalid alone but valid
  // once wrapped, and wrapped it would escape the anchors.
  const reason = syntaxError(body, flags);
  if (reason !== undefined) {
    throw new RegexError(`error parsing regexp: ${reason}: ${JSON.stringify(source)}`);
  }
  // Lookaround anchors rather than ^ and $: they hold the whole value even
  // when (?m) makes ^ and $ match at line breaks inside the pattern. The u
  // flag makes `.` a code point as in RE2, but refuses escapes RE2 allows
  // (`\-`, `\:`), so it is used only where the body accepts it.
  const unicode = syntaxError(body, flags + 'u') === undefined ? 'u' : '';
  return new RegExp(`(?<![\\s\\S])(?:${body})(?![\\s\\S])`, flags + unicode);
}

/** Why a pattern does not compile, or undefined when it does. */
function syntaxError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    // V8 says "Invalid regular expression: /src/flags: reason"; keep the reason.
    return error instanceof Error ? (error.message.split(': ').pop() ?? '') : String(error);
  }
}
