import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { WalWriter, comparePositions, type WalPosition } from '../../../src/buffer/wal/index.js';
import {
  assertSameBatch,
  batchFor,
  crashBatchSize,
  logCollector,
  readAll,
  samplesOf,
  seqOf,
  tempDir,
} from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-child.js', import.meta.url));
const SEGMENT_BYTES = 256 * 1024;

interface Reported {
  readonly seq: number;
  readonly end: WalPosition;
}

/**
 * Runs the child until it has reported `killAfter` appends, SIGKILLs it, and
 * returns every append it reported (including those still in the pipe when
 * the signal landed).
 */
function runAndKill(dir: string, firstSeq: number, killAfter: number): Promise<Reported[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(firstSeq), String(SEGMENT_BYTES)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported: Reported[] = [];
    let stderr = '';
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const [a, b, c] = line.split(' ');
        if (a === 'open') continue;
        reported.push({ seq: Number(a), end: { segment: Number(b), offset: Number(c) } });
        if (reported.length === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended on its own (${code}): ${stderr}`));
      else resolve(reported);
    });
  });
}

test('appends reported before a SIGKILL all survive it, across several crashes', async (t) => {
  const dir = tempDir(t);
  const reported: Reported[] = [];
  const rounds = 5;
  for (let round = 0; round < rounds; round++) {
    reported.push(...(await runAndKill(dir, round * 100_000, 40 + round * 23)));
  }

  const log = logCollector();
  const wal = await WalWriter.open({ dir, segmentBytes: SEGMENT_BYTES, onLog: log.onLog });
  assert.ok(log.lines.length <= 1, 'at most one repair line');
  await wal.close();

  const entries = await readAll(dir);
  const byEnd = new Map(entries.map((e) => [`${e.end.segment}:${e.end.offset}`, e]));
  for (const r of reported) {
    const entry = byEnd.get(`${r.end.segment}:${r.end.offset}`);
    assert.ok(entry, `append ${r.seq} reported at ${r.end.segment}:${r.end.offset} is on disk`);
    assertSameBatch(samplesOf(entry), batchFor(r.seq, crashBatchSize(r.seq)), `append ${r.seq}`);
  }
  // Nothing else but whole appends, in order: at most one unreported (finished
  // but not yet reported) append per crash.
  let previous = -1;
  for (const e of entries) {
    const seq = seqOf(samplesOf(e));
    assert.ok(seq > previous, 'appends in order');
    assertSameBatch(samplesOf(e), batchFor(seq, crashBatchSize(seq)), `record of append ${seq}`);
    previous = seq;
  }
  assert.ok(entries.length - reported.length <= rounds);
  for (let i = 1; i < entries.length; i++) {
    assert.ok(comparePositions(entries[i - 1]!.end, entries[i]!.end) < 0);
  }
});
