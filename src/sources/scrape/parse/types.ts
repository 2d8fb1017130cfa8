/** The parser's public types: formats and the sink that receives what a body holds. */

export type ExpositionFormat = 'prometheus-text' | 'openmetrics';

export interface ParseSink {
  /**
   * One sample. `seriesText` is the exact text of the series part of the line
   * (metric name plus `{...}` if present, blanks inside the braces as written),
   * the key of the scrape cache: identical lines give identical texts.
   *
   * A text the sink has not seen before must go through parseSeriesLabels
   * before this call returns (the cache needs its labels anyway): that call
   * checks the label set and its whole line, and throws ExpositionError
   * placed in the body. This is
   * how a line costs a slice and a lookup once its series is cached; a sink
   * that never calls it gets every line checked except its label set.
   *
   * `seriesText` is a view into the body: a cache that keeps it must keep
   * `detach(seriesText)`, or every body that brought a new series stays in
   * memory. `value` is the parsed float (NaN, +Inf and -Inf included; a
   * scraped NaN is an ordinary NaN, never the staleness marker).
   * `timestampMs` is the line's timestamp in milliseconds (OpenMetrics
   * seconds are converted, truncated toward zero as Prometheus does), or
   * undefined when the line has none.
   */
  sample(seriesText: string, value: number, timestampMs: number | undefined): void;
  /**
   * Optional: `# TYPE name type`, `# HELP name text` (escapes resolved) and,
   * in OpenMetrics, `# UNIT name unit`. The strings are safe to keep.
   */
  metadata?(name: string, kind: 'type' | 'help' | 'unit', text: string): void;
}
