/**
 * Valid OpenMetrics bodies and the samples and metadata they yield. The first
 * body is Prometheus's own TestOpenMetricsParse input
 * (openmetricsparse_test.go): `_created` lines are ordinary samples here, and
 * exemplars are skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, type Metadata, type Sample } from './collect.js';

const PROMETHEUS_INPUT = `# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# TYPE go_gc_duration_seconds summary
# UNIT go_gc_duration_seconds seconds
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.25"} 7.424100000000001e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
# HELP nohelp1 
# HELP help2 escape \\ \\n \\\\ \\" \\x chars
# UNIT nounit 
go_gc_duration_seconds{quantile="1.0",a="b"} 8.3835e-05
go_gc_duration_seconds_count 99
some:aggregate:rate5m{a_b="c"} 1
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 33 123.123
# TYPE hh histogram
hh_bucket{le="+Inf"} 1
# TYPE gh gaugehistogram
gh_bucket{le="+Inf"} 1
# TYPE hhh histogram
hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
hhh_count 1 # {id="histogram-count-test"} 4
# TYPE ggh gaugehistogram
ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
ggh_count 1 # {id="gaugehistogram-count-test",xx="yy"} 4 123.123
# TYPE smr_seconds summary
smr_seconds_count 2.0 # {id="summary-count-test"} 1 123.321
smr_seconds_sum 42.0 # {id="summary-sum-test"} 1 123.321
# TYPE ii info
ii{foo="bar"} 1
# TYPE ss stateset
ss{ss="foo"} 1
ss{ss="bar"} 0
ss{A="a"} 0
# TYPE un unknown
_metric_starting_with_underscore 1
testmetric{_label_starting_with_underscore="foo"} 1
testmetric{label="\\"bar\\""} 1
# HELP foo Counter with and without labels to certify ST is parsed for both cases
# TYPE foo counter
foo_total 17.0 1520879607.789 # {id="counter-test"} 5
foo_created 1520872607.123
foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
foo_created{a="b"} 1520872607.123
# HELP nansum Summary with NaN value
# TYPE nansum summary
nansum_count 0
nansum{quantile="0.99"} NaN
# HELP metric foo\x00bar
null_byte_metric{a="abc\x00"} 1
# EOF
`;

test("Prometheus's TestOpenMetricsParse input", () => {
  const got = collect(PROMETHEUS_INPUT, 'openmetrics');
  const nan = got.samples.find(([text]) => text === 'nansum{quantile="0.99"}');
  assert.ok(nan !== undefined && Number.isNaN(nan[1]));
  const samples: Sample[] = [
    ['go_gc_duration_seconds{quantile="0"}', 4.9351e-5],
    ['go_gc_duration_seconds{quantile="0.25"}', 7.424100000000001e-5],
    ['go_gc_duration_seconds{quantile="0.5",a="b"}', 8.3835e-5],
    ['go_gc_duration_seconds{quantile="1.0",a="b"}', 8.3835e-5],
    ['go_gc_duration_seconds_count', 99],
    ['some:aggregate:rate5m{a_b="c"}', 1],
    ['go_goroutines', 33, 123123],
    ['hh_bucket{le="+Inf"}', 1],
    ['gh_bucket{le="+Inf"}', 1],
    ['hhh_bucket{le="+Inf"}', 1],
    ['hhh_count', 1],
    ['ggh_bucket{le="+Inf"}', 1],
    ['ggh_count', 1],
    ['smr_seconds_count', 2],
    ['smr_seconds_sum', 42],
    ['ii{foo="bar"}', 1],
    ['ss{ss="foo"}', 1],
    ['ss{ss="bar"}', 0],
    ['ss{A="a"}', 0],
    ['_metric_starting_with_underscore', 1],
    ['testmetric{_label_starting_with_underscore="foo"}', 1],
    ['testmetric{label="\\"bar\\""}', 1],
    ['foo_total', 17, 1520879607789],
    ['foo_created', 1520872607.123],
    ['foo_total{a="b"}', 17, 1520879607789],
    ['foo_created{a="b"}', 1520872607.123],
    ['nansum_count', 0],
    ['null_byte_metric{a="abc\x00"}', 1],
  ];
  assert.deepEqual(
    got.samples.filter((s) => s !== nan),
    samples,
  );
  const metadata: Metadata[] = [
    ['go_gc_duration_seconds', 'help', 'A summary of the GC invocation durations.'],
    ['go_gc_duration_seconds', 'type', 'summary'],
    ['go_gc_duration_seconds', 'unit', 'seconds'],
    ['nohelp1', 'help', ''],
    ['help2', 'help', 'escape \\ \n \\ " \\x chars'],
    ['nounit', 'unit', ''],
    ['go_goroutines', 'help', 'Number of goroutines that currently exist.'],
    ['go_goroutines', 'type', 'gauge'],
    ['hh', 'type', 'histogram'],
    ['gh', 'type', 'gaugehistogram'],
    ['hhh', 'type', 'histogram'],
    ['ggh', 'type', 'gaugehistogram'],
    ['smr_seconds', 'type', 'summary'],
    ['ii', 'type', 'info'],
    ['ss', 'type', 'stateset'],
    ['un', 'type', 'unknown'],
    ['foo', 'help', 'Counter with and without labels to certify ST is parsed for both cases'],
    ['foo', 'type', 'counter'],
    ['nansum', 'help', 'Summary with NaN value'],
    ['nansum', 'type', 'summary'],
    ['metric', 'help', 'foo\x00bar'],
  ];
  assert.deepEqual(got.meta, metadata);
});

/** [what, body, samples] */
const CASES: ReadonlyArray<readonly [string, string, readonly Sample[]]> = [
  ['only # EOF', '# EOF\n', []],
  ['# EOF without its newline', 'a 1\n# EOF', [['a', 1]]],
  [
    'timestamps in seconds with fractions',
    'a 1 1.5\nb 2 -0.25\nc 3 1e3\n# EOF\n',
    [
      ['a', 1, 1500],
      ['b', 2, -250],
      ['c', 3, 1e6],
    ],
  ],
  [
    'sub-millisecond timestamps truncate toward zero',
    'a 1 1.0009\nb 1 -1.0009\n# EOF\n',
    [
      ['a', 1, 1000],
      ['b', 1, -1000],
    ],
  ],
  [
    'an exemplar with a timestamp after the sample timestamp',
    'a_bucket{le="1"} 2 3 # {t="x"} 1 4\n# EOF\n',
    [['a_bucket{le="1"}', 2, 3000]],
  ],
  ['an exemplar on a series without labels', 'a_count 1 # {t="x"} 1\n# EOF\n', [['a_count', 1]]],
  ['an exemplar with no labels', 'a_count 1 # {} 1\n# EOF\n', [['a_count', 1]]],
  [
    'braces and hashes inside values',
    'a{b="# {x} 1"} 1 # {c="}"} 2\n# EOF\n',
    [['a{b="# {x} 1"}', 1]],
  ],
  ['trailing comma', 'a{b="c",} 1\n# EOF\n', [['a{b="c",}', 1]]],
  ['empty braces', 'a{} 1\n# EOF\n', [['a{}', 1]]],
  [
    '_created is an ordinary sample',
    '# TYPE a counter\na_total 1\na_created 1.7e9\n# EOF\n',
    [
      ['a_total', 1],
      ['a_created', 1.7e9],
    ],
  ],
  [
    'special values',
    'a +Inf\nb -Inf\nc inf\n# EOF\n',
    [
      ['a', Infinity],
      ['b', -Infinity],
      ['c', Infinity],
    ],
  ],
  ['a tab inside a value is part of it', 'a{b="x\ty"} 1\n# EOF\n', [['a{b="x\ty"}', 1]]],
];

for (const [what, body, samples] of CASES) {
  test(`OpenMetrics: ${what}`, () => {
    assert.deepEqual(collect(body, 'openmetrics').samples, samples);
  });
}

test('UNIT needs the metric name to end in _unit; an empty unit always fits', () => {
  const got = collect('# UNIT a_seconds seconds\n# UNIT b \n# EOF\n', 'openmetrics');
  assert.deepEqual(got.meta, [
    ['a_seconds', 'unit', 'seconds'],
    ['b', 'unit', ''],
  ]);
});
