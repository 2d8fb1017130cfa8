/**
 * The series text is the scrape cache's key: the same series must give the
 * same text on every scrape, whatever its values, and the fast search for
 * the end of a label set must give exactly the text the strict scan gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detach, type ExpositionFormat } from '../../../../src/sources/scrape/parse/index.js';
import { collect } from './collect.js';

const texts = (body: string, format: ExpositionFormat): string[] =>
  collect(body, format).samples.map(([text]) => text);

test('identical series give identical texts across scrapes, values and timestamps', () => {
  const series = 'http_requests_total{method="GET",route="/api/v1/{id}",code="200"}';
  const first = texts(`${series} 00000000000001\n${series} 2 1700000000000\n`, 'prometheus-text');
  const second = texts(`# HELP x y\n  ${series}\t+Inf\n${series} NaN -5\r\n`, 'prometheus-text');
  const om = texts(`${series} 1 1.5 # {trace_id="}"} 1\n# EOF\n`, 'openmetrics');
  for (const text of [...first, ...second, ...om]) assert.equal(text, series);
});

test('the text is the series as written: inner blanks kept, outer ones not', () => {
  assert.deepEqual(texts(' \ta {b = "c" ,}\t 1\n', 'prometheus-text'), ['a {b = "c" ,}']);
  assert.deepEqual(texts('a\t2\n', 'prometheus-text'), ['a']);
});

/** Label values that could fool a search for the closing brace. */
const VALUES = [
  '',
  'x',
  '}',
  '} ',
  ' }',
  '{}',
  '{id}',
  '/api/{id}/x',
  '=',
  'x=',
  ',',
  'x,',
  ' ',
  'x ',
  '#',
  ' # {',
  '} # {a=\\"b\\"} 1',
  '\\"',
  '\\"}',
  '\\\\',
  'x\\\\',
  '\\\\\\"}',
  '\\n}',
  '"}'.replace('"', '\\"'),
  'é}€',
];

test('the fast end-of-labels search agrees with the strict scan', () => {
  for (const value of VALUES) {
    for (const other of ['', ',z="}"', ',z="x="', ',z=""']) {
      const series = `m{a="${value}"${other}}`;
      for (const [format, body] of [
        ['prometheus-text', `${series} 1\n${series} 2 3\n`],
        ['openmetrics', `${series} 1\n${series} 2 3 # {e="${value}"} 4\n# EOF\n`],
      ] as const) {
        const fast = collect(body, format, 'new-series').samples;
        const strict = collect(body, format, 'every-sample').samples;
        assert.deepEqual(fast, strict, body);
        assert.deepEqual(
          fast.map(([text]) => text),
          [series, series],
          body,
        );
      }
    }
  }
});

test('an exemplar brace after a series without labels is not taken for its labels', () => {
  assert.deepEqual(texts('a_count 1 # {x="y"} 2\n# EOF\n', 'openmetrics'), ['a_count']);
});

test('detach gives an equal string', () => {
  const body = `${'x'.repeat(1000)}some_rather_long_series_text{a="b"}`;
  const slice = body.slice(1000);
  assert.equal(detach(slice), slice);
  assert.equal(detach('short'), 'short');
});
