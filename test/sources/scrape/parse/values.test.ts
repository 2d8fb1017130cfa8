/**
 * Sample values and timestamps: Go's strconv.ParseFloat syntax without hex
 * floats or digit separators, as Prometheus reads them, and a fast path that
 * must round exactly like the full parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, failure } from './collect.js';
import { below, prng } from './prng.js';

function valueOf(token: string): number {
  const [sample] = collect(`a ${token}\n`, 'prometheus-text').samples;
  assert.ok(sample !== undefined);
  return sample[1];
}

test('accepted spellings', () => {
  const cases: ReadonlyArray<readonly [string, number]> = [
    ['0', 0],
    ['-0.0', -0],
    ['+1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['-.5e1', -5],
    ['1e+2', 100],
    ['1E-2', 0.01],
    ['007', 7],
    ['1.7976931348623157e308', Number.MAX_VALUE],
    ['2.2250738585072014e-308', 2.2250738585072014e-308],
    ['1e-400', 0],
    ['Inf', Infinity],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['INFINITY', Infinity],
    ['9007199254740993', 9007199254740992],
    ['0.1', 0.1],
    ['123456789.123456789', 123456789.12345679],
  ];
  for (const [token, expected] of cases) assert.ok(Object.is(valueOf(token), expected), token);
  for (const token of ['NaN', 'nan', 'NAN', 'nAn']) assert.ok(Number.isNaN(valueOf(token)), token);
});

test('refused spellings', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['1_000', 'unsupported character in float'],
    ['0x1p3', 'unsupported character in float'],
    ['0x10', 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    ['1e', 'strconv.ParseFloat: parsing "1e": invalid syntax'],
    ['1e+', 'strconv.ParseFloat: parsing "1e+": invalid syntax'],
    ['.', 'strconv.ParseFloat: parsing ".": invalid syntax'],
    ['-', 'strconv.ParseFloat: parsing "-": invalid syntax'],
    ['+-1', 'strconv.ParseFloat: parsing "+-1": invalid syntax'],
    ['1.2.3', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    ['+NaN', 'strconv.ParseFloat: parsing "+NaN": invalid syntax'],
    ['infinit', 'strconv.ParseFloat: parsing "infinit": invalid syntax'],
    ['Infinityy', 'strconv.ParseFloat: parsing "Infinityy": invalid syntax'],
    ['1e309', 'strconv.ParseFloat: parsing "1e309": value out of range'],
    ['-1e999999', 'strconv.ParseFloat: parsing "-1e999999": value out of range'],
    ['١', 'strconv.ParseFloat: parsing "١": invalid syntax'],
  ];
  for (const [token, detail] of cases) {
    assert.equal(failure(`a ${token}\n`, 'prometheus-text'), `1:3: ${detail}`, token);
  }
});

test('the fast path rounds as the full parser does (seeded random decimals)', () => {
  const random = prng(0x5eed);
  for (let n = 0; n < 20000; n++) {
    const digits = 1 + below(random, 20);
    let mantissa = '';
    for (let d = 0; d < digits; d++) mantissa += String(below(random, 10));
    const point = below(random, digits + 1);
    let token = `${mantissa.slice(0, point)}.${mantissa.slice(point)}`;
    if (random() < 0.5) token += `e${below(random, 60) - 30}`;
    if (random() < 0.3) token = `-${token}`;
    if (token.startsWith('.') && random() < 0.5) token = `0${token}`;
    assert.ok(Object.is(valueOf(token), Number(token)), token);
  }
});

test('timestamps: text milliseconds are integers, OpenMetrics seconds become milliseconds', () => {
  assert.deepEqual(collect('a 1 1700000000123\n', 'prometheus-text').samples, [
    ['a', 1, 1700000000123],
  ]);
  assert.deepEqual(collect('a 1 1700000000.123\n# EOF\n', 'openmetrics').samples, [
    ['a', 1, 1700000000123],
  ]);
  assert.equal(
    failure('a 1 1e3\n', 'prometheus-text'),
    '1:6: expected next entry after timestamp, got "e3"',
  );
  assert.equal(
    failure('a 1 +5\n', 'prometheus-text'),
    '1:5: expected timestamp or new record, got "+"',
  );
});
