/** Packing pieces into records and calls at exact limits, with and without aggregation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordBatcher, type RecordBatch } from '../../../src/sinks/aws-records/index.js';

const limits = { maxRecords: 3, maxRequestBytes: 20, maxRecordBytes: 10, keyCounts: true };
const piece = (text: string, seq = 0, key?: string, last = true) => ({
  data: Buffer.from(text),
  key,
  keyBytes: key === undefined ? 2 : Buffer.byteLength(key),
  seq,
  last,
});

function fill(batcher: RecordBatcher, pieces: ReturnType<typeof piece>[]): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (const p of pieces) {
    const closed = batcher.add(p, 0);
    if (closed) out.push(closed);
  }
  const last = batcher.cut();
  if (last) out.push(last);
  return out;
}

const view = (batches: RecordBatch[]) =>
  batches.map((b) => b.records.map((r) => `${r.key}:${r.data.toString()}`));

test('a call closes at the record count, and at the byte limit counting keys', () => {
  const batcher = new RecordBatcher(limits, false, () => 'h!');
  // 4 records: the fourth starts a call. Sizes are data + 2 bytes of hash key.
  assert.deepEqual(
    view(
      fill(
        batcher,
        ['a', 'b', 'c', 'd'].map((t) => piece(t)),
      ),
    ),
    [['h!:a', 'h!:b', 'h!:c'], ['h!:d']],
  );
  // 8 + 10 = 18, then 2 + 2 = 20 exactly: one call. One byte more: two.
  assert.deepEqual(view(fill(batcher, [piece('aaaaaa'), piece('bbbbbbbb'), piece('')])), [
    ['h!:aaaaaa', 'h!:bbbbbbbb', 'h!:'],
  ]);
  assert.deepEqual(view(fill(batcher, [piece('aaaaaa'), piece('bbbbbbbb'), piece('c')])), [
    ['h!:aaaaaa', 'h!:bbbbbbbb'],
    ['h!:c'],
  ]);
});

test('aggregation appends to the key’s open record while it stays within the record limit', () => {
  const batcher = new RecordBatcher(limits, true, () => 'h!');
  const batches = fill(batcher, [
    piece('ab', 1, 'k'),
    piece('cd', 1, 'j'),
    piece('ef', 2, 'k'),
    piece('ghijkl', 2, 'k'), // k holds 1 + 4 bytes: 6 more would make 11 > 10
    piece('mn', 3, 'j'),
  ]);
  assert.deepEqual(view(batches), [['k:abef', 'j:cdmn', 'k:ghijkl']]);
  const [first] = batches[0]!.records;
  assert.deepEqual(first!.runs, [
    { seq: 1, count: 1 },
    { seq: 2, count: 1 },
  ]);
  assert.equal(first!.entries, 2);
  assert.equal(batches[0]!.bytes, 5 + 5 + 7);
});

test('an entry split in pieces counts as sent once, with its last piece', () => {
  const batcher = new RecordBatcher(limits, false, () => undefined);
  const [batch] = fill(batcher, [piece('aa', 4, 'k', false), piece('bb', 4, 'k', true)]);
  assert.deepEqual(
    batch!.records.map((r) => r.entries),
    [0, 1],
  );
});
