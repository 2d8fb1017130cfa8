/**
 * Label sets in a body: where one ends, cheaply, on every sample line; and
 * the strict check of its syntax, for a line whose series is new.
 */
import {
  BACKSLASH,
  COMMA,
  EQUAL,
  LABEL_CHAR,
  LABEL_START,
  LF,
  QUOTE,
  RBRACE,
  SPACE,
  TAB,
  isClass,
  skipBlanks,
  skipClass,
} from './chars.js';
import { expectedAt } from './error.js';

/**
 * The index of the `}` that closes the label set opened at `brace`, found with
 * a jump or two of indexOf instead of a walk over every character (the walk
 * costs more than the rest of the line on a slow core), or -1 when that is not
 * certain; the caller then scans the line strictly.
 *
 * Certain means: the `}` follows a `"` that can only be a closing quote, or
 * follows the `{` itself. A `"` before `}` is not an escaped quote (no `\`
 * before it) and not an opening quote (no `=` or blank before it), so it
 * closes a value, and after a closing quote a `}` can only end the set. A `}`
 * after any other character is inside a value (as in `route="/{id}"`) and the
 * search goes on; one after `,` or a blank could be either, so it gives up.
 * For a valid line the answer is therefore right or -1; for an invalid one it
 * may be wrong, and the text it yields is then invalid too, and caught when
 * parseSeriesLabels meets it.
 */
export function labelSetEnd(s: string, brace: number, lineEnd: number): number {
  let close = brace;
  for (;;) {
    close = s.indexOf('}', close + 1);
    if (close === -1 || close > lineEnd) return -1;
    const before = s.charCodeAt(close - 1);
    if (before === QUOTE) {
      const c = s.charCodeAt(close - 2);
      return c === EQUAL || c === BACKSLASH || c === SPACE || c === TAB ? -1 : close;
    }
    if (close - 1 === brace) return close;
    if (before === COMMA || before === SPACE || before === TAB) return -1;
  }
}

/**
 * The strict check. `i` is just after the `{`; returns the index just after the matching `}`.
 * OpenMetrics (`strict`) allows no blanks and needs a comma between pairs;
 * the Prometheus text format allows blanks around every token and, as its
 * parser does, pairs without a comma between them. Both allow a trailing comma.
 */
export function scanLabelSet(s: string, i: number, strict: boolean): number {
  for (;;) {
    if (!strict) i = skipBlanks(s, i);
    let c = s.charCodeAt(i);
    if (c === RBRACE) return i + 1;
    if (!isClass(c, LABEL_START)) throw expectedAt(s, i, 'label name');
    i = skipClass(s, i + 1, LABEL_CHAR);
    if (!strict) i = skipBlanks(s, i);
    if (s.charCodeAt(i) !== EQUAL) throw expectedAt(s, i, 'equal');
    i++;
    if (!strict) i = skipBlanks(s, i);
    if (s.charCodeAt(i) !== QUOTE) throw expectedAt(s, i, 'label value');
    i = scanQuoted(s, i + 1);
    if (!strict) i = skipBlanks(s, i);
    c = s.charCodeAt(i);
    if (c === COMMA) i++;
    else if (strict && c !== RBRACE) throw expectedAt(s, i, 'comma or brace close');
  }
}

/**
 * `i` is just after an opening quote; returns the index just after the closing
 * one. A backslash escapes any character but a line feed; a raw line feed (or
 * the end of the text) ends the line before the value is closed.
 */
export function scanQuoted(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const next = s.charCodeAt(i + 1);
      if (next === LF || Number.isNaN(next)) throw expectedAt(s, i + 1, 'escaped character');
      i += 2;
    } else if (c === LF || Number.isNaN(c)) {
      throw expectedAt(s, i, 'closing quote of label value');
    } else {
      i++;
    }
  }
}
