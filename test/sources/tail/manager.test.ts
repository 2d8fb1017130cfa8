/**
 * The file target manager finding files on real directories with real
 * (shrunk) timers: new files within one sync period (or at once through the
 * directory watch), deleted ones released with their position, one tailer
 * per file, targets dropped as Promtail drops them, and updates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import type { FileTarget } from '../../../src/sources/tail/manager.js';
import { harness, numbered, SYNC_MS, until } from './manager-harness.js';

test('new files are found within one sync period, deleted ones released and their position removed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'a.log'), numbered('a', 1, 3));
    const { manager, received, warnings } = await harness(dir);
    const target: FileTarget = {
      job: 'varlogs',
      labels: { __path__: `${dir}/*.log`, __address__: 'localhost', job: 'varlogs', env: 'test' },
    };
    await manager.start([target]);
    await until('a.log read', () => received.length === 3);
    assert.deepEqual(received[0], {
      path: join(dir, 'a.log'),
      line: 'a 1',
      labels: { job: 'varlogs', env: 'test', filename: join(dir, 'a.log') },
      token: received[0]!.token,
      job: 'varlogs',
    });

    const createdAt = Date.now();
    await writeFile(join(dir, 'b.log'), numbered('b', 1, 2));
    await until('b.log read', () => received.some((r) => r.line === 'b 2'), SYNC_MS * 3);
    const took = Date.now() - createdAt;
    assert.ok(took <= SYNC_MS + 80, `b.log found after ${took} ms (sync period ${SYNC_MS} ms)`);

    await appendFile(join(dir, 'a.log'), 'a 4\n');
    await until('a.log followed', () => received.some((r) => r.line === 'a 4'));
    await sleep(SYNC_MS * 2);
    const saved = () =>
      readFile(join(dir, 'positions.yaml'), 'utf8').then(
        (text) => (parse(text) as { positions: Record<string, string> }).positions,
      );
    assert.deepEqual(await saved(), { [join(dir, 'a.log')]: '16', [join(dir, 'b.log')]: '8' });

    await unlink(join(dir, 'a.log'));
    await until(
      'a.log released',
      () => manager.status().every((s) => !s.path.endsWith('a.log')),
      SYNC_MS * 3,
    );
    await sleep(SYNC_MS * 2);
    assert.deepEqual(
      await saved(),
      { [join(dir, 'b.log')]: '8' },
      'the deleted file’s entry is gone',
    );

    const [status] = manager.status();
    assert.equal(status!.path, join(dir, 'b.log'));
    assert.equal(status!.readOffset, 8);
    assert.equal(status!.settledOffset, 8);
    assert.equal(status!.size, 8);
    assert.equal(status!.lag, 0);
    await manager.stop();
    assert.deepEqual(warnings, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('one tailer per file when two targets match it; targets without __path__ or of another host are dropped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'shared.log'), 'one\n');
    const { manager, received, warnings } = await harness(dir);
    await manager.start([
      { job: 'first', labels: { __path__: `${dir}/*.log`, team: 'a' } },
      { job: 'second', labels: { __path__: `${dir}/shared.*`, team: 'b' } },
      { job: 'nopath', labels: { team: 'c' } },
      { job: 'elsewhere', labels: { __path__: `${dir}/*.log`, __host__: 'other-host' } },
      { job: 'here', labels: { __path__: `${dir}/none-*.log`, __host__: 'this-host' } },
    ]);
    await until('read', () => received.length === 1);
    await sleep(SYNC_MS * 2);
    assert.equal(received.length, 1, 'read once');
    assert.equal(received[0]!.job, 'first');
    assert.equal(received[0]!.labels['team'], 'a');
    assert.equal(manager.status().length, 1);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /shared\.log is matched by two file targets \(jobs first and second\)/,
    );
    assert.deepEqual(
      manager.droppedTargets().map((d) => d.reason),
      ['no __path__ label', '__host__ is other-host, not this host (this-host)'],
    );
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file created in a watched directory is tailed at once, not at the next sync', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'a.log'), 'a\n');
    const { manager, received } = await harness(dir, { syncMs: 60_000 });
    await manager.start([{ job: 'j', labels: { __path__: `${dir}/*.log` } }]);
    await until('a.log read', () => received.length === 1);
    await writeFile(join(dir, 'ignored.txt'), 'not matched\n');
    await writeFile(join(dir, 'b.log'), 'b\n');
    await until(
      'b.log read through the directory watch',
      () => received.some((r) => r.line === 'b'),
      2000,
    );
    assert.deepEqual(received.map((r) => r.line).sort(), ['a', 'b']);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file in a new directory (not watched yet) is found by the periodic sync', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    const { manager, received } = await harness(dir, { syncMs: 300 });
    await manager.start([{ job: 'pods', labels: { __path__: `${dir}/pods/**/*.log` } }]);
    await mkdir(join(dir, 'pods', 'ns_pod_uid', 'container'), { recursive: true });
    const createdAt = Date.now();
    await writeFile(join(dir, 'pods', 'ns_pod_uid', 'container', '0.log'), 'hello\n');
    await until('0.log read', () => received.length === 1, 2000);
    const took = Date.now() - createdAt;
    assert.ok(took <= 300 + 100, `found after ${took} ms (sync period 300 ms)`);
    assert.equal(
      received[0]!.labels['filename'],
      join(dir, 'pods', 'ns_pod_uid', 'container', '0.log'),
    );
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('update(): a removed target’s files are released (position removed), changed labels apply without a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'signet-manager-'));
  try {
    await writeFile(join(dir, 'a.log'), 'a1\n');
    await writeFile(join(dir, 'b.txt'), 'b1\n');
    const { manager, received, positions } = await harness(dir);
    await manager.start([
      { job: 'logs', labels: { __path__: `${dir}/*.log`, team: 'x' } },
      { job: 'texts', labels: { __path__: `${dir}/*.txt` } },
    ]);
    await until('both read', () => received.length === 2);
    await manager.update([{ job: 'logs', labels: { __path__: `${dir}/*.log`, team: 'y' } }]);
    await appendFile(join(dir, 'a.log'), 'a2\n');
    await until('a2', () => received.some((r) => r.line === 'a2'));
    assert.equal(received.find((r) => r.line === 'a2')!.labels['team'], 'y');
    await until('b.txt released', () => manager.status().length === 1, SYNC_MS * 4);
    await positions.sync();
    assert.deepEqual(positions.paths(), [join(dir, 'a.log')]);
    await manager.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
