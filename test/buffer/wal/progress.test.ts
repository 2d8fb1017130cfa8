import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WalProgress } from '../../../src/buffer/wal/index.js';
import { logCollector, tempDir } from './helpers.js';

const FILE = 'progress.json';

function onDisk(dir: string): unknown {
  return JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
}

test('positions survive a reload', (t) => {
  const dir = tempDir(t);
  const progress = WalProgress.open(dir);
  assert.equal(progress.get('amp'), undefined);
  progress.set('amp', { segment: 3, offset: 4096 });
  progress.set('mimir "eu"', { segment: 2, offset: 8 });
  progress.set('to-delete', { segment: 1, offset: 8 });
  progress.delete('to-delete');
  progress.flush();

  const reloaded = WalProgress.open(dir);
  assert.deepEqual(reloaded.names(), ['amp', 'mimir "eu"']);
  assert.deepEqual(reloaded.get('amp'), { segment: 3, offset: 4096 });
  assert.deepEqual(reloaded.get('mimir "eu"'), { segment: 2, offset: 8 });
  // Nothing but the file itself is left: the temp file was renamed over it.
  assert.deepEqual(readdirSync(dir), [FILE]);
});

test('writes are coalesced: at most one per interval, flush() on demand', (t) => {
  const dir = tempDir(t);
  const progress = WalProgress.open(dir, { flushIntervalMs: 3_600_000 });
  progress.set('amp', { segment: 1, offset: 100 });
  progress.flush();
  assert.deepEqual(onDisk(dir), {
    version: 1,
    positions: [{ name: 'amp', segment: 1, offset: 100 }],
  });
  // Within the interval, sets stay in memory.
  for (let i = 1; i <= 1000; i++) progress.set('amp', { segment: 1, offset: 100 + i });
  assert.deepEqual(progress.get('amp'), { segment: 1, offset: 1100 });
  assert.deepEqual(onDisk(dir), {
    version: 1,
    positions: [{ name: 'amp', segment: 1, offset: 100 }],
  });
  progress.flush();
  assert.deepEqual(WalProgress.open(dir).get('amp'), { segment: 1, offset: 1100 });
});

test('a torn temp file from a crash is ignored; the last complete file wins', (t) => {
  const dir = tempDir(t);
  const progress = WalProgress.open(dir);
  progress.set('amp', { segment: 5, offset: 64 });
  progress.flush();
  // A crash between writing the temp file and renaming it.
  writeFileSync(join(dir, `${FILE}.tmp`), '{"version":1,"positions":[{"na');
  const reloaded = WalProgress.open(dir);
  assert.deepEqual(reloaded.get('amp'), { segment: 5, offset: 64 });
  reloaded.set('amp', { segment: 6, offset: 8 });
  reloaded.flush();
  assert.deepEqual(WalProgress.open(dir).get('amp'), { segment: 6, offset: 8 });
});

test('an unreadable file is reported and progress starts empty (resend, never skip)', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, FILE), 'not json');
  const log = logCollector();
  const progress = WalProgress.open(dir, { onLog: log.onLog });
  assert.deepEqual(progress.names(), []);
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!.message, /unreadable.*resends/);

  writeFileSync(join(dir, FILE), JSON.stringify({ version: 1, positions: [{ name: 'x' }] }));
  const log2 = logCollector();
  assert.deepEqual(WalProgress.open(dir, { onLog: log2.onLog }).names(), []);
  assert.equal(log2.lines.length, 1);
});

test('positions must be integers', (t) => {
  const progress = WalProgress.open(tempDir(t));
  assert.throws(() => progress.set('amp', { segment: 1.5, offset: 0 }), /not two integers/);
  assert.throws(() => progress.set('amp', { segment: 1, offset: NaN }), /not two integers/);
});
