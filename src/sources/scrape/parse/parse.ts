/** Entry point: one body, one format, every sample to the sink. */
import { LF } from './chars.js';
import { parseOpenMetrics } from './openmetrics.js';
import { parsePromText } from './prom-text.js';
import { active } from './sample-line.js';
import type { ExpositionFormat, ParseSink } from './types.js';

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
  // A final `\n` lets every scan stop at a line end instead of checking bounds.
  // Appending copies the body once, only when the exporter left it off.
  const s = body.charCodeAt(body.length - 1) === LF ? body : body + '\n';
  // A sink may itself parse another body; the outer line must survive that.
  const { body: outerBody, seriesStart, seriesText, check } = active;
  try {
    if (format === 'openmetrics') parseOpenMetrics(s, body.length, sink);
    else parsePromText(s, sink);
  } finally {
    active.body = outerBody;
    active.seriesStart = seriesStart;
    active.seriesText = seriesText;
    active.check = check;
  }
}
