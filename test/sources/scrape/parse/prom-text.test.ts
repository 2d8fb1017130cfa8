/**
 * Valid Prometheus text bodies and the samples and metadata they yield. The
 * first body is Prometheus's own TestPromParse input (promparse_test.go), less
 * its quoted UTF-8 names, which Signet does not take yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from '../../../../src/sources/scrape/parse/index.js';
import { collect, type Metadata, type Sample } from './collect.js';

const PROMETHEUS_INPUT = `# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# 	TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
# HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.
# TYPE prometheus_http_request_duration_seconds histogram
prometheus_http_request_duration_seconds_bucket{handler="/",le="1"} 423
prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"} 1423
prometheus_http_request_duration_seconds_sum{handler="/"} 2000
# Hrandom comment starting with prefix of HELP
#
wind_speed{A="2",c="3"} 12345
# comment with escaped \\n newline
# HELP nohelp1
# HELP nohelp2 
go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
go_gc_duration_seconds_count 99
some:aggregate:rate5m{a_b="c"}	1
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 33  	123123
# TYPE some_counter_total counter
# HELP some_counter_total Help after type.
some_counter_total 12
_metric_starting_with_underscore 1
testmetric{_label_starting_with_underscore="foo"} 1
testmetric{label="\\"bar\\""} 1
# HELP metric foo\x00bar
null_byte_metric{a="abc\x00"} 1`;

test("Prometheus's TestPromParse input", () => {
  const got = collect(PROMETHEUS_INPUT, 'prometheus-text');
  const samples: Sample[] = [
    ['go_gc_duration_seconds{quantile="0"}', 4.9351e-5],
    ['go_gc_duration_seconds{quantile="0.25",}', 7.424100000000001e-5],
    ['go_gc_duration_seconds{quantile="0.5",a="b"}', 8.3835e-5],
    ['go_gc_duration_seconds{quantile="0.8", a="b"}', 8.3835e-5],
    ['go_gc_duration_seconds{ quantile="0.9", a="b"}', 8.3835e-5],
    ['prometheus_http_request_duration_seconds_bucket{handler="/",le="1"}', 423],
    ['prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"}', 1423],
    ['prometheus_http_request_duration_seconds_sum{handler="/"}', 2000],
    ['wind_speed{A="2",c="3"}', 12345],
    ['go_gc_duration_seconds{ quantile="1.0", a="b" }', 8.3835e-5],
    ['go_gc_duration_seconds { quantile="1.0", a="b" }', 8.3835e-5],
    ['go_gc_duration_seconds { quantile= "1.0", a= "b", }', 8.3835e-5],
    ['go_gc_duration_seconds { quantile = "1.0", a = "b" }', 8.3835e-5],
    ['go_gc_duration_seconds { quantile = "2.0" a = "b" }', 8.3835e-5],
    ['go_gc_duration_seconds_count', 99],
    ['some:aggregate:rate5m{a_b="c"}', 1],
    ['go_goroutines', 33, 123123],
    ['some_counter_total', 12],
    ['_metric_starting_with_underscore', 1],
    ['testmetric{_label_starting_with_underscore="foo"}', 1],
    ['testmetric{label="\\"bar\\""}', 1],
    ['null_byte_metric{a="abc\x00"}', 1],
  ];
  assert.deepEqual(got.samples, samples);
  const metadata: Metadata[] = [
    ['go_gc_duration_seconds', 'help', 'A summary of the GC invocation durations.'],
    ['go_gc_duration_seconds', 'type', 'summary'],
    [
      'prometheus_http_request_duration_seconds',
      'help',
      'Histogram of latencies for HTTP requests.',
    ],
    ['prometheus_http_request_duration_seconds', 'type', 'histogram'],
    ['nohelp1', 'help', ''],
    ['nohelp2', 'help', ''],
    ['go_goroutines', 'help', 'Number of goroutines that currently exist.'],
    ['go_goroutines', 'type', 'gauge'],
    ['some_counter_total', 'type', 'counter'],
    ['some_counter_total', 'help', 'Help after type.'],
    ['metric', 'help', 'foo\x00bar'],
  ];
  assert.deepEqual(got.meta, metadata);
  // Every spelling of the same label set gives the same labels.
  const spaced = got.labels.get('go_gc_duration_seconds { quantile = "2.0" a = "b" }');
  assert.deepEqual(spaced, [
    { name: '__name__', value: 'go_gc_duration_seconds' },
    { name: 'a', value: 'b' },
    { name: 'quantile', value: '2.0' },
  ]);
  assert.deepEqual(got.labels.get('null_byte_metric{a="abc\x00"}'), [
    { name: '__name__', value: 'null_byte_metric' },
    { name: 'a', value: 'abc\x00' },
  ]);
});

/** [what, body, samples] */
const CASES: ReadonlyArray<readonly [string, string, readonly Sample[]]> = [
  ['empty body', '', []],
  ['only comments and blank lines', '# a\n\n   \n\t\n#b\n', []],
  ['no final newline', 'a 1', [['a', 1]]],
  [
    'CRLF line endings',
    'a 1\r\nb{c="d"} 2 3\r\n# c\r\n\r\n',
    [
      ['a', 1],
      ['b{c="d"}', 2, 3],
    ],
  ],
  ['leading and trailing blanks', '  \t a{b="c"}  2 \t\n', [['a{b="c"}', 2]]],
  ['blanks between tokens', 'a \t 1 \t 5\n', [['a', 1, 5]]],
  ['empty braces', 'a{} 1\n', [['a{}', 1]]],
  ['empty braces with blanks', 'a{ } 1\n', [['a{ }', 1]]],
  ['value right after the brace', 'a{b="c"}1\n', [['a{b="c"}', 1]]],
  ['trailing comma', 'a{b="c",} 1\n', [['a{b="c",}', 1]]],
  ['pairs without comma', 'a{b="c" d="e"} 1\n', [['a{b="c" d="e"}', 1]]],
  ['empty label value', 'a{b=""} 1\n', [['a{b=""}', 1]]],
  ['braces inside a value', 'a{route="/api/{id}/x"} 1\n', [['a{route="/api/{id}/x"}', 1]]],
  [
    'closing brace and quote inside a value',
    'a{b="} \\" }",c="x}"} 1\n',
    [['a{b="} \\" }",c="x}"}', 1]],
  ],
  ['hash inside a value', 'a{b="# {x}"} 1\n', [['a{b="# {x}"}', 1]]],
  ['value ending in =', 'a{b="x="} 1\n', [['a{b="x="}', 1]]],
  ['value ending in an escaped backslash', 'a{b="x\\\\"} 1\n', [['a{b="x\\\\"}', 1]]],
  ['value ending in a blank', 'a{b="x "} 1\n', [['a{b="x "}', 1]]],
  ['value ending in a comma', 'a{b="x,"} 1\n', [['a{b="x,"}', 1]]],
  ['escaped newline', 'a{b="x\\ny"} 1\n', [['a{b="x\\ny"}', 1]]],
  ['colons in names', 'a:b:c{d="e"} 1\n', [['a:b:c{d="e"}', 1]]],
  [
    'non-ASCII value',
    'a{b="Heizölrückstoßabdämpfung 10€"} 1\n',
    [['a{b="Heizölrückstoßabdämpfung 10€"}', 1]],
  ],
  ['negative timestamp', 'a 1 -1500\n', [['a', 1, -1500]]],
  ['zero timestamp', 'a 1 0\n', [['a', 1, 0]]],
  [
    'zero-padded values',
    'a 00000000001234\nb 0000000012.345\n',
    [
      ['a', 1234],
      ['b', 12.345],
    ],
  ],
  [
    'float syntax',
    'a 1e-3\na 1E3\na -0.5\na +2\na .5\na 5.\na 1.e2\n',
    [
      ['a', 0.001],
      ['a', 1000],
      ['a', -0.5],
      ['a', 2],
      ['a', 0.5],
      ['a', 5],
      ['a', 100],
    ],
  ],
  [
    'special values in any case',
    'a +Inf\na -Inf\na Inf\na inf\na infinity\na -INFINITY\n',
    [
      ['a', Infinity],
      ['a', -Infinity],
      ['a', Infinity],
      ['a', Infinity],
      ['a', Infinity],
      ['a', -Infinity],
    ],
  ],
  [
    'long mantissa',
    'a 7.424100000000001e-05\na 123456789012345678901\n',
    [
      ['a', 7.424100000000001e-5],
      ['a', 123456789012345680000],
    ],
  ],
  [
    'tiny and huge exponents',
    'a 1e-400\na 1e308\na 4.9e-324\n',
    [
      ['a', 0],
      ['a', 1e308],
      ['a', 5e-324],
    ],
  ],
  ['a value glued to the name, as the lexer reads it', 'a-1\n', [['a', -1]]],
  ['comment lines of any kind', '#HELP x y\n# HELP\n# TYPEx\n#\tfoo\n# HELPER x y\n', []],
];

