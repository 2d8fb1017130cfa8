/**
 * OpenMetrics 1.0 text, line by line, as strict as Prometheus's parser: one
 * space between tokens, no blank lines, no comments but HELP, TYPE, UNIT and
 * the closing `# EOF`, after which nothing may follow. Timestamps are seconds
 * with fractions. Exemplars (` # {labels} value [timestamp]`) are checked and
 * skipped.
 *
 * As in prom-text.ts, a sample line finds the end of its series text with the
 * fast path of label-scan.ts, and the strict scanner here checks the line the
 * first time parseSeriesLabels meets its series.
 */
import { HASH, LBRACE, LF, METRIC_CHAR, METRIC_START, SPACE, isClass, skipClass } from './chars.js';
import { errorAt, expectedAt } from './error.js';
import { formatSpecial, parseFloatToken, scanDecimal, type ScanResult } from './float.js';
import { scanLabelSet } from './label-scan.js';
import { OPENMETRICS_TYPES, boundedHelp, emitMetadata, unitFitsMetric } from './metadata.js';
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

const OPENMETRICS_LINE: LineGrammar = { seriesEnd, rest };
const CHECK_OPENMETRICS_LINE = strictLineCheck(OPENMETRICS_LINE);

/**
 * `s` is the body, or a run of its whole lines, with a `\n` appended when it
 * did not end with one (so every scan stops inside the text); `bodyLength` is
 * the length before that. Only the `final` run must end with `# EOF`.
 * Returns whether `# EOF` ended the text.
 */
export function parseOpenMetrics(
  s: string,
  bodyLength: number,
  sink: ParseSink,
  final = true,
): boolean {
  const line = newSampleLine();
  const num: ScanResult = { value: 0 };
  active.body = s;
  active.check = CHECK_OPENMETRICS_LINE;
  // The next `{` at or after the current line, found once for many lines.
  let nextBrace = -1;
  let i = 0;
  while (i < bodyLength) {
    const c = s.charCodeAt(i);
    if (isClass(c, METRIC_START)) {
      const lineEnd = s.indexOf('\n', i);
      if (nextBrace < i) {
        nextBrace = s.indexOf('{', i);
        if (nextBrace === -1) nextBrace = s.length;
      }
      // A `{` after a space opens an exemplar: the series has no labels.
      const brace = s.charCodeAt(nextBrace - 1) === SPACE ? lineEnd + 1 : nextBrace;
      const next = scanSampleLine(OPENMETRICS_LINE, s, i, brace, lineEnd, line, num);
      emitSample(s, i, line, sink);
      i = next;
    } else if (c === HASH) {
      i = commentLine(s, i, sink);
      if (i === -1) return true;
    } else if (c === LBRACE) {
      scanLabelSet(s, i + 1, true);
      throw errorAt(s, i, 'metric name not set (quoted metric names are not supported)');
    } else throw expectedAt(s, i, 'metric name or "# "');
  }
  if (final) throw errorAt(s, bodyLength, 'data does not end with # EOF');
  return false;
}

/** The series text from the metric name at `i`: its label set, if any, follows the name directly. */
function seriesEnd(s: string, i: number): number {
  const nameEnd = skipClass(s, i + 1, METRIC_CHAR);
  return s.charCodeAt(nameEnd) === LBRACE ? scanLabelSet(s, nameEnd + 1, true) : nameEnd;
}

/**
 * The line after its series text: a space and the value, then optionally a
 * space and the timestamp, then optionally an exemplar, then the line end.
 * Returns the start of the next line.
 */
function rest(s: string, i: number, line: SampleLine, num: ScanResult): number {
  if (s.charCodeAt(i) !== SPACE) throw expectedAt(s, i, 'value after metric');
  i = number(s, i + 1, num, 'value after metric');
  line.value = num.value;
  line.hasTimestamp = false;
  if (s.charCodeAt(i) === SPACE) {
    if (isExemplarStart(s, i)) {
      i = exemplar(s, i + 4, num);
    } else {
      const start = i + 1;
      i = number(s, start, num, 'timestamp or exemplar');
      if (!Number.isFinite(num.value)) {
        throw errorAt(s, start, `invalid timestamp ${formatSpecial(num.value)}`);
      }
      line.hasTimestamp = true;
      // Seconds to milliseconds as Prometheus does: int64(ts * 1000) truncates.
      line.timestampMs = Math.trunc(num.value * 1000);
      if (s.charCodeAt(i) === SPACE) {
        if (!isExemplarStart(s, i)) throw expectedAt(s, i, 'next entry after timestamp');
        i = exemplar(s, i + 4, num);
      }
    }
  }
  if (s.charCodeAt(i) !== LF) throw expectedAt(s, i, 'end of line');
  return i + 1;
}

