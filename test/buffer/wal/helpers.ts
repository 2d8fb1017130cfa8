/** Shared pieces of the WAL tests: temp dirs, deterministic batches, bit-exact comparison. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { SampleBatch } from '../../../src/model/series.js';
import { markStale } from '../../../src/model/series.js';
import {
  readWal,
  recordOf,
  type WalEntry,
  type WalPosition,
} from '../../../src/buffer/wal/index.js';
import { METRICS_RECORDS, SAMPLES_RECORD } from '../../../src/pipelines/metrics/records/index.js';

/** A fresh directory, removed when the test ends. */
export function tempDir(t: TestContext, prefix = 'signet-wal-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.wal'))
    .sort();
}

export function batchOf(ids: number[], timestamps: number[], values: number[]): SampleBatch {
  return {
    count: ids.length,
    ids: Uint32Array.from(ids),
    timestamps: Float64Array.from(timestamps),
    values: Float64Array.from(values),
  };
}

/**
 * Batch number `seq` with `count` samples, the same every time it is asked
 * for: the crash test's child and parent both build it. Every seventh sample
 * is a staleness marker; odd batches have spread timestamps, even ones share
 * one (the two common timestamp encodings).
 */
export function batchFor(seq: number, count: number): SampleBatch {
  const ids = new Uint32Array(count);
  const timestamps = new Float64Array(count);
  const values = new Float64Array(count);
  const base = 1_700_000_000_000 + seq * 15_000;
  for (let i = 0; i < count; i++) {
    ids[i] = (seq * 31 + i) >>> 0;
    timestamps[i] = seq % 2 === 0 ? base : base + i;
    values[i] = seq + i / 8;
  }
  for (let i = 0; i < count; i += 7) markStale(values, i);
  return { count, ids, timestamps, values };
}

function bytes(a: Float64Array, count: number): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, count * 8);
}

/** Equal to the last bit: ids, timestamps' and values' raw bytes. */
export function assertSameBatch(actual: SampleBatch, expected: SampleBatch, what = 'batch'): void {
  assert.equal(actual.count, expected.count, `${what}: count`);
  const ids = (b: SampleBatch): Buffer => Buffer.from(b.ids.buffer, b.ids.byteOffset, b.count * 4);
  if (!ids(actual).equals(ids(expected))) {
    // Byte comparison is fast; the element-wise one only runs to explain a failure.
    assert.deepEqual(
      [...actual.ids.subarray(0, actual.count)],
      [...expected.ids.subarray(0, expected.count)],
      `${what}: ids`,
    );
  }
  assert.ok(
    bytes(actual.timestamps, actual.count).equals(bytes(expected.timestamps, expected.count)),
    `${what}: timestamp bytes`,
  );
  assert.ok(
    bytes(actual.values, actual.count).equals(bytes(expected.values, expected.count)),
    `${what}: value bytes`,
  );
}

/** The samples of consecutive records concatenated (an append may be split into records). */
export function concatBatches(batches: readonly SampleBatch[]): SampleBatch {
  const count = batches.reduce((n, b) => n + b.count, 0);
  const out = {
    count,
    ids: new Uint32Array(count),
    timestamps: new Float64Array(count),
    values: new Float64Array(count),
  };
  let at = 0;
  for (const b of batches) {
    out.ids.set(b.ids.subarray(0, b.count), at);
    out.timestamps.set(b.timestamps.subarray(0, b.count), at);
    // Through bytes: Float64Array.set could go through numbers.
    new Uint8Array(out.values.buffer).set(bytes(b.values, b.count), at * 8);
    at += b.count;
  }
  return out;
}

export interface Logged {
  readonly level: string;
  readonly message: string;
}

export function logCollector(): {
  lines: Logged[];
  onLog: (level: string, message: string) => void;
} {
  const lines: Logged[] = [];
  return { lines, onLog: (level, message) => lines.push({ level, message }) };
}

export async function readAll(
  dir: string,
  from?: WalPosition,
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void,
): Promise<WalEntry[]> {
  const out: WalEntry[] = [];
  for await (const entry of readWal(dir, from, {
    kinds: METRICS_RECORDS,
    ...(onLog ? { onLog } : {}),
  }))
    out.push(entry);
  return out;
}

export function samplesOf(entry: WalEntry): SampleBatch {
  const batch = recordOf(entry.record, SAMPLES_RECORD);
  assert.ok(batch, `a samples record, not ${entry.record.kind.name}`);
  return batch;
}

/** Batch sizes of the crash test's child: 1 to 20,000 samples, a different mix each round. */
export function crashBatchSize(seq: number): number {
  return 1 + ((seq * 7919) % 20_000);
}

/** Inverse of batchFor's timestamps: which batch a record holds. */
export function seqOf(batch: SampleBatch): number {
  return (batch.timestamps[0]! - 1_700_000_000_000) / 15_000;
}
