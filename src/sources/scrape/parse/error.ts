/**
 * The one error the parser throws. It carries where the body went wrong, so
 * the scrape's log line can point at the exporter's mistake.
 */
import { SignetError } from '../../../errors.js';
import { CR, LF, METRIC_CHAR, isClass } from './chars.js';

const MAX_LINE_TEXT = 100;

export class ExpositionError extends SignetError {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line. */
  readonly column: number;
  /** The offending line, cut to 100 characters. */
  readonly lineText: string;
  /** What was expected and what was found, without the position. */
  readonly detail: string;

  constructor(detail: string, line: number, column: number, lineText: string) {
    super(`line ${line}:${column}: ${detail} in ${JSON.stringify(lineText)}`, {
      hint: 'the target exposed malformed metrics; the whole scrape is discarded, as Prometheus does',
    });
    this.line = line;
    this.column = column;
    this.lineText = lineText;
    this.detail = detail;
  }
}

/**
 * Builds the error for `pos` in `text`. Line and column are counted only
 * here, so the parser's loop never pays for them.
 */
export function errorAt(text: string, pos: number, detail: string): ExpositionError {
  const at = Math.min(Math.max(pos, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = text.length;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
  const lineText = text.slice(lineStart, Math.min(lineEnd, lineStart + MAX_LINE_TEXT));
  return new ExpositionError(detail, line, at - lineStart + 1, lineText);
}

/**
 * Names what the parser found at `pos`, in the `got ...` part of a message: a
 * whole name-like token, one other character, or the end of the line.
 */
export function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  const c = text.charCodeAt(pos);
  if (c === LF || (c === CR && text.charCodeAt(pos + 1) === LF)) return 'end of line';
  if (!isClass(c, METRIC_CHAR)) return JSON.stringify(text.charAt(pos));
  let end = pos + 1;
  while (end < text.length && end - pos < 32 && isClass(text.charCodeAt(end), METRIC_CHAR)) end++;
  return JSON.stringify(text.slice(pos, end));
}

/** `expected <what>, got <what is at pos>`. */
export function expectedAt(text: string, pos: number, what: string): ExpositionError {
  return errorAt(text, pos, `expected ${what}, got ${describeAt(text, pos)}`);
}
