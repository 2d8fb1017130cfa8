/**
 * Every malformed input the parser names, with its line:column and message.
 * The inputs are Prometheus's own error cases (TestPromParseErrors,
 * TestPromNullByteHandling, TestOpenMetricsParseErrors, TestOMNullByteHandling
 * in model/textparse), with Signet's wording, plus cases of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpositionError,
  parseExposition,
  parseSeriesLabels,
} from '../../../../src/sources/scrape/parse/index.js';
import { SignetError } from '../../../../src/errors.js';
import { collect, failure } from './collect.js';

const TEXT_ERRORS: ReadonlyArray<readonly [string, string]> = [
  // A wrong guess at where the series ends must not change the message.
  ['a 1 {b="c"}\n', '1:5: expected timestamp or new record, got "{"'],
  ['a{b="x="} 1 {c="d"}\n', '1:13: expected timestamp or new record, got "{"'],
  ['a', '1:2: expected value after metric, got end of line'],
  ["a{b='c'} 1\n", '1:5: expected label value, got "\'"'],
  ['a{b=\n', '1:5: expected label value, got end of line'],
  ['a{ÿ="foo"} 1\n', '1:3: expected label name, got "ÿ"'],
  ['{"a", "b = "c"}', '1:2: expected label name, got "\\""'],
  ['a true\n', '1:3: strconv.ParseFloat: parsing "true": invalid syntax'],
  ['something_weird{problem="', '1:26: expected closing quote of label value, got end of line'],
  ['empty_label_name{=""} 0', '1:18: expected label name, got "="'],
  ['{A}0', '1:3: expected equal, got "}"'],
  ['foo 1_2\n', '1:5: unsupported character in float'],
  ['foo 0x1p-3\n', '1:5: unsupported character in float'],
  ['foo 0x1P-3\n', '1:5: unsupported character in float'],
  ['foo 0 1_2\n', '1:8: expected next entry after timestamp, got "_2"'],
  ['{a="ok"} 1', '1:1: metric name not set (quoted metric names are not supported)'],
  ['# TYPE #\n', '1:8: expected metric name after TYPE, got "#"'],
  ['# HELP #\n', '1:8: expected metric name after HELP, got "#"'],
  ['a{b=\u0000"ssss"} 1\n', '1:5: expected label value, got "\\u0000"'],
  ['a{b="\u0000', '1:7: expected closing quote of label value, got end of line'],
  ['a{b\u0000="hiih"}\t1', '1:4: expected equal, got "\\u0000"'],
  ['a\u0000{b="ddd"} 1', '1:2: strconv.ParseFloat: parsing "\\u0000": invalid syntax'],
  ['a 0 1\u0000', '1:6: expected next entry after timestamp, got "\\u0000"'],
  ['a 1\nb{c="d" 2\n', '2:9: expected label name, got "2"'],
  ['ok 1\n9 1\n', '2:1: expected metric name, comment or blank line, got "9"'],
  ['a{b="c"} 1 2 3\n', '1:14: expected next entry after timestamp, got "3"'],
  ['a 1 1.5\n', '1:6: expected next entry after timestamp, got "."'],
  [
    'a 1 99999999999999999999\n',
    '1:5: strconv.ParseInt: parsing "99999999999999999999": value out of range',
  ],
  ['a 1e400\n', '1:3: strconv.ParseFloat: parsing "1e400": value out of range'],
  ['a 0x10\n', '1:3: strconv.ParseFloat: parsing "0x10": invalid syntax'],
  ['a -nan\n', '1:3: strconv.ParseFloat: parsing "-nan": invalid syntax'],
  ['a infin\n', '1:3: strconv.ParseFloat: parsing "infin": invalid syntax'],
  ['a{b="c"}} 1\n', '1:9: strconv.ParseFloat: parsing "}": invalid syntax'],
  ['a{b="c",,d="e"} 1\n', '1:9: expected label name, got ","'],
  ['a{,b="c"} 1\n', '1:3: expected label name, got ","'],
  ['a{b="c\\\n"} 1\n', '1:8: expected escaped character, got end of line'],
  ['# TYPE a gaugehistogram\n', '1:10: invalid metric type "gaugehistogram"'],
  ['# TYPE a counter \n', '1:10: invalid metric type "counter "'],
  ['# TYPE a  counter\n', '1:10: invalid metric type " counter"'],
  ['# HELP \n', '1:8: expected metric name after HELP, got end of line'],
  ['a{b="c",b="d"} 1\n', '1:9: duplicate label name "b"'],
  ['a{__name__="b"} 1\n', '1:3: duplicate label name "__name__"'],
  ['a {b="c"} {\n', '1:11: expected value after metric, got "{"'],
  ['a b{c="d"} 1\n', '1:3: strconv.ParseFloat: parsing "b": invalid syntax'],
  ['a{b="c"} 1}\n', '1:10: strconv.ParseFloat: parsing "1}": invalid syntax'],
  ['a 1\r2\n', '1:3: strconv.ParseFloat: parsing "1\\r2": invalid syntax'],
  ['a\r\n', '1:2: expected value after metric, got end of line'],
  ['a{b="c"}\n', '1:9: expected value after metric, got end of line'],
  ['a{b="c"} \n', '1:10: expected value after metric, got end of line'],
  ['a{b="c"d} 1\n', '1:9: expected equal, got "}"'],
];
const OPENMETRICS_ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['a{b="c"} 1 # {c="d"}x\n# EOF\n', '1:21: expected value after exemplar labels, got "x"'],
  ['a 1 # {b="c"} 2 3 4\n# EOF\n', '1:18: expected end of line after exemplar, got " "'],
  ['', '1:1: data does not end with # EOF'],
  ['\n', '1:1: expected metric name or "# ", got end of line'],
  ['metric', '1:7: expected value after metric, got end of line'],
  ['metric 1', '1:9: data does not end with # EOF'],
  ['metric 1\n', '2:1: data does not end with # EOF'],
  ['metric_total 1 # {aa="bb"} 4', '1:29: data does not end with # EOF'],
  ['a\n# EOF\n', '1:2: expected value after metric, got end of line'],
  ['\n\n# EOF\n', '1:1: expected metric name or "# ", got end of line'],
  [' a 1\n# EOF\n', '1:1: expected metric name or "# ", got " "'],
  ['9\n# EOF\n', '1:1: expected metric name or "# ", got "9"'],
  ['# TYPE u untyped\n# EOF\n', '1:10: invalid metric type "untyped"'],
  ['# TYPE c counter \n# EOF\n', '1:10: invalid metric type "counter "'],
  ['#  TYPE c counter\n# EOF\n', '1:3: expected HELP, TYPE, UNIT or EOF after "# ", got " "'],
  ['# TYPE \n# EOF\n', '1:8: expected metric name after TYPE, got end of line'],
  ['# TYPE m\n# EOF\n', '1:9: expected text in TYPE, got end of line'],
  ['# UNIT metric suffix\n# EOF\n', '1:15: unit "suffix" not a suffix of metric "metric"'],
  [
    '# UNIT metricsuffix suffix\n# EOF\n',
    '1:21: unit "suffix" not a suffix of metric "metricsuffix"',
  ],
  ['# UNIT m suffix\n# EOF\n', '1:10: unit "suffix" not a suffix of metric "m"'],
  ['# UNIT \n# EOF\n', '1:8: expected metric name after UNIT, got end of line'],
  ['# UNIT m\n# EOF\n', '1:9: expected text in UNIT, got end of line'],
  ['# HELP \n# EOF\n', '1:8: expected metric name after HELP, got end of line'],
  ['# HELP m\n# EOF\n', '1:9: expected text in HELP, got end of line'],
  ['a\t1\n# EOF\n', '1:2: expected value after metric, got "\\t"'],
  ['a 1\t2\n# EOF\n', '1:3: strconv.ParseFloat: parsing "1\\t2": invalid syntax'],
  ['a 1 2 \n# EOF\n', '1:6: expected next entry after timestamp, got " "'],
  ['a 1 2 #\n# EOF\n', '1:6: expected next entry after timestamp, got " "'],
  ['a 1 1z\n# EOF\n', '1:5: strconv.ParseFloat: parsing "1z": invalid syntax'],
  [' # EOF\n', '1:1: expected metric name or "# ", got " "'],
  ['# EOF\na 1', '2:1: unexpected data after # EOF'],
  ['# EOF\n\n', '2:1: unexpected data after # EOF'],
  ['# EOFa 1', '1:6: unexpected data after # EOF'],
  ['#\tTYPE c counter\n', '1:2: expected a space after "#", got "\\t"'],
  ['# TYPE c  counter\n', '1:10: invalid metric type " counter"'],
  ['a 1 1 1\n# EOF\n', '1:6: expected next entry after timestamp, got " "'],
  ["a{b='c'} 1\n# EOF\n", '1:5: expected label value, got "\'"'],
  ['a{,b="c"} 1\n# EOF\n', '1:3: expected label name, got ","'],
  ['a{b="c"d="e"} 1\n# EOF\n', '1:8: expected comma or brace close, got "d"'],
  ['a{b="c",,d="e"} 1\n# EOF\n', '1:9: expected label name, got ","'],
  ['a{b=\n# EOF\n', '1:5: expected label value, got end of line'],
  ['a true\n', '1:3: strconv.ParseFloat: parsing "true": invalid syntax'],
  [
    'something_weird{problem="\n# EOF\n',
    '1:26: expected closing quote of label value, got end of line',
  ],
  ['empty_label_name{=""} 0\n# EOF\n', '1:18: expected label name, got "="'],
  ['{A}0\n# EOF\n', '1:3: expected equal, got "}"'],
  ['foo 1_2\n\n# EOF\n', '1:5: unsupported character in float'],
  ['foo 0x1p-3\n\n# EOF\n', '1:5: unsupported character in float'],
  ['foo 0 1_2\n\n# EOF\n', '1:7: unsupported character in float'],
  ['custom_metric_total 1 # {aa=bb}\n# EOF\n', '1:29: expected label value, got "bb"'],
  [
    'custom_metric_total 1 # {aa="bb"}\n# EOF\n',
    '1:34: expected value after exemplar labels, got end of line',
  ],
  [
    'custom_metric_total 1 # {aa="bb"}',
    '1:34: expected value after exemplar labels, got end of line',
  ],
  ['custom_metric_total 1 # {bb}', '1:28: expected equal, got "}"'],
  ['custom_metric_total 1 # {bb, a="dd"}', '1:28: expected equal, got ","'],
  ['custom_metric_total 1 # {aa="bb",,cc="dd"} 1', '1:34: expected label name, got ","'],
  ['custom_metric_total 1 # {aa="bb"} 1_2', '1:35: unsupported character in float'],
  [
    'custom_metric_total 1 # {aa="bb"} true',
    '1:35: strconv.ParseFloat: parsing "true": invalid syntax',
  ],
  ['custom_metric_total 1 # {aa="bb",cc=}', '1:37: expected label value, got "}"'],
  ['{b="c",} 1', '1:1: metric name not set (quoted metric names are not supported)'],
  ['a 1 NaN', '1:5: invalid timestamp NaN'],
  ['a 1 -Inf', '1:5: invalid timestamp -Inf'],
  ['a 1 Inf\n# EOF\n', '1:5: invalid timestamp +Inf'],
  ['hhh_bucket{le="+Inf"} 1 # {aa="bb"} 4 NaN', '1:39: invalid exemplar timestamp NaN'],
  ['hhh_bucket{le="+Inf"} 1 # {aa="bb"} 4 -Inf\n# EOF\n', '1:39: invalid exemplar timestamp -Inf'],
  ['#', '1:2: expected a space after "#", got end of line'],
  ['# H', '1:3: expected HELP, TYPE, UNIT or EOF after "# ", got "H"'],
  ['a{b="c", d="e"} 1\n# EOF\n', '1:9: expected label name, got " "'],
  ['a  1\n# EOF\n', '1:3: expected value after metric, got " "'],
  ['a 1\r\n# EOF\n', '1:3: strconv.ParseFloat: parsing "1\\r": invalid syntax'],
  ['a{b="c"}1\n# EOF\n', '1:9: expected value after metric, got "1"'],
  ['# comment\n# EOF\n', '1:3: expected HELP, TYPE, UNIT or EOF after "# ", got "comment"'],
  ['a{b="c",b="d"} 1\n# EOF\n', '1:9: duplicate label name "b"'],
  ['a 1 # x\n# EOF\n', '1:5: strconv.ParseFloat: parsing "#": invalid syntax'],
];

for (const [body, expected] of TEXT_ERRORS) {
  test(`text error: ${JSON.stringify(body)}`, () => {
    assert.equal(failure(body, 'prometheus-text'), expected);
    // The strict scan on every line finds the same fault at the same place.
    assert.equal(failure(body, 'prometheus-text', 'every-sample'), expected);
  });
}

for (const [body, expected] of OPENMETRICS_ERRORS) {
  test(`OpenMetrics error: ${JSON.stringify(body)}`, () => {
    assert.equal(failure(body, 'openmetrics'), expected);
    assert.equal(failure(body, 'openmetrics', 'every-sample'), expected);
  });
}

test('the error carries line, column, the line text and a message naming them', () => {
  const body = 'a 1\r\nb 2\r\nc{d="e" f} 3\r\n';
  try {
    parseExposition(body, 'prometheus-text', { sample: (text) => parseSeriesLabels(text) });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof ExpositionError && e instanceof SignetError);
    assert.equal(e.line, 3);
    assert.equal(e.column, 10);
    assert.equal(e.lineText, 'c{d="e" f} 3');
    assert.equal(e.detail, 'expected equal, got "}"');
    assert.equal(e.message, 'line 3:10: expected equal, got "}" in "c{d=\\"e\\" f} 3"');
    assert.ok(e.hint !== undefined && e.toUserString().includes(e.hint));
  }
});

test('the line text is cut to 100 characters', () => {
  const long = `a{b="${'x'.repeat(200)}"} 1 2 3\n`;
  try {
    parseExposition(long, 'prometheus-text', { sample: () => undefined });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof ExpositionError);
    assert.equal(e.lineText, long.slice(0, 100));
    assert.equal(e.column, long.indexOf(' 3') + 2);
  }
});

test('samples before the bad line have reached the sink', () => {
  const seen: string[] = [];
  assert.throws(
    () =>
      parseExposition('a 1\nb 2\nc x\nd 4\n', 'prometheus-text', { sample: (t) => seen.push(t) }),
    ExpositionError,
  );
  assert.deepEqual(seen, ['a', 'b']);
});

test('a sink that never parses labels is not told about malformed label sets', () => {
  // The documented trade-off: label sets are checked once, by parseSeriesLabels.
  const body = 'a{b=c"} 1\na{b"} 2\n';
  assert.deepEqual(collect(body, 'prometheus-text', 'never').samples, [
    ['a{b=c"}', 1],
    ['a{b"}', 2],
  ]);
  assert.equal(failure(body, 'prometheus-text'), '1:5: expected label value, got "c"');
});

test('errors other than ExpositionError from the sink pass through untouched', () => {
  const mine = new Error('sample limit exceeded');
  assert.throws(
    () =>
      parseExposition('a 1\n', 'prometheus-text', {
        sample: () => {
          throw mine;
        },
      }),
    (e) => e === mine,
  );
});

test('a sink that parses another body meanwhile still gets errors placed in its own', () => {
  const body = 'ok{a="b"} 1\nbad{a="b",a="c"} 2\n';
  assert.throws(
    () =>
      parseExposition(body, 'prometheus-text', {
        sample: (text) => {
          parseExposition('inner{x="y"} 1\n', 'prometheus-text', {
            sample: (t) => parseSeriesLabels(t),
          });
          parseSeriesLabels(text);
        },
      }),
    (e) => e instanceof ExpositionError && e.line === 2 && e.column === 11,
  );
});

test('parseSeriesLabels on its own places errors in the series text', () => {
  const cases: ReadonlyArray<readonly [string, number, string]> = [
    ['', 1, 'invalid metric name, got end of input'],
    ['9a', 1, 'invalid metric name, got "9a"'],
    ['a-b', 2, 'invalid metric name, got "-"'],
    ['a{b="c', 7, 'expected closing quote of label value, got end of input'],
    ['a{b="c"', 8, 'expected label name, got end of input'],
    ['a{b="c"} ', 9, 'expected end of series after "}", got " "'],
    ['a{b="c",b="d"}', 9, 'duplicate label name "b"'],
    ['a{__name__="x"}', 3, 'duplicate label name "__name__"'],
    ['a{1="x"}', 3, 'expected label name, got "1"'],
    ['a{b:c="x"}', 4, 'expected equal, got ":c"'],
    ['a{b=x}', 5, 'expected label value, got "x"'],
  ];
  for (const [text, column, detail] of cases) {
    assert.throws(
      () => parseSeriesLabels(text),
      (e) =>
        e instanceof ExpositionError && e.line === 1 && e.column === column && e.detail === detail,
      text,
    );
  }
});