for (const [what, body, samples] of CASES) {
  test(`text: ${what}`, () => {
    assert.deepEqual(collect(body, 'prometheus-text').samples, samples);
  });
}

test('NaN values, in any case', () => {
  const got = collect('a NaN\nb nan\nc nAN\n', 'prometheus-text').samples;
  assert.equal(got.length, 3);
  for (const [, value] of got) assert.ok(Number.isNaN(value));
});

test('negative zero stays negative zero', () => {
  const [sample] = collect('a -0\n', 'prometheus-text').samples;
  assert.ok(Object.is(sample?.[1], -0));
});

test('metadata: blanks, escapes in HELP and every TYPE', () => {
  const body = [
    '#  \tHELP  \t a  some  text ',
    '# HELP b back\\\\slash, new\\nline, kept \\" and \\x',
    '# HELP c\t',
    '# TYPE d counter',
    '# TYPE e gauge',
    '# TYPE f histogram',
    '# TYPE g summary',
    '# TYPE h untyped',
    '# HELP i crlf\r',
    '',
  ].join('\n');
  assert.deepEqual(collect(body, 'prometheus-text').meta, [
    ['a', 'help', ' some  text '],
    ['b', 'help', 'back\\slash, new\nline, kept \\" and \\x'],
    ['c', 'help', ''],
    ['d', 'type', 'counter'],
    ['e', 'type', 'gauge'],
    ['f', 'type', 'histogram'],
    ['g', 'type', 'summary'],
    ['h', 'type', 'untyped'],
    ['i', 'help', 'crlf'],
  ]);
});

test('a sink without metadata() gets the samples alone', () => {
  const seen: string[] = [];
  parseExposition('# HELP a b\n# TYPE a gauge\na 1\n', 'prometheus-text', {
    sample: (text) => seen.push(text),
  });
  assert.deepEqual(seen, ['a']);
});
