import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimestamp, formatValue } from '../../../../src/local/services/aps/format.js';

test('values are written as Go formats float64 with FormatFloat(v, f, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [0.1, '0.1'],
    [-12.5, '-12.5'],
    [1e21, '1000000000000000000000'],
    [1.2345e22, '12345000000000000000000'],
    [-1e-7, '-0.0000001'],
    [1.5e-10, '0.00000000015'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [value, text] of cases) assert.equal(formatValue(value), text, String(value));
});

test('timestamps are float seconds with millisecond precision', () => {
  assert.equal(JSON.stringify(formatTimestamp(1_700_000_000_000)), '1700000000');
  assert.equal(JSON.stringify(formatTimestamp(1_700_000_000_123)), '1700000000.123');
  assert.equal(JSON.stringify(formatTimestamp(1_700_000_000_500)), '1700000000.5');
});
