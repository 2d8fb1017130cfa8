import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWal, recordOf, WalWriter } from '../../src/buffer/wal/index.js';
import { labelsFromRecord } from '../../src/model/labels.js';
import { SeriesTable, type SampleBatch } from '../../src/model/series.js';
import { METRICS_RECORDS, SERIES_RECORD } from '../../src/pipelines/metrics/records/index.js';
import { Storage, type SampleConsumer } from '../../src/pipelines/metrics/storage.js';
import { tempDir } from './harness.js';

function batch(ids: number[], t: number): SampleBatch {
  return {
    count: ids.length,
    ids: Uint32Array.from(ids),
    timestamps: new Float64Array(ids.length).fill(t),
    values: new Float64Array(ids.length).fill(1),
  };
}

test('series that stop getting samples are forgotten once their WAL segments go, live ones never', async (t) => {
  const dir = tempDir('signet-storage-');
  t.after(() => dir.remove());
  const wal = await WalWriter.open({ dir: dir.path, segmentBytes: 4096, onLog: () => {} });
  let now = 1_000_000;
  const forgotten: number[] = [];
  const consumer: SampleConsumer = { offer: () => {}, forget: (ids) => forgotten.push(...ids) };
  const table = new SeriesTable();
  const storage = new Storage(
    table,
    wal,
    { walError: () => {}, walRecovered: () => {} },
    60_000,
    () => now,
  );
  storage.addConsumer(consumer);
  const churned = storage.series(labelsFromRecord({ __name__: 'm', pod: 'old' }));
  const live = storage.series(labelsFromRecord({ __name__: 'm', pod: 'steady' }));
  storage.append(batch([churned, live], now));
  // The live series keeps getting samples until the WAL has rolled a few segments.
  while (wal.head.segment < 3) {
    now += 5_000;
    storage.append(batch(Array<number>(200).fill(live), now));
  }
  now += 61_000;
  storage.append(batch([live], now));
  const segment = wal.head.segment;
  assert.equal(
    storage.forgetIdle(segment),
    1,
    'the churned series is idle and its segment is going',
  );
  assert.deepEqual(forgotten, [churned]);
  assert.equal(table.get(churned), undefined);
  assert.ok(table.get(live), 'the live series stays');
  assert.equal(storage.seriesCount, 1);

  // Recently sampled, or with samples in segments that stay: kept.
  const recent = storage.series(labelsFromRecord({ __name__: 'm', pod: 'new' }));
  storage.append(batch([recent], now));
  now += 120_000;
  assert.equal(storage.forgetIdle(segment), 0, 'its samples are in a segment that is kept');
  assert.equal(storage.forgetIdle(wal.head.segment + 1), 2, 'both go once their segments go');

  // A forgotten label set that comes back is a new series, defined again in the WAL.
  const back = storage.series(labelsFromRecord({ __name__: 'm', pod: 'old' }));
  assert.ok(back > recent, `new id ${back}`);
  storage.checkpointSeries(wal.head.segment + 1);
  await wal.close();
  const defined = new Set<number>();
  for await (const entry of readWal(dir.path, { segment, offset: 0 }, { kinds: METRICS_RECORDS })) {
    for (const s of recordOf(entry.record, SERIES_RECORD) ?? []) defined.add(s.id);
  }
  assert.ok(defined.has(back));
  assert.ok(!defined.has(churned) && !defined.has(live), 'forgotten series are not re-logged');
});
