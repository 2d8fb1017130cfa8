/** Entry point: one body, one format, every sample to the sink. */
import { LF } from './chars.js';
import { ExpositionError } from './error.js';
import { parseOpenMetrics } from './openmetrics.js';
import { parsePromText } from './prom-text.js';
import { active } from './sample-line.js';
import type { ExpositionFormat, ParseSink } from './types.js';
import { checkUtf8 } from './utf8.js';

/**
 * Parses a whole body. Throws ExpositionError at the first malformed line,
 * naming line:column and what was expected. Samples before that line have
 * already reached the sink; the caller discards the scrape, as Prometheus
 * fails the whole scrape.
 *
 * Label sets are checked when parseSeriesLabels meets a series text for the
 * first time (see ParseSink.sample): a sink that never calls it gets every
 * line checked but its label set.
 */
export function parseExposition(body: string, format: ExpositionFormat, sink: ParseSink): void {
  parseText(body, format, sink, true);
}

/**
 * parseExposition of a whole body (`final`) or of a run of whole lines of
 * one; returns whether an OpenMetrics `# EOF` ended the text.
 */
function parseText(
  body: string,
  format: ExpositionFormat,
  sink: ParseSink,
  final: boolean,
): boolean {
  // A final `\n` lets every scan stop at a line end instead of checking bounds.
  // Appending copies the body once, only when the exporter left it off.
  const s = body.charCodeAt(body.length - 1) === LF ? body : body + '\n';
  // A sink may itself parse another body; the outer line must survive that.
  const { body: outerBody, seriesStart, seriesText, check } = active;
  try {
    if (format === 'openmetrics') return parseOpenMetrics(s, body.length, sink, final);
    parsePromText(s, sink);
    return false;
  } finally {
    active.body = outerBody;
    active.seriesStart = seriesStart;
    active.seriesText = seriesText;
    active.check = check;
  }
}

/** Below V8's large-object threshold (128 KiB): such strings die young, in a cheap scavenge. */
const CHUNK_BYTES = 64 * 1024;

/**
 * How much the async parse reads between two turns of the event loop: about
 * 1,400 lines of a typical exporter, a few milliseconds of parsing, so the
 * agent's own HTTP server and other targets' scrapes keep answering while a
 * page of a million series is parsed.
 */
const YIELD_EVERY_BYTES = 4 * CHUNK_BYTES;

/**
 * Parses a body as received, in bytes. A text-format body is decoded and
 * parsed a run of whole lines at a time, each run under CHUNK_BYTES: decoding
 * a whole page into one string put every scrape's body in V8's large-object
 * space, which only a full mark-compact frees — at 10 scrapes a second that
 * was a full collection of the heap every second, half of the agent's CPU.
 * Lines are independent in both formats but for OpenMetrics's closing
 * `# EOF`, so the result is the same; errors name the line in the whole
 * body. Invalid UTF-8 is refused (utf8.ts).
 */
export function parseExpositionBytes(
  bytes: Buffer,
  format: ExpositionFormat,
  sink: ParseSink,
): void {
  let start = 0;
  do start = parseRun(bytes, start, format, sink);
  while (start < bytes.length);
}

/**
 * parseExpositionBytes, giving the event loop a turn every YIELD_EVERY_BYTES:
 * what the scrape loop uses, so one huge page does not stall the process.
 */
export async function parseExpositionBytesAsync(
  bytes: Buffer,
  format: ExpositionFormat,
  sink: ParseSink,
): Promise<void> {
  let sinceYield = 0;
  let start = 0;
  do {
    const end = parseRun(bytes, start, format, sink);
    sinceYield += end - start;
    start = end;
    if (sinceYield >= YIELD_EVERY_BYTES && start < bytes.length) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } while (start < bytes.length);
}

/** Parses the run of whole lines from `start`; returns its end. */
function parseRun(bytes: Buffer, start: number, format: ExpositionFormat, sink: ParseSink): number {
  const end = runEnd(bytes, start);
  const final = end === bytes.length;
  checkUtf8(bytes, start, end, format);
  let ended: boolean;
  try {
    ended = parseText(bytes.toString('utf8', start, end), format, sink, final);
  } catch (error) {
    if (!(error instanceof ExpositionError) || start === 0) throw error;
    const before = linesBefore(bytes, start);
    throw new ExpositionError(error.detail, error.line + before, error.column, error.lineText);
  }
  if (ended && !final) {
    // `# EOF` closed this run, yet more lines follow.
    const lineEnd = bytes.indexOf(LF, end);
    const text = bytes.toString(
      'utf8',
      end,
      Math.min(lineEnd === -1 ? bytes.length : lineEnd, end + 100),
    );
    throw new ExpositionError('unexpected data after # EOF', linesBefore(bytes, end) + 1, 1, text);
  }
  return end;
}

function linesBefore(bytes: Buffer, at: number): number {
  let lines = 0;
  for (let i = bytes.indexOf(LF); i !== -1 && i < at; i = bytes.indexOf(LF, i + 1)) lines++;
  return lines;
}

/** The end of the run from `start`: after its last line end under CHUNK_BYTES, or after one long line. */
function runEnd(bytes: Buffer, start: number): number {
  const end = Math.min(start + CHUNK_BYTES, bytes.length);
  if (end === bytes.length) return end;
  // Cut after the last line end in the run (a `\n` never sits inside a UTF-8 sequence).
  const cut = bytes.lastIndexOf(LF, end - 1);
  if (cut >= start) return cut + 1;
  const next = bytes.indexOf(LF, end);
  return next === -1 ? bytes.length : next + 1;
}
