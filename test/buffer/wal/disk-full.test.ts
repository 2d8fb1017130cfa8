import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { WalWriteError, WalWriter, type WalPosition } from '../../../src/buffer/wal/index.js';
import { batchFor, logCollector, readAll, segmentFiles, tempDir } from './helpers.js';
import { SAMPLES_RECORD } from '../../../src/pipelines/metrics/records/index.js';

const FILL_CHILD = fileURLToPath(new URL('./fixtures/fill-child.js', import.meta.url));

test('a full disk: WalWriteError with a hint, nothing torn, appends resume once space returns', async (t) => {
  const mnt = tempDir(t, 'signet-wal-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  if (mounted.status !== 0) {
    t.skip('cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE test covers the failure path');
    return;
  }
  try {
    const filler = join(mnt, 'filler');
    writeFileSync(filler, Buffer.alloc(256 * 1024, 1));
    const dir = join(mnt, 'wal');
    const log = logCollector();
    const wal = await WalWriter.open({ dir, segmentBytes: 64 * 1024, onLog: log.onLog });
    const ends: WalPosition[] = [];
    let failure: unknown;
    let seq = 0;
    for (; seq < 10_000; seq++) {
      try {
        ends.push(wal.append(SAMPLES_RECORD, batchFor(seq, 500)));
      } catch (err) {
        failure = err;
        break;
      }
    }
    assert.ok(failure instanceof WalWriteError, `expected WalWriteError, got ${String(failure)}`);
    assert.equal(failure.code, 'ENOSPC');
    assert.match(failure.message, /disk is full \(ENOSPC\)/);
    assert.match(failure.hint ?? '', /free space/);
    assert.ok(ends.length > 10, 'the disk held some appends first');

    // Still full: the retry fails cleanly again.
    assert.throws(() => wal.append(SAMPLES_RECORD, batchFor(seq, 500)), WalWriteError);
    // The failed appends' partial bytes were cut off again.
    const head = wal.head;
    assert.equal(statSync(join(dir, segmentFiles(dir).at(-1)!)).size, head.offset);
    // What is on disk is whole records only, exactly the successful appends.
    assert.deepEqual(
      (await readAll(dir)).map((e) => e.end),
      ends,
    );

    rmSync(filler);
    ends.push(wal.append(SAMPLES_RECORD, batchFor(seq, 500)));
    ends.push(wal.append(SAMPLES_RECORD, batchFor(seq + 1, 500)));
    await wal.close();
    const readLog = logCollector();
    assert.deepEqual(
      (await readAll(dir, undefined, readLog.onLog)).map((e) => e.end),
      ends,
    );
    assert.deepEqual(readLog.lines, []);
    assert.deepEqual(log.lines, []);
    assert.ok(segmentFiles(dir).length > 1);
  } finally {
    spawnSync('umount', [mnt]);
  }
});

interface FillReport {
  ends?: WalPosition[];
  code?: string;
  message?: string;
  hint?: string;
  pid?: number;
  again?: string;
  after?: WalPosition;
}

test('a file size limit (EFBIG) is handled like a full disk', async (t) => {
  if (spawnSync('prlimit', ['--version']).status !== 0) {
    t.skip('prlimit is not installed');
    return;
  }
  const dir = tempDir(t);
  const child = spawn('prlimit', ['--fsize=200000:unlimited', process.execPath, FILL_CHILD, dir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const reports: FillReport[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let pending = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const report = JSON.parse(line) as FillReport;
      reports.push(report);
      if (report.again !== undefined) {
        // Lift the limit on the running child, then let it append again.
        const lifted = spawnSync('prlimit', ['--pid', String(child.pid), '--fsize=unlimited']);
        assert.equal(lifted.status, 0, String(lifted.stderr));
        child.stdin.write('go\n');
      }
    }
  });
  const code = await exited;
  assert.equal(code, 0, stderr);
  const [first, second, third] = reports;
  assert.equal(first?.code, 'EFBIG');
  assert.match(first?.message ?? '', /file size limit/);
  assert.match(first?.hint ?? '', /ulimit -f/);
  assert.equal(second?.again, 'EFBIG');
  assert.ok(third?.after);
  const log = logCollector();
  assert.deepEqual(
    (await readAll(dir, undefined, log.onLog)).map((e) => e.end),
    [...first.ends!, third.after],
  );
  assert.deepEqual(log.lines, []);
});

test('a vanished WAL directory: WalWriteError, then the next append recreates it', async (t) => {
  const dir = join(tempDir(t), 'wal');
  const log = logCollector();
  const wal = await WalWriter.open({ dir, onLog: log.onLog });
  wal.append(SAMPLES_RECORD, batchFor(1, 10));
  rmSync(dir, { recursive: true });
  assert.throws(
    () => wal.append(SAMPLES_RECORD, batchFor(2, 10)),
    (err: unknown) =>
      err instanceof WalWriteError && err.code === 'ENOENT' && /deleted/.test(err.message),
  );
  const end = wal.append(SAMPLES_RECORD, batchFor(3, 10));
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!.message, /recreated/);
  await wal.close();
  assert.deepEqual(
    (await readAll(dir)).map((e) => e.end),
    [end],
  );
  assert.equal(wal.diskBytes(), end.offset);
});
