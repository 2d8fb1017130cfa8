/**
 * The part of CloudWatch Logs filter pattern syntax this stand-in matches:
 * the empty pattern (everything), plain terms and "quoted phrases", all of
 * which must appear in the message, case-sensitively. The rest of AWS's
 * syntax (?OR terms, -exclusions, JSON `{ }`, space-delimited `[ ]`,
 * `%regex%`) is refused by name instead of being matched wrongly, so a test
 * can never pass here on a pattern that behaves differently against AWS.
 */
import { ServiceError } from '../../service.js';

export type Matcher = (message: string) => boolean;

function unsupported(what: string, pattern: string): ServiceError {
  return new ServiceError(
    'InvalidParameterException',
    `Invalid filter pattern '${pattern}': ${what} are not supported by signet local ` +
      '(it matches only plain terms and quoted phrases).',
  );
}

/** Syntax AWS has that is not emulated, by its first character. */
const UNSUPPORTED_START: Readonly<Record<string, string>> = {
  '{': 'JSON filter patterns ({ … })',
  '[': 'space-delimited filter patterns ([ … ])',
  '%': 'regular expression patterns (%…%)',
  '?': 'OR terms (?term)',
  '-': 'exclusion terms (-term)',
};

/** AWS: "Terms that include characters other than alphanumeric and underscore must be quoted." */
const PLAIN_TERM = /^\w+$/;

/** Reads a "quoted phrase" starting at `start` (the opening quote); `\"` and `\\` escape. */
function readQuoted(pattern: string, start: number): { phrase: string; end: number } {
  let phrase = '';
  for (let i = start + 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      phrase += pattern[i + 1];
      i++;
    } else if (c === '"') {
      return { phrase, end: i + 1 };
    } else {
      phrase += c;
    }
  }
  throw new ServiceError(
    'InvalidParameterException',
    `Invalid filter pattern '${pattern}': a quoted phrase is not closed.`,
  );
}

/** The terms a pattern requires, or an InvalidParameterException naming what is not supported. */
export function parseFilterPattern(pattern: string): string[] {
  const terms: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const { phrase, end } = readQuoted(pattern, i);
      terms.push(phrase);
      i = end;
      continue;
    }
    const what = UNSUPPORTED_START[c];
    if (what !== undefined) throw unsupported(what, pattern);
    let end = i;
    while (end < pattern.length && !/\s/.test(pattern[end] ?? '')) end++;
    const term = pattern.slice(i, end);
    if (!PLAIN_TERM.test(term)) {
      throw new ServiceError(
        'InvalidParameterException',
        `Invalid filter pattern '${pattern}': the term '${term}' has characters other than ` +
          'letters, digits and underscore, so it must be in double quotes.',
      );
    }
    terms.push(term);
    i = end;
  }
  return terms;
}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const terms = parseFilterPattern(pattern ?? '');
  return (message) => terms.every((term) => message.includes(term));
}
