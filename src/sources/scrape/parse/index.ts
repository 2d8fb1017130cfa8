/**
 * The exposition-format parser of the scrape source: Prometheus text and
 * OpenMetrics bodies to samples keyed by their series text, the key of the
 * scrape cache, with labels parsed only for series the cache has not seen.
 */
export type { ExpositionFormat, ParseSink } from './types.js';
export { formatFromContentType } from './content-type.js';
export { ExpositionError } from './error.js';
export { parseExposition, parseExpositionBytes, parseExpositionBytesAsync } from './parse.js';
export { parseSeriesLabels } from './series-labels.js';
export { detach } from './text.js';
