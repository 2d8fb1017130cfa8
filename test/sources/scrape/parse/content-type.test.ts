import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFromContentType } from '../../../../src/sources/scrape/parse/index.js';

test('OpenMetrics only for application/openmetrics-text; everything else is the text format', () => {
  const cases: ReadonlyArray<readonly [string | undefined, string]> = [
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text ;version=0.0.1', 'openmetrics'],
    ['  application/openmetrics-text  ', 'openmetrics'],
    ['text/plain; version=0.0.4; charset=utf-8', 'prometheus-text'],
    ['text/plain', 'prometheus-text'],
    ['application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily', 'prometheus-text'],
    ['application/json', 'prometheus-text'],
    ['', 'prometheus-text'],
    [undefined, 'prometheus-text'],
  ];
  for (const [header, format] of cases) assert.equal(formatFromContentType(header), format, header);
});
