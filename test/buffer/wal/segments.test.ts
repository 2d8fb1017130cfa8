import assert from 'node:assert/strict';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WalWriter, type WalPosition } from '../../../src/buffer/wal/index.js';
import {
  assertSameBatch,
  batchFor,
  logCollector,
  readAll,
  samplesOf,
  segmentFiles,
  tempDir,
} from './helpers.js';
import { SAMPLES_RECORD } from '../../../src/pipelines/metrics/records/index.js';

const SEGMENT_BYTES = 64 * 1024;

/** Appends batches 0..n-1 of varying size; returns the position after each. */
function appendMany(wal: WalWriter, n: number): WalPosition[] {
  const ends: WalPosition[] = [];
  for (let seq = 0; seq < n; seq++)
    ends.push(wal.append(SAMPLES_RECORD, batchFor(seq, 50 + (seq % 9) * 40)));
  return ends;
}

test('many small segments: records roll over and read back in order', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const ends = appendMany(wal, 400);
  await wal.close();

  const files = segmentFiles(dir);
  assert.ok(files.length >= 10, `expected many segments, got ${files.length}`);
  for (const f of files) assert.ok(statSync(join(dir, f)).size <= SEGMENT_BYTES, f);

  const entries = await readAll(dir);
  assert.deepEqual(
    entries.map((e) => e.end),
    ends,
  );
  entries.forEach((e, seq) => assertSameBatch(samplesOf(e), batchFor(seq, 50 + (seq % 9) * 40)));
});

test('reading from a returned position yields exactly the records after it', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const ends = appendMany(wal, 200);
  // Also while the writer is still open: the last segment is live.
  for (const k of [0, 1, 57, 120, 198, 199]) {
    const entries = await readAll(dir, ends[k]);
    assert.deepEqual(
      entries.map((e) => e.end),
      ends.slice(k + 1),
      `from record ${k}`,
    );
    if (entries.length > 0)
      assertSameBatch(samplesOf(entries[0]!), batchFor(k + 1, 50 + ((k + 1) % 9) * 40));
  }
  // A segment's start reads that whole segment on; a position past everything reads nothing.
  const lastSegment = ends[ends.length - 1]!.segment;
  const fromStart = await readAll(dir, { segment: lastSegment, offset: 0 });
  assert.deepEqual(
    fromStart.map((e) => e.end),
    ends.filter((e) => e.segment === lastSegment),
  );
  assert.deepEqual(await readAll(dir, { segment: lastSegment + 5, offset: 0 }), []);
  await wal.close();
});

test('reopening continues in a new segment after the existing ones', async (t) => {
  const dir = tempDir(t);
  const first = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const before = appendMany(first, 30);
  await first.close();
  const log = logCollector();
  const second = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog });
  assert.deepEqual(log.lines, [], 'a cleanly closed WAL needs no repair');
  assert.equal(second.head.segment, before[before.length - 1]!.segment + 1);
  const after = second.append(SAMPLES_RECORD, batchFor(99, 10));
  await second.close();
  const entries = await readAll(dir);
  assert.deepEqual(
    entries.map((e) => e.end),
    [...before, after],
  );

  // A writer that never appended leaves an empty segment; the next one reuses its number.
  const idle = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const idleSegment = idle.head.segment;
  await idle.close();
  const reuse = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  assert.equal(reuse.head.segment, idleSegment);
  await reuse.close();
});

test('truncateBefore deletes whole segments that end at or before the position, never the current one', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const ends = appendMany(wal, 300);
  const segments = [...new Set(ends.map((e) => e.segment))];
  assert.ok(segments.length >= 6);
  const [s1, s2, s3, s4] = segments as [number, number, number, number];
  const lastOf = (s: number): WalPosition => ends.filter((e) => e.segment === s).at(-1)!;
  const firstOf = (s: number): WalPosition => ends.find((e) => e.segment === s)!;

  assert.deepEqual(wal.truncateBefore({ segment: s1, offset: 0 }), []);
  // Inside s2: only s1 has been sent completely.
  assert.deepEqual(wal.truncateBefore(firstOf(s2)), [s1]);
  // The end of s3's last record is the end of s3: s2 and s3 go.
  assert.deepEqual(wal.truncateBefore(lastOf(s3)), [s2, s3]);
  const entries = await readAll(dir);
  assert.deepEqual(entries[0]!.end, firstOf(s4));

  const bytesBefore = wal.diskBytes();
  const head = wal.head;
  const deleted = wal.truncateBefore({ segment: head.segment + 10, offset: 0 });
  assert.deepEqual(deleted, segments.slice(3, -1));
  assert.deepEqual(
    segmentFiles(dir).map((f) => Number(f.slice(0, -4))),
    [head.segment],
    'the segment being written stays',
  );
  assert.ok(wal.diskBytes() < bytesBefore);
  assert.equal(wal.diskBytes(), statSync(join(dir, segmentFiles(dir)[0]!)).size);
  assert.deepEqual(
    (await readAll(dir)).map((e) => e.end),
    ends.filter((e) => e.segment === head.segment),
  );
  // Appends carry on.
  const next = wal.append(SAMPLES_RECORD, batchFor(1, 3));
  await wal.close();
  assert.deepEqual((await readAll(dir)).at(-1)!.end, next);
});

test('diskBytes matches the files; segmentsOlderThan goes by mtime and skips the current segment', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const ends = appendMany(wal, 100);
  const files = segmentFiles(dir);
  const total = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  assert.equal(wal.diskBytes(), total);

  const now = 1_800_000_000_000;
  const hour = 3_600_000;
  const segments = files.map((f) => Number(f.slice(0, -4)));
  // Ages: the first two 3 h old, the rest 10 min; the current one 5 h (still never listed).
  segments.forEach((s, i) => {
    const age = s === wal.head.segment ? 5 * hour : i < 2 ? 3 * hour : hour / 6;
    const when = new Date(now - age);
    utimesSync(join(dir, files[i]!), when, when);
  });
  assert.deepEqual(wal.segmentsOlderThan(2 * hour, now), segments.slice(0, 2));
  assert.deepEqual(wal.segmentsOlderThan(hour / 12, now), segments.slice(0, -1));
  assert.ok(ends.length > 0);
  await wal.close();
});
