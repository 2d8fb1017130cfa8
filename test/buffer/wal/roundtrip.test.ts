import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStaleAt, markStale } from '../../../src/model/series.js';
import { WalWriter, comparePositions } from '../../../src/buffer/wal/index.js';
import {
  assertSameBatch,
  batchFor,
  batchOf,
  concatBatches,
  readAll,
  samplesOf,
  tempDir,
} from './helpers.js';
import {
  SAMPLES_PER_RECORD,
  SAMPLES_RECORD,
  SERIES_RECORD,
} from '../../../src/pipelines/metrics/records/index.js';

test('series and samples come back as written, special values bit for bit', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  const series = [
    { id: 1, labels: [{ name: '__name__', value: 'up' }] },
    {
      id: 2,
      labels: [
        { name: '__name__', value: 'http_requests_total' },
        { name: 'path', value: '/ünïcødé/😀' },
        { name: 'q', value: 'x'.repeat(300) },
      ],
    },
    { id: 0xffffffff, labels: [] },
  ];
  const p1 = wal.append(SERIES_RECORD, series);

  const special = batchOf(
    [1, 2, 0xffffffff, 0, 7, 7],
    [0, -1, -8.64e15, 8.64e15, 2 ** 60, 1.5],
    [NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, 5e-324],
  );
  markStale(special.values, 4);
  const p2 = wal.append(SAMPLES_RECORD, special);
  // Negative timestamps whose deltas fit the compact encoding.
  const negative = batchOf([3, 2, 1], [-1000, -2000, -500], [1, 2, 3]);
  const p3 = wal.append(SAMPLES_RECORD, negative);
  const shared = batchFor(4, 500);
  const p4 = wal.append(SAMPLES_RECORD, shared);
  await wal.close();

  assert.ok(comparePositions(p1, p2) < 0 && comparePositions(p2, p3) < 0);
  assert.ok(comparePositions(p3, p4) < 0);
  const entries = await readAll(dir);
  assert.deepEqual(
    entries.map((e) => e.end),
    [p1, p2, p3, p4],
  );
  assert.equal(entries[0]!.record.kind, SERIES_RECORD);
  assert.deepEqual(entries[0]!.record.value, series);

  const back = samplesOf(entries[1]!);
  assertSameBatch(back, special, 'special values');
  assert.ok(isStaleAt(back.values, 4), 'staleness marker survives');
  assert.ok(!isStaleAt(back.values, 0), 'a plain NaN is not a staleness marker');
  assert.ok(Number.isNaN(back.values[0]));
  assert.equal(back.values[1], Infinity);
  assert.equal(back.values[2], -Infinity);
  assert.ok(Object.is(back.values[3], -0));
  assertSameBatch(samplesOf(entries[2]!), negative, 'negative timestamps');
  const b4 = samplesOf(entries[3]!);
  assertSameBatch(b4, shared, 'shared timestamp');
  for (let i = 0; i < b4.count; i += 7) assert.ok(isStaleAt(b4.values, i));
});

test('a batch larger than one record is split and comes back whole', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  const big = batchFor(1, SAMPLES_PER_RECORD * 2 + 123);
  const end = wal.append(SAMPLES_RECORD, big);
  await wal.close();
  const entries = await readAll(dir);
  assert.equal(entries.length, 3);
  assert.deepEqual(entries[2]!.end, end);
  assertSameBatch(concatBatches(entries.map(samplesOf)), big);
});

test('only the first `count` entries of the columns are written', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  const full = batchFor(3, 10);
  wal.append(SAMPLES_RECORD, { ...full, count: 4 });
  await wal.close();
  const [entry] = await readAll(dir);
  assert.equal(samplesOf(entry!).count, 4);
  assert.deepEqual([...samplesOf(entry!).ids], [...full.ids.subarray(0, 4)]);
});

test('empty appends write nothing; a closed writer refuses appends', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  const head = wal.head;
  assert.deepEqual(wal.append(SERIES_RECORD, []), head);
  assert.deepEqual(wal.append(SAMPLES_RECORD, batchOf([], [], [])), head);
  assert.equal(wal.diskBytes(), 0);
  await wal.close();
  assert.throws(() => wal.append(SAMPLES_RECORD, batchFor(1, 1)), /closed/);
  assert.deepEqual(await readAll(dir), []);
});

test('a series id outside u32 is refused before anything is written', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  assert.throws(() => wal.append(SERIES_RECORD, [{ id: 2 ** 32, labels: [] }]), /not an integer/);
  assert.throws(() => wal.append(SERIES_RECORD, [{ id: 1.5, labels: [] }]), /not an integer/);
  assert.equal(wal.diskBytes(), 0);
  await wal.close();
});

test('comparePositions orders by segment, then offset', () => {
  assert.ok(comparePositions({ segment: 1, offset: 900 }, { segment: 2, offset: 8 }) < 0);
  assert.ok(comparePositions({ segment: 2, offset: 30 }, { segment: 2, offset: 8 }) > 0);
  assert.equal(comparePositions({ segment: 2, offset: 8 }, { segment: 2, offset: 8 }), 0);
});
