/**
 * What one sample line yields, and the line being handed to the sink right
 * now. The second is how the parser checks a label set only the first time
 * its series is seen: a cached series text was valid when it entered the
 * cache, and a new one reaches parseSeriesLabels, which then checks its
 * whole line with the format's strict scanner before building labels.
 *
 * Also the part of a sample line both text formats scan alike: the fast path
 * to the series end, falling back to the strict scan, and handing the sample
 * to the sink. What differs per format is a LineGrammar.
 */
import { METRIC_CHAR, skipClass } from './chars.js';
import type { ScanResult } from './float.js';
import { labelSetEnd } from './label-scan.js';
import type { ParseSink } from './types.js';

/** Filled by a line scanner; one per parse, reused for every line so lines allocate nothing. */
export interface SampleLine {
  seriesEnd: number;
  value: number;
  hasTimestamp: boolean;
  /** Meaningful only when hasTimestamp; kept a number so the field stays unboxed. */
  timestampMs: number;
}

export function newSampleLine(): SampleLine {
  return { seriesEnd: 0, value: 0, hasTimestamp: false, timestampMs: 0 };
}

/**
 * Scans the sample line whose series starts at `seriesStart` with every check
 * of its format, throwing ExpositionError at the first fault; returns where
 * the series text ends.
 */
export type StrictLineCheck = (body: string, seriesStart: number) => number;

export interface ActiveLine {
  body: string;
  seriesStart: number;
  seriesText: string;
  check: StrictLineCheck | undefined;
}

/** The single active line (parsing is synchronous, so one slot is enough). */
export const active: ActiveLine = { body: '', seriesStart: 0, seriesText: '', check: undefined };

/** What a text format says of a sample line beyond its series text's shape. */
export interface LineGrammar {
  /**
   * The strict scan of the series text from the metric name at `i`: where it
   * ends (after the label set, if any). Throws ExpositionError at a fault.
   */
  readonly seriesEnd: (s: string, i: number) => number;
  /**
   * The line after its series text (value, timestamp, what else the format
   * allows), into `line`; returns the start of the next line. Throws
   * ExpositionError at a fault.
   */
  readonly rest: (s: string, i: number, line: SampleLine, num: ScanResult) => number;
}

/**
 * The sample line whose metric name is at `i`, into `line`; returns the start
 * of the next line. `brace` is the `{` opening its label set, or any index
 * past `lineEnd` when it has none. The series end is found by the fast path
 * (label-scan.ts) and checked strictly only when that line fails.
 */
export function scanSampleLine(
  grammar: LineGrammar,
  s: string,
  i: number,
  brace: number,
  lineEnd: number,
  line: SampleLine,
  num: ScanResult,
): number {
  if (brace > lineEnd) {
    line.seriesEnd = skipClass(s, i + 1, METRIC_CHAR);
    return grammar.rest(s, line.seriesEnd, line, num);
  }
  const close = labelSetEnd(s, brace, lineEnd);
  const next = close === -1 ? -1 : restAfterFastPath(grammar, s, close + 1, line, num);
  if (next === -1) return strictLine(grammar, s, i, line, num);
  line.seriesEnd = close + 1;
  return next;
}

/** Hands the sample scanned into `line` to the sink, as the active line. */
export function emitSample(
  s: string,
  seriesStart: number,
  line: SampleLine,
  sink: ParseSink,
): void {
  const seriesText = s.slice(seriesStart, line.seriesEnd);
  active.seriesStart = seriesStart;
  active.seriesText = seriesText;
  sink.sample(seriesText, line.value, line.hasTimestamp ? line.timestampMs : undefined);
}

/** The format's strict check of a whole line, for parseSeriesLabels (see `active`). */
export function strictLineCheck(grammar: LineGrammar): StrictLineCheck {
  return (s, seriesStart) => {
    const line = newSampleLine();
    strictLine(grammar, s, seriesStart, line, { value: 0 });
    return line.seriesEnd;
  };
}

/**
 * `rest` after a series end found by the fast path, or -1 when the line fails
 * there: the strict scan then names the fault as it sees it, since a wrong
 * guess at the series end would blame the wrong token.
 */
function restAfterFastPath(
  grammar: LineGrammar,
  s: string,
  i: number,
  line: SampleLine,
  num: ScanResult,
): number {
  try {
    return grammar.rest(s, i, line, num);
  } catch {
    return -1;
  }
}

/** Every check on a sample line at `i` (the metric name); returns the start of the next line. */
function strictLine(
  grammar: LineGrammar,
  s: string,
  i: number,
  line: SampleLine,
  num: ScanResult,
): number {
  line.seriesEnd = grammar.seriesEnd(s, i);
  return grammar.rest(s, line.seriesEnd, line, num);
}
