/**
 * The file target manager and positions on real files: a restart resumes
 * without reading settled lines again, a replaced file is read from 0,
 * Promtail's positions file is taken as it is, rotation by rename and
 * copytruncate deliver every line once, back-pressure reaches the tailer,
 * and the tailer gets the target's options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { FileTargetManager, type FileTarget } from '../../../src/sources/tail/manager.js';
import { Positions } from '../../../src/sources/tail/positions.js';
import type { TailerOptions } from '../../../src/sources/tail/tailer-contract.js';
import { harness, numbered, SYNC_MS, until } from './manager-harness.js';
import { PollingTailer } from './polling-tailer.js';

test('a restart resumes from the positions file: settled lines are not read again, unsettled ones are', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('line', 1, 10));
    const target: FileTarget = { job: 'app', labels: { __path__: file } };
    // First run: only lines up to 6 are ever settled (the rest were "in flight" when it stopped).
    const first = await harness(dir, { settle: (r) => Number(r.line.split(' ')[1]) <= 6 });
    await first.manager.start([target]);
    await until('all lines read', () => first.received.length === 10);
    await first.manager.stop();
    const text = await readFile(join(dir, 'positions.yaml'), 'utf8');
    assert.match(text, new RegExp(`^positions:\\n  ${file}: "42" # signet:dev=\\d+,ino=\\d+\\n$`));

    await appendFile(file, numbered('line', 11, 12));
    const second = await harness(dir);
    await second.manager.start([target]);
    await until('the rest read', () => second.received.some((r) => r.line === 'line 12'));
    assert.deepEqual(
      second.received.map((r) => r.line),
      ['line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12'],
    );
    await second.manager.stop();
    assert.equal(
      (
        parse(await readFile(join(dir, 'positions.yaml'), 'utf8')) as {
          positions: Record<string, string>;
        }
      ).positions[file],
      String(numbered('line', 1, 12).length),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file replaced while stopped (another identity) is read from 0 even when it is longer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('old', 1, 3));
    const target: FileTarget = { job: 'app', labels: { __path__: file } };
    const first = await harness(dir);
    await first.manager.start([target]);
    await until('read', () => first.received.length === 3);
    await first.manager.stop();

    await rename(file, `${file}.1`);
    await writeFile(file, numbered('new', 1, 5)); // longer than the saved offset: Promtail would skip into it
    const second = await harness(dir);
    await second.manager.start([target]);
    await until('new file read', () => second.received.length === 5);
    assert.deepEqual(
      second.received.map((r) => r.line),
      numbered('new', 1, 5).trim().split('\n'),
    );
    await second.manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rotation by rename: every line once, in order; the position ends in the new file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, '');
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    let written = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) await appendFile(file, `line ${++written}\n`);
      await sleep(30);
      await rename(file, `${file}.${round}`);
      await appendFile(`${file}.${round}`, `line ${++written}\n`); // a writer still holding the old file
      await writeFile(file, '');
    }
    for (let i = 0; i < 10; i++) await appendFile(file, `line ${++written}\n`);
    // Five rotations drained one after another: generous on a loaded machine (CI timed out at 3 s once).
    await until('every line', () => received.length >= written, 15_000);
    await sleep(100);
    assert.deepEqual(
      received.map((r) => r.line),
      Array.from({ length: written }, (_, i) => `line ${i + 1}`),
    );
    const [status] = manager.status();
    assert.equal(status!.generation, 5);
    assert.equal(status!.settledOffset, numbered('line', written - 9, written).length);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('switching from Promtail: its positions file is used as it is (offset, or 0 when the file is shorter)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const resumed = join(dir, 'resumed.log');
    const shrunk = join(dir, 'shrunk.log');
    await writeFile(resumed, numbered('r', 1, 4)); // "r 1\n" is 4 bytes: offset 8 is after "r 2"
    await writeFile(shrunk, numbered('s', 1, 2));
    // As Promtail wrote it: no identities.
    await writeFile(
      join(dir, 'positions.yaml'),
      `positions:\n  ${resumed}: "8"\n  ${shrunk}: "4000"\n  journal-syslog: s=abc;i=1\n`,
    );
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    await until('read', () => received.length === 4);
    assert.deepEqual(
      received.filter((r) => r.path === resumed).map((r) => r.line),
      ['r 3', 'r 4'],
    );
    assert.deepEqual(
      received.filter((r) => r.path === shrunk).map((r) => r.line),
      ['s 1', 's 2'],
    );
    await manager.stop();
    const saved = (
      parse(await readFile(join(dir, 'positions.yaml'), 'utf8')) as {
        positions: Record<string, string>;
      }
    ).positions;
    assert.deepEqual(saved, { [resumed]: '16', [shrunk]: '8', 'journal-syslog': 's=abc;i=1' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('copytruncate: the truncated file is read again from 0 and its position follows the new content', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('before', 1, 20));
    const { manager, received } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: file } }]);
    await until('first content', () => received.length === 20);
    await writeFile(`${file}.1`, await readFile(file)); // copy…
    await writeFile(file, ''); // …then truncate
    await sleep(60);
    await appendFile(file, numbered('after', 1, 3));
    await until('after truncation', () => received.some((r) => r.line === 'after 3'));
    assert.deepEqual(
      received.slice(20).map((r) => r.line),
      ['after 1', 'after 2', 'after 3'],
    );
    const [status] = manager.status();
    assert.equal(status!.generation, 1);
    assert.equal(status!.settledOffset, numbered('after', 1, 3).length);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('back-pressure: while the pipeline does not take a batch, the tailer reads no further', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'big.log');
    await writeFile(file, numbered('line', 1, 100_000)); // ~1.1 MB
    const positions = await Positions.load({
      file: join(dir, 'positions.yaml'),
      syncPeriodMs: SYNC_MS,
      ignoreInvalidYaml: false,
      log: () => {},
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    let lines = 0;
    const manager: FileTargetManager = new FileTargetManager({
      positions,
      createTailer: (o) => new PollingTailer(o),
      tailing: { maxLineSize: 0, truncateLongLines: false, pollMinMs: 10, pollMaxMs: 50 },
      syncPeriodMs: SYNC_MS,
      log: () => {},
      onLines: async (batch) => {
        batches++;
        lines += batch.lines.length;
        await gate;
        batch.lines.forEach((_, i) => manager.settle(batch.firstToken + i));
      },
    });
    await manager.start([{ job: 'j', labels: { __path__: file } }]);
    await sleep(300);
    assert.equal(batches, 1, 'one batch handed over, then the tailer waits');
    const [held] = manager.status();
    assert.ok(held!.readOffset <= 64 * 1024, `read ${held!.readOffset} bytes while blocked`);
    assert.equal(held!.settledOffset, 0);
    assert.equal(held!.lag, held!.readOffset);
    release();
    await until('the whole file', () => lines === 100_000, 10_000);
    await until(
      'settled',
      () => manager.status()[0]!.settledOffset === numbered('line', 1, 100_000).length,
    );
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the tailer gets the target’s encoding and decompression and the saved offset and identity', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const file = join(dir, 'app.log');
    await writeFile(file, numbered('l', 1, 3));
    const { manager, received, positions } = await harness(dir);
    await manager.start([{ job: 'j', labels: { __path__: file } }]);
    await until('read', () => received.length === 3);
    await manager.stop();
    const saved = positions.get(file)!;
    assert.equal(saved.offset, 12);

    const seen: TailerOptions[] = [];
    const again = await Positions.load({
      file: join(dir, 'positions.yaml'),
      syncPeriodMs: SYNC_MS,
      ignoreInvalidYaml: false,
      log: () => {},
    });
    const second = new FileTargetManager({
      positions: again,
      createTailer: (o) => {
        seen.push(o);
        return new PollingTailer(o);
      },
      tailing: { maxLineSize: 1024, truncateLongLines: true, pollMinMs: 20, pollMaxMs: 100 },
      syncPeriodMs: SYNC_MS,
      log: () => {},
      onLines: async () => {},
    });
    await second.start([
      {
        job: 'j',
        labels: { __path__: file },
        encoding: 'utf-16le',
        decompression: { format: 'gz', initialDelayMs: 5 },
      },
    ]);
    await second.stop();
    assert.equal(seen.length, 1);
    const o = seen[0]!;
    assert.equal(o.path, file);
    assert.equal(o.startOffset, 12);
    assert.deepEqual(o.expectIdentity, saved.identity);
    assert.equal(o.encoding, 'utf-16le');
    assert.deepEqual(o.decompression, { format: 'gz', initialDelayMs: 5 });
    assert.equal(o.maxLineSize, 1024);
    assert.equal(o.truncateLongLines, true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
