/**
 * The Prometheus text format (0.0.4), line by line.
 *
 * As Prometheus's lexer: blanks (spaces, tabs) may surround every token, a
 * line may start with blanks, blank lines and `#` comments are skipped, label
 * pairs may lack the comma between them. Added here: a `\r` before the `\n`
 * ends a line too, and a timestamp may be negative (the format's int64).
 *
 * A sample line takes the fast path of label-scan.ts to find the end of its
 * series text; the label set itself is checked by the strict scanner here
 * only when parseSeriesLabels meets the text for the first time.
 */
import {
  CR,
  HASH,
  LBRACE,
  LF,
  METRIC_CHAR,
  METRIC_START,
  SPACE,
  TAB,
  isClass,
  skipBlanks,
  skipClass,
} from './chars.js';
import { errorAt, expectedAt } from './error.js';
import { parseFloatToken, scanDecimal, type ScanResult } from './float.js';
import { scanLabelSet } from './label-scan.js';
import { PROM_TYPES, boundedHelp, emitMetadata } from './metadata.js';
import {
  active,
  emitSample,
  newSampleLine,
  scanSampleLine,
  strictLineCheck,
  type LineGrammar,
  type SampleLine,
} from './sample-line.js';
import { unescape } from './text.js';
import type { ParseSink } from './types.js';

const PROM_LINE: LineGrammar = { seriesEnd, rest };
const CHECK_PROM_LINE = strictLineCheck(PROM_LINE);

/** `s` ends with `\n`, so every scan stops inside it without bounds checks. */
export function parsePromText(s: string, sink: ParseSink): void {
  const line = newSampleLine();
  const num: ScanResult = { value: 0 };
  const end = s.length;
  active.body = s;
  active.check = CHECK_PROM_LINE;
  // The next `{` at or after the current line, found once for many lines.
  let nextBrace = -1;
  let i = 0;
  while (i < end) {
    i = skipBlanks(s, i);
    const c = s.charCodeAt(i);
    if (isClass(c, METRIC_START)) {
      const lineEnd = s.indexOf('\n', i);
      if (nextBrace < i) {
        nextBrace = s.indexOf('{', i);
        if (nextBrace === -1) nextBrace = end;
      }
      const next = scanSampleLine(PROM_LINE, s, i, nextBrace, lineEnd, line, num);
      emitSample(s, i, line, sink);
      i = next;
    } else if (c === LF) i++;
    else if (c === CR && s.charCodeAt(i + 1) === LF) i += 2;
    else if (c === HASH) i = commentLine(s, i, sink);
    else if (c === LBRACE) {
      scanLabelSet(s, i + 1, false);
      throw errorAt(s, i, 'metric name not set (quoted metric names are not supported)');
    } else throw expectedAt(s, i, 'metric name, comment or blank line');
  }
}

/**
 * The series text from the metric name at `i`: blanks may stand between the
 * name and its label set.
 */
function seriesEnd(s: string, i: number): number {
  const nameEnd = skipClass(s, i + 1, METRIC_CHAR);
  const j = skipBlanks(s, nameEnd);
  return s.charCodeAt(j) === LBRACE ? scanLabelSet(s, j + 1, false) : nameEnd;
}

/** Whether a line ends at `i` (`\n`, or `\r\n`), `c` being the character there. */
function atLineEnd(s: string, c: number, i: number): boolean {
  return c === LF || (c === CR && s.charCodeAt(i + 1) === LF);
}

/** Whether a value token ends at `i`, as Prometheus's lexer sees it: at a blank, `{` or the line end. */
function isValueEnd(s: string, c: number, i: number): boolean {
  return c === SPACE || c === TAB || c === LBRACE || atLineEnd(s, c, i);
}

/**
 * The line after its series text: blanks, the value, and an optional
 * timestamp, then the line end. Returns the start of the next line.
 */
function rest(s: string, i: number, line: SampleLine, num: ScanResult): number {
  i = skipBlanks(s, i);
  let j = scanDecimal(s, i, num);
  if (j >= 0 && isValueEnd(s, s.charCodeAt(j), j)) {
    line.value = num.value;
  } else {
    j = i;
    while (!isValueEnd(s, s.charCodeAt(j), j)) j++;
    if (j === i) throw expectedAt(s, i, 'value after metric');
    line.value = parseFloatToken(s, i, j);
  }
  i = skipBlanks(s, j);
  let c = s.charCodeAt(i);
  line.hasTimestamp = !atLineEnd(s, c, i);
  if (line.hasTimestamp) {
    i = timestamp(s, i, num);
    line.timestampMs = num.value;
    i = skipBlanks(s, i);
    c = s.charCodeAt(i);
    if (!atLineEnd(s, c, i)) throw expectedAt(s, i, 'next entry after timestamp');
  }
  return c === LF ? i + 1 : i + 2;
}

/** Integer milliseconds, optionally negative; returns the index after it, the value in `num`. */
function timestamp(s: string, i: number, num: ScanResult): number {
  const start = i;
  let c = s.charCodeAt(i);
  const negative = c === 0x2d;
  if (negative) c = s.charCodeAt(++i);
  if (!(c >= 0x30 && c <= 0x39)) throw expectedAt(s, start, 'timestamp or new record');
  let ms = 0;
  while (c >= 0x30 && c <= 0x39) {
    ms = ms * 10 + (c - 0x30);
    c = s.charCodeAt(++i);
  }
  // Go's ParseInt refuses what does not fit an int64; so does Prometheus.
  if (ms >= 2 ** 63) {
    const text = JSON.stringify(s.slice(start, i));
    throw errorAt(s, start, `strconv.ParseInt: parsing ${text}: value out of range`);
  }
  num.value = negative ? 0 - ms : ms;
  return i;
}

/**
 * `#` at `i`. `# HELP name text` and `# TYPE name type` (blanks after `#` and
 * after the keyword, any number) are metadata; every other `#` line is a
 * comment. Returns the start of the next line.
 */
function commentLine(s: string, i: number, sink: ParseSink): number {
  const lineEnd = s.indexOf('\n', i);
  let c = s.charCodeAt(i + 1);
  if (c !== SPACE && c !== TAB) return lineEnd + 1;
  const k = skipBlanks(s, i + 1);
  const keyword = s.slice(k, k + 4);
  c = s.charCodeAt(k + 4);
  if ((keyword !== 'HELP' && keyword !== 'TYPE') || (c !== SPACE && c !== TAB)) {
    return lineEnd + 1;
  }
  const nameStart = skipBlanks(s, k + 4);
  if (!isClass(s.charCodeAt(nameStart), METRIC_START)) {
    throw expectedAt(s, nameStart, `metric name after ${keyword}`);
  }
  const nameEnd = skipClass(s, nameStart + 1, METRIC_CHAR);
  const textEnd = s.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
  // The lexer's text token starts with the blank after the name, which is dropped;
  // a rest of nothing but blanks lexes as blanks and leaves the text empty.
  const text = skipBlanks(s, nameEnd) >= textEnd ? '' : s.slice(nameEnd + 1, textEnd);
  const name = s.slice(nameStart, nameEnd);
  if (keyword === 'TYPE') {
    if (!PROM_TYPES.has(text)) {
      throw errorAt(s, nameEnd + 1, `invalid metric type ${JSON.stringify(text)}`);
    }
    emitMetadata(sink, name, 'type', text);
  } else {
    emitMetadata(sink, name, 'help', unescape(boundedHelp(text), false));
  }
  return lineEnd + 1;
}
