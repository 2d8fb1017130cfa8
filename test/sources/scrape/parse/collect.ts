/**
 * A sink that behaves like the scrape cache (labels parsed the first time a
 * series text is seen) and records what it is given, for the parser's tests.
 */
import type { Label } from '../../../../src/model/labels.js';
import {
  ExpositionError,
  parseExposition,
  parseSeriesLabels,
  type ExpositionFormat,
  type ParseSink,
} from '../../../../src/sources/scrape/parse/index.js';

/** One sample as the tests spell it: series text, value, timestamp (ms) if any. */
export type Sample = readonly [string, number, number?];
export type Metadata = readonly [string, 'type' | 'help' | 'unit', string];

export interface Collected {
  readonly samples: Sample[];
  readonly meta: Metadata[];
  readonly labels: Map<string, Label[]>;
}

export type LabelPolicy = 'new-series' | 'every-sample' | 'never';

/**
 * `new-series` calls parseSeriesLabels as the scrape cache does; `every-sample`
 * on every line, which makes every line take the strict scan; `never` not at all.
 */
export function recordingSink(policy: LabelPolicy = 'new-series'): ParseSink & Collected {
  const samples: Sample[] = [];
  const meta: Metadata[] = [];
  const labels = new Map<string, Label[]>();
  return {
    samples,
    meta,
    labels,
    sample(seriesText, value, timestampMs) {
      if (policy === 'every-sample' || (policy === 'new-series' && !labels.has(seriesText))) {
        labels.set(seriesText, parseSeriesLabels(seriesText));
      }
      samples.push(
        timestampMs === undefined ? [seriesText, value] : [seriesText, value, timestampMs],
      );
    },
    metadata(name, kind, text) {
      meta.push([name, kind, text]);
    },
  };
}

export function collect(
  body: string,
  format: ExpositionFormat,
  policy: LabelPolicy = 'new-series',
): Collected {
  const sink = recordingSink(policy);
  parseExposition(body, format, sink);
  return sink;
}

/** The error a body fails with, as `line:column: detail`; throws if it parses, or fails otherwise. */
export function failure(
  body: string,
  format: ExpositionFormat,
  policy: LabelPolicy = 'new-series',
): string {
  try {
    parseExposition(body, format, recordingSink(policy));
  } catch (e) {
    if (e instanceof ExpositionError) return `${e.line}:${e.column}: ${e.detail}`;
    throw e;
  }
  throw new Error(`parsed without error: ${JSON.stringify(body)}`);
}
