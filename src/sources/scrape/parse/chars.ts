/**
 * Character classes of the exposition formats, as one lookup table: the
 * scanners test a class with one load and one mask instead of a chain of
 * range comparisons. Named char codes for the delimiters.
 */

/** First character of a metric name: [a-zA-Z_:]. */
export const METRIC_START = 1;
/** Later characters of a metric name: [a-zA-Z0-9_:]. */
export const METRIC_CHAR = 2;
/** First character of a label name: [a-zA-Z_]. */
export const LABEL_START = 4;
/** Later characters of a label name: [a-zA-Z0-9_]. */
export const LABEL_CHAR = 8;

/** Indexed by char code below 128; every other code is in no class. */
export const CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(128);
  const mark = (from: string, to: string, bits: number): void => {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) table[c] = (table[c] ?? 0) | bits;
  };
  const all = METRIC_START | METRIC_CHAR | LABEL_START | LABEL_CHAR;
  mark('a', 'z', all);
  mark('A', 'Z', all);
  mark('_', '_', all);
  mark('0', '9', METRIC_CHAR | LABEL_CHAR);
  mark(':', ':', METRIC_START | METRIC_CHAR);
  return table;
})();

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const HASH = 0x23;
export const COMMA = 0x2c;
export const EQUAL = 0x3d;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

/** Whether `c` (a char code, or NaN past the end) is in `cls`. */
export function isClass(c: number, cls: number): boolean {
  return c < 128 && ((CHAR_CLASS[c] ?? 0) & cls) !== 0;
}

/** Index after the run of `cls` characters starting at `i`. */
export function skipClass(s: string, i: number, cls: number): number {
  let c = s.charCodeAt(i);
  while (c < 128 && ((CHAR_CLASS[c] ?? 0) & cls) !== 0) c = s.charCodeAt(++i);
  return i;
}

/** Index after the spaces and tabs starting at `i`. */
export function skipBlanks(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === SPACE || c === TAB) c = s.charCodeAt(++i);
  return i;
}