/** ` # {` at `i`. */
function isExemplarStart(s: string, i: number): boolean {
  return (
    s.charCodeAt(i + 1) === HASH && s.charCodeAt(i + 2) === SPACE && s.charCodeAt(i + 3) === LBRACE
  );
}

/**
 * A float token at `i` (up to a space or the line end); returns the index after
 * it, the value in `num`. `what` names it when it is missing.
 */
function number(s: string, i: number, num: ScanResult, what: string): number {
  const j = scanDecimal(s, i, num);
  if (j >= 0) {
    const c = s.charCodeAt(j);
    if (c === SPACE || c === LF) return j;
  }
  let end = i;
  for (let c = s.charCodeAt(end); c !== SPACE && c !== LF; c = s.charCodeAt(++end));
  if (end === i) throw expectedAt(s, i, what);
  num.value = parseFloatToken(s, i, end);
  return end;
}

/** `i` is just after ` # {`; checks the exemplar and returns the index of the line end. */
function exemplar(s: string, i: number, num: ScanResult): number {
  i = scanLabelSet(s, i, true);
  if (s.charCodeAt(i) !== SPACE) throw expectedAt(s, i, 'value after exemplar labels');
  i = number(s, i + 1, num, 'value after exemplar labels');
  if (s.charCodeAt(i) === SPACE) {
    const start = i + 1;
    i = number(s, start, num, 'exemplar timestamp');
    if (!Number.isFinite(num.value)) {
      throw errorAt(s, start, `invalid exemplar timestamp ${formatSpecial(num.value)}`);
    }
  }
  if (s.charCodeAt(i) !== LF) throw expectedAt(s, i, 'end of line after exemplar');
  return i;
}

/**
 * `#` at `i`: `# HELP`, `# TYPE`, `# UNIT` or `# EOF`. Returns the start of
 * the next line, or -1 after a `# EOF` that ends the body.
 */
function commentLine(s: string, i: number, sink: ParseSink): number {
  if (s.charCodeAt(i + 1) !== SPACE) throw expectedAt(s, i + 1, 'a space after "#"');
  const k = i + 2;
  const keyword = s.slice(k, k + 4);
  if (keyword.startsWith('EOF')) {
    // `s` ends with the `\n` after `# EOF`, present or appended.
    const after = s.charCodeAt(k + 3) !== LF ? k + 3 : k + 4 !== s.length ? k + 4 : -1;
    if (after !== -1) throw errorAt(s, after, 'unexpected data after # EOF');
    return -1;
  }
  if (
    (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') ||
    s.charCodeAt(k + 4) !== SPACE
  ) {
    throw expectedAt(s, k, 'HELP, TYPE, UNIT or EOF after "# "');
  }
  const nameStart = k + 5;
  if (!isClass(s.charCodeAt(nameStart), METRIC_START)) {
    throw expectedAt(s, nameStart, `metric name after ${keyword}`);
  }
  const nameEnd = skipClass(s, nameStart + 1, METRIC_CHAR);
  if (s.charCodeAt(nameEnd) !== SPACE) throw expectedAt(s, nameEnd, `text in ${keyword}`);
  const lineEnd = s.indexOf('\n', nameEnd);
  const name = s.slice(nameStart, nameEnd);
  const text = s.slice(nameEnd + 1, lineEnd);
  if (keyword === 'TYPE') {
    if (!OPENMETRICS_TYPES.has(text)) {
      throw errorAt(s, nameEnd + 1, `invalid metric type ${JSON.stringify(text)}`);
    }
    emitMetadata(sink, name, 'type', text);
  } else if (keyword === 'UNIT') {
    if (!unitFitsMetric(name, text)) {
      throw errorAt(
        s,
        nameEnd + 1,
        `unit ${JSON.stringify(text)} not a suffix of metric ${JSON.stringify(name)}`,
      );
    }
    emitMetadata(sink, name, 'unit', text);
  } else {
    emitMetadata(sink, name, 'help', unescape(boundedHelp(text), true));
  }
  return lineEnd + 1;
}
