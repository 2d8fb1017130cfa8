/** Which parser a scrape response needs, from its Content-Type. */
import type { ExpositionFormat } from './types.js';

/**
 * `application/openmetrics-text` (any version, any parameters) is
 * OpenMetrics; `text/plain`, anything else, or no header at all is the
 * Prometheus text format, the fallback Prometheus uses too.
 */
export function formatFromContentType(contentType: string | undefined): ExpositionFormat {
  if (contentType === undefined) return 'prometheus-text';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus-text';
}
