import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { SAMPLES_RECORD, SERIES_RECORD } from '../../../src/pipelines/metrics/records/index.js';

const SEGMENT_BYTES = 16 * 1024;
const HEADER = 8;

interface Fixture {
  dir: string;
  ends: WalPosition[];
  lastFile: string;
  lastBytes: Buffer;
}

/** A closed WAL of several segments whose last segment ends with a small record. */
async function fixture(dir: string): Promise<Fixture> {
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const ends: WalPosition[] = [];
  for (let seq = 0; seq < 150; seq++) ends.push(wal.append(SAMPLES_RECORD, batchFor(seq, 60)));
  ends.push(wal.append(SERIES_RECORD, [{ id: 9, labels: [{ name: '__name__', value: 'tail' }] }]));
  ends.push(wal.append(SAMPLES_RECORD, batchFor(150, 12)));
  await wal.close();
  const lastFile = join(dir, segmentFiles(dir).at(-1)!);
  return { dir, ends, lastFile, lastBytes: readFileSync(lastFile) };
}

/** Puts the last segment back as it was, cut to `length`, and drops anything newer. */
function restoreCut(f: Fixture, length: number): void {
  for (const name of segmentFiles(f.dir)) {
    if (join(f.dir, name) > f.lastFile) rmSync(join(f.dir, name));
  }
  writeFileSync(f.lastFile, f.lastBytes.subarray(0, length));
}

test('a tail torn at any byte of the last record is cut with one log line, and the rest reads back', async (t) => {
  const f = await fixture(tempDir(t));
  const last = f.ends.at(-1)!;
  const prev = f.ends.at(-2)!;
  assert.equal(prev.segment, last.segment, 'fixture: the last two records share a segment');
  assert.equal(last.offset, f.lastBytes.length);

  for (let cut = prev.offset; cut < last.offset; cut++) {
    restoreCut(f, cut);
    const log = logCollector();
    const wal = await WalWriter.open({ dir: f.dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog });
    if (cut === prev.offset) {
      assert.deepEqual(log.lines, [], `cut ${cut}: a cut on a record boundary is not damage`);
    } else {
      assert.equal(log.lines.length, 1, `cut ${cut}: one log line`);
      const line = log.lines[0]!;
      assert.equal(line.level, 'warn');
      const name = f.lastFile.slice(-12);
      assert.match(line.message, new RegExp(`cut ${cut - prev.offset} bytes .*segment ${name}`));
    }
    assert.equal(statSync(f.lastFile).size, prev.offset);
    const entries = await readAll(f.dir);
    assert.deepEqual(
      entries.map((e) => e.end),
      f.ends.slice(0, -1),
      `cut ${cut}`,
    );
    if (cut === prev.offset + 5) {
      // After a repair, appends continue in the new segment and read back after the survivors.
      const end = wal.append(SAMPLES_RECORD, batchFor(77, 5));
      const again = await readAll(f.dir);
      assert.deepEqual(again.at(-1)!.end, end);
      assertSameBatch(samplesOf(again.at(-1)!), batchFor(77, 5));
    }
    await wal.close();
  }
});

test('a segment cut inside its header is emptied and reused', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES });
  const first = wal.append(SAMPLES_RECORD, batchFor(1, 3));
  await wal.close();
  const file = join(dir, segmentFiles(dir)[0]!);
  const bytes = readFileSync(file);
  for (let cut = 1; cut < HEADER; cut++) {
    writeFileSync(file, bytes.subarray(0, cut));
    const log = logCollector();
    const reopened = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog });
    assert.equal(log.lines.length, 1, `cut ${cut}`);
    assert.match(log.lines[0]!.message, /segment header cut short/);
    assert.equal(reopened.head.segment, first.segment, 'the emptied segment number is reused');
    await reopened.close();
    assert.deepEqual(await readAll(dir), []);
    rmSync(file, { force: true });
  }
});

test('a flipped byte or zeroed bytes at the end of the last segment are cut at open', async (t) => {
  const f = await fixture(tempDir(t));
  const prev = f.ends.at(-2)!;

  const flipped = Buffer.from(f.lastBytes);
  flipped[prev.offset + 20]! ^= 0x01;
  writeFileSync(f.lastFile, flipped);
  let log = logCollector();
  await (
    await WalWriter.open({ dir: f.dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog })
  ).close();
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!.message, /checksum mismatch/);
  assert.deepEqual(
    (await readAll(f.dir)).map((e) => e.end),
    f.ends.slice(0, -1),
  );

  restoreCut(f, f.lastBytes.length);
  appendFileSync(f.lastFile, Buffer.alloc(4096));
  log = logCollector();
  await (
    await WalWriter.open({ dir: f.dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog })
  ).close();
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!.message, /cut 4096 bytes \(zeroed bytes\)/);
  assert.deepEqual(
    (await readAll(f.dir)).map((e) => e.end),
    f.ends,
  );
});

test('a corrupt byte in an older segment skips the rest of that segment, with a log line', async (t) => {
  const f = await fixture(tempDir(t));
  const segments = [...new Set(f.ends.map((e) => e.segment))];
  assert.ok(segments.length >= 4, 'fixture: several segments');
  const victim = segments[1]!;
  const inVictim = f.ends.filter((e) => e.segment === victim);
  assert.ok(inVictim.length >= 3);
  // The middle record of the victim segment: from its start to its end.
  const k = Math.floor(inVictim.length / 2);
  const recordStart = inVictim[k - 1]!.offset;
  const path = join(
    f.dir,
    segmentFiles(f.dir).find((n) => Number(n.slice(0, -4)) === victim)!,
  );
  const bytes = readFileSync(path);
  bytes[recordStart + 40]! ^= 0xff;
  writeFileSync(path, bytes);

  const log = logCollector();
  const entries = await readAll(f.dir, undefined, log.onLog);
  assert.equal(log.lines.length, 1);
  assert.equal(log.lines[0]!.level, 'warn');
  assert.match(
    log.lines[0]!.message,
    new RegExp(`segment ${path.slice(-12)} at byte ${recordStart}`),
  );
  assert.deepEqual(
    entries.map((e) => e.end),
    f.ends.filter((e) => e.segment !== victim || e.offset <= recordStart),
  );

  // Opening the writer does not touch older segments.
  const openLog = logCollector();
  await (
    await WalWriter.open({ dir: f.dir, segmentBytes: SEGMENT_BYTES, onLog: openLog.onLog })
  ).close();
  assert.deepEqual(openLog.lines, []);
});

test('a last segment from a newer format version is refused, not cut', async (t) => {
  const dir = tempDir(t);
  const wal = await WalWriter.open({ dir });
  wal.append(SAMPLES_RECORD, batchFor(1, 3));
  await wal.close();
  const file = join(dir, segmentFiles(dir)[0]!);
  const bytes = readFileSync(file);
  bytes[4] = 99;
  writeFileSync(file, bytes);
  await assert.rejects(WalWriter.open({ dir }), /newer Signet/);
  assert.equal(statSync(file).size, bytes.length);
});
