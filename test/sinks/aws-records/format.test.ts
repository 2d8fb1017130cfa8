/** Record data from entries: the two formats, newline delimiting, and cutting at the limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEntry, rfc3339Nano, visibleLabels } from '../../../src/sinks/aws-records/index.js';
import type { RecordFormatOptions } from '../../../src/sinks/aws-records/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';

const line = (text: string): LogEntry => ({
  labels: { app: 'a' },
  line: text,
  timestampNs: 1_000_000_000_000_000_001n,
});
const opts = (o: Partial<RecordFormatOptions> = {}): RecordFormatOptions => ({
  format: 'line',
  newline: false,
  oversized: 'split',
  ...o,
});

test('rfc3339Nano keeps all nine digits, in UTC', () => {
  assert.equal(rfc3339Nano(0n), '1970-01-01T00:00:00.000000000Z');
  assert.equal(rfc3339Nano(1_700_000_000_123_456_789n), '2023-11-14T22:13:20.123456789Z');
  assert.equal(rfc3339Nano(1_000_000_000_000_000_001n), '2001-09-09T01:46:40.000000001Z');
});

test('visibleLabels hides the internal __ labels and nothing else', () => {
  const plain = { a: '1', b_: '2' };
  assert.equal(visibleLabels(plain), plain, 'unchanged object when nothing is hidden');
  assert.deepEqual(visibleLabels({ __path__: '/x', a: '1', _b: '2' }), { a: '1', _b: '2' });
});

test('line and json, with and without a newline', () => {
  assert.deepEqual(encodeEntry(line('hi ☕'), opts(), 100).pieces?.map(String), ['hi ☕']);
  assert.deepEqual(encodeEntry(line('hi'), opts({ newline: true }), 100).pieces?.map(String), [
    'hi\n',
  ]);
  assert.deepEqual(
    encodeEntry(line('say "x"\n'), opts({ format: 'json', newline: true }), 1000).pieces?.map(
      String,
    ),
    [
      '{"labels":{"app":"a"},"line":"say \\"x\\"\\n","timestamp":"2001-09-09T01:46:40.000000001Z"}\n',
    ],
  );
});

test('a line one byte over is split at the byte limit, never inside a character', () => {
  assert.deepEqual(encodeEntry(line('abcdefghij'), opts(), 4).pieces?.map(String), [
    'abcd',
    'efgh',
    'ij',
  ]);
  // 'é' is two bytes: a 5-byte piece holds two of them.
  const split = encodeEntry(line('éééé'), opts(), 5);
  assert.deepEqual(split.pieces?.map(String), ['éé', 'éé']);
  assert.equal(split.cut, true);
  assert.deepEqual(encodeEntry(line('abcd'), opts(), 4), {
    pieces: [Buffer.from('abcd')],
    cut: false,
  });
});

test('json pieces are each a whole object, escapes never cut', () => {
  const entry = line('"'.repeat(30));
  const whole = encodeEntry(entry, opts({ format: 'json' }), 1000).pieces![0]!.length;
  // Each " costs two bytes escaped (\"): 39 bytes of room hold 19 of them, never half of one.
  const pieces = encodeEntry(entry, opts({ format: 'json' }), whole - 21).pieces!;
  const parsed = pieces.map((p) => JSON.parse(p.toString()) as { line: string; labels: object });
  assert.deepEqual(
    parsed.map((p) => p.line.length),
    [19, 11],
  );
  assert.ok(pieces.every((p) => p.length <= whole - 21));
  assert.deepEqual(parsed[1]!.labels, { app: 'a' });
});

test('truncate keeps the first piece; drop and labels over the limit give nothing', () => {
  assert.deepEqual(
    encodeEntry(line('abcdefghij'), opts({ oversized: 'truncate' }), 4).pieces?.map(String),
    ['abcd'],
  );
  assert.deepEqual(encodeEntry(line('abcdefghij'), opts({ oversized: 'drop' }), 4), {
    pieces: undefined,
    cut: true,
  });
  assert.equal(encodeEntry(line('x'), opts({ format: 'json' }), 40).pieces, undefined);
});
