/**
 * The file tailer against real files in a temp dir: appends, partial lines,
 * positions, rename rotation, copytruncate (also while behind), deletion and
 * re-creation, read as the kernel reports them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, copyFile, rename, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TailOptionsError } from '../../../src/sources/tail/file-tailer.js';
import { isRotatedSiblingName } from '../../../src/sources/tail/rotated-copy.js';
import { collectTail, delay, tempDir, waitFor } from './helpers.js';

test('tailer: lines read as they are appended, with offsets, counted', async (t) => {
  const path = join(await tempDir(t), 'app.log');
  await writeFile(path, 'one\ntwo\r\n');
  const c = collectTail({ path }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 2, 'the first two lines');
  await appendFile(path, 'three\n');
  await waitFor(() => c.lines.length === 3, 'the appended line');
  assert.deepEqual(c.texts(), ['one', 'two', 'three']);
  assert.deepEqual(
    c.lines.map((l) => [l.start, l.end, l.generation]),
    [
      [0, 4, 0],
      [4, 9, 0],
      [9, 15, 0],
    ],
  );
  const { ino } = await stat(path);
  assert.equal(c.lines[0]?.identity.ino, ino);
  assert.equal(c.tailer.readOffset, 15);
  assert.equal(c.tailer.size, 15);
  assert.equal(c.read.bytes, 15);
  assert.equal(c.read.lines, 3);
  assert.equal(c.count('opened'), 1);
});

test('tailer: a partial line is held until its newline, or flushed once and its rest emitted alone', async (t) => {
  const path = join(await tempDir(t), 'app.log');
  await writeFile(path, 'whole\nhalf');
  const c = collectTail({ path, partialLineFlushMs: 60_000 }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 1, 'the whole line');
  await delay(150);
  assert.deepEqual(c.texts(), ['whole'], 'the partial line is held');
  await appendFile(path, ' and half\n');
  await waitFor(() => c.lines.length === 2, 'the completed line');
  assert.deepEqual(c.texts(), ['whole', 'half and half']);

  const path2 = join(await tempDir(t), 'flush.log');
  await writeFile(path2, 'prompt> ');
  const d = collectTail({ path: path2, partialLineFlushMs: 100 }, t);
  d.tailer.start();
  await waitFor(() => d.lines.length === 1, 'the flushed partial line');
  assert.deepEqual(d.lines[0], { ...d.lines[0], line: 'prompt> ', start: 0, end: 8 });
  assert.equal(d.count('partialLineFlushed'), 1);
  await appendFile(path2, 'ls\nnext\n\n');
  await waitFor(() => d.lines.length === 4, 'the rest of the line and the next');
  assert.deepEqual(d.texts(), ['prompt> ', 'ls', 'next', ''], 'the flushed part is not re-emitted');

  // Restarting at the flushed line's end knows it is mid-line: an empty rest is not a line.
  const path3 = join(await tempDir(t), 'resume.log');
  await writeFile(path3, 'abc\ndef\n');
  const e = collectTail({ path: path3, startOffset: 3 }, t);
  e.tailer.start();
  await waitFor(() => e.lines.length === 1, 'the line after the resumed newline');
  assert.deepEqual(e.texts(), ['def']);
});

test('tailer: the remembered offset is used for the same file, reset for a smaller or other one', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'old-1\nold-2\nnew-3\n');
  const { dev, ino } = await stat(path);
  const same = collectTail({ path, startOffset: 12, expectIdentity: { dev, ino } }, t);
  same.tailer.start();
  await waitFor(() => same.lines.length === 1, 'the line after the position');
  assert.deepEqual(same.texts(), ['new-3']);

  const smaller = collectTail({ path, startOffset: 100 }, t);
  smaller.tailer.start();
  await waitFor(() => smaller.lines.length === 3, 'the file from 0');
  assert.equal(smaller.count('positionReset'), 1);

  const other = collectTail({ path, startOffset: 6, expectIdentity: { dev, ino: ino + 1 } }, t);
  other.tailer.start();
  await waitFor(() => other.lines.length === 3, 'the other file from 0');
  assert.deepEqual(
    other.events.find((e) => e.kind === 'positionReset'),
    {
      path,
      kind: 'positionReset',
      reason: 'other-file-at-path',
      position: 6,
      size: 18,
    },
  );
});

test('tailer: rename rotation drains the old file (written after the rename too) before the new one', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'a1\na2\n');
  const c = collectTail({ path, rotateWaitMs: 2000 }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 2, 'the first lines');
  await rename(path, `${path}.1`);
  // The writer has not reopened yet: it still appends to the renamed file.
  await appendFile(`${path}.1`, 'a3\n');
  await delay(100);
  await appendFile(`${path}.1`, 'a4\n');
  // Then it reopens: the new file at the path.
  await writeFile(path, 'b1\n');
  await appendFile(path, 'b2\n');
  await waitFor(() => c.lines.length === 6, 'all six lines');
  assert.deepEqual(c.texts(), ['a1', 'a2', 'a3', 'a4', 'b1', 'b2']);
  assert.deepEqual(
    c.lines.map((l) => l.generation),
    [0, 0, 0, 0, 1, 1],
  );
  assert.notEqual(c.lines[0]?.identity.ino, c.lines[4]?.identity.ino);
  assert.equal(c.count('rotated'), 1);
  assert.equal(c.count('released'), 1);
  assert.equal(c.tailer.generation, 1);
});

test('tailer: copytruncate is seen and the file read again from 0', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'first generation line 1\nfirst generation line 2\n');
  const c = collectTail({ path }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 2, 'the first generation');
  await copyFile(path, `${path}.1`);
  await truncate(path, 0);
  await waitFor(() => c.count('truncated') === 1, 'the truncation');
  await appendFile(path, 'second 1\n');
  await waitFor(() => c.lines.length === 3, 'the second generation');
  assert.deepEqual(c.lines[2], { ...c.lines[2], line: 'second 1', start: 0, generation: 1 });
  assert.equal(c.count('rotatedCopyNotFound'), 0);

  // Truncated and written past the old size between two looks: the changed first bytes tell.
  await delay(50);
  await truncate(path, 0);
  await appendFile(path, 'third generation, a longer first line than before\n');
  await waitFor(() => c.lines.length === 4, 'the third generation');
  assert.equal(c.lines[3]?.line, 'third generation, a longer first line than before');
  assert.equal(c.lines[3]?.generation, 2);
});

test('tailer: copytruncate while behind reads the rest from the .1 copy, nothing lost or doubled', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  const total = 20_000;
  const body = Array.from({ length: total }, (_, i) => `line ${i}\n`).join('');
  await writeFile(path, body);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen: string[] = [];
  let batches = 0;
  const c = collectTail(
    {
      path,
      readChunkBytes: 4096,
      onLines: async (lines) => {
        batches++;
        seen.push(...lines.map((l) => l.line));
        if (batches === 1) await gate;
      },
    },
    t,
  );
  c.tailer.start();
  await waitFor(() => batches === 1, 'the first batch');
  assert.ok(c.tailer.readOffset < body.length / 10, 'the tailer is behind');
  await copyFile(path, `${path}.1`);
  await truncate(path, 0);
  await appendFile(path, 'after 0\nafter 1\n');
  release();
  await waitFor(() => seen.length === total + 2, 'every line once');
  assert.deepEqual(seen, [...body.split('\n').slice(0, total), 'after 0', 'after 1']);
  const recovered = c.events.find((e) => e.kind === 'recoveredFromRotatedCopy');
  assert.equal(recovered?.kind === 'recoveredFromRotatedCopy' && recovered.copyPath, `${path}.1`);
});

test('tailer: a deleted file is released after draining and the path awaited until it reappears', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'before\n');
  const c = collectTail({ path, rotateWaitMs: 100 }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 1, 'the first line');
  await unlink(path);
  await waitFor(() => c.count('released') === 1, 'the release');
  assert.equal(c.count('deleted'), 1);
  await delay(100);
  await writeFile(path, 'again\n');
  await waitFor(() => c.lines.length === 2, 'the re-created file');
  assert.deepEqual(c.texts(), ['before', 'again']);
  assert.equal(c.lines[1]?.generation, 1);
});

test('tailer: a path that does not exist yet is awaited; stop closes everything', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'later.log');
  const c = collectTail({ path, startOffset: 0 });
  c.tailer.start();
  await delay(100);
  await writeFile(path, 'hello\n');
  await waitFor(() => c.lines.length === 1, 'the line of the new file');
  await c.tailer.stop();
  await appendFile(path, 'not read\n');
  await delay(100);
  assert.deepEqual(c.texts(), ['hello']);
});

test('tailer: a directory event wakes a long poll at once', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'quiet.log');
  await writeFile(path, 'first\n');
  const c = collectTail({ path, pollMinMs: 10_000, pollMaxMs: 10_000 }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 1, 'the first line');
  await delay(100);
  const appended = Date.now();
  await appendFile(path, 'second\n');
  await waitFor(() => c.lines.length === 2, 'the appended line', 3000);
  assert.ok(Date.now() - appended < 3000, 'well before the 10 s poll');
});

test('rotated sibling names: numbered and dated copies, never compressed ones or other files', () => {
  const yes = [
    'app.log.1',
    'app.log-20240101',
    'app-20240101.log',
    'app.log.2024-01-01',
    'app.1.log',
  ];
  const no = [
    'app.log',
    'app.log.1.gz',
    'app.log-20240101.gz',
    'other.log.1',
    'app.log.2.zst',
    'apple.log',
  ];
  for (const name of yes) assert.equal(isRotatedSiblingName('app.log', name), true, name);
  for (const name of no) assert.equal(isRotatedSiblingName('app.log', name), false, name);
});

test('tailer: a file quiet before its rename is still kept open rotateWaitMs for a late writer', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'quiet.log');
  await writeFile(path, 'a1\n');
  const c = collectTail({ path, rotateWaitMs: 1500 }, t);
  c.tailer.start();
  await waitFor(() => c.lines.length === 1, 'the first line');
  await delay(1700);
  await rename(path, `${path}.1`);
  await writeFile(path, '');
  await delay(150);
  // The writer had not been told yet: its next line lands in the renamed file.
  await appendFile(`${path}.1`, 'a2\n');
  await delay(100);
  await appendFile(path, 'b1\n');
  await waitFor(() => c.lines.length === 3, 'both files');
  assert.deepEqual(c.texts(), ['a1', 'a2', 'b1']);
});

test('tailer: two rename rotations while the consumer blocks: the file in between is kept and read', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'a1\na2\n');
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen: string[] = [];
  const c = collectTail(
    {
      path,
      pollMaxMs: 20,
      rotateWaitMs: 200,
      onLines: async (lines) => {
        seen.push(...lines.map((l) => l.line));
        await gate;
      },
    },
    t,
  );
  c.tailer.start();
  await waitFor(() => seen.length === 2, 'the first batch');
  await appendFile(path, 'a3\n');
  await rename(path, `${path}.1`);
  await writeFile(path, 'b1\nb2\n');
  await delay(300);
  // logrotate's next run: .1 → .2, the current file → .1, a new file.
  await rename(`${path}.1`, `${path}.2`);
  await rename(path, `${path}.1`);
  await writeFile(path, 'c1\n');
  await delay(300);
  release();
  await waitFor(() => seen.length === 6, 'all lines of the three files');
  assert.deepEqual(seen, ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
  assert.equal(c.count('rotated'), 2);
});

test('tailer: stop waits for the onLines in progress; a throwing consumer gets the same lines again', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, 'x1\nx2\n');
  let release: () => void = () => undefined;
  let calls = 0;
  const batches: string[][] = [];
  const c = collectTail(
    {
      path,
      pollMaxMs: 20,
      onLines: async (lines) => {
        calls++;
        if (calls === 1) throw new Error('sink not ready');
        batches.push(lines.map((l) => l.line));
        await new Promise<void>((resolve) => (release = resolve));
      },
    },
    t,
  );
  c.tailer.start();
  await waitFor(() => batches.length === 1, 'the retried batch');
  assert.deepEqual(batches, [['x1', 'x2']]);
  assert.equal(c.count('consumerError'), 1);
  let stopped = false;
  const stopping = c.tailer.stop().then(() => (stopped = true));
  await delay(100);
  assert.equal(stopped, false, 'stop waits for onLines');
  release();
  await stopping;
  assert.equal(stopped, true);
});

test('tailer: options that cannot work are refused at construction with a hint', async (t) => {
  const path = join(await tempDir(t), 'app.log');
  for (const bad of [
    { pollMinMs: 0 },
    { pollMinMs: 100, pollMaxMs: 10 },
    { maxLineSize: -1 },
    { startOffset: -5 },
  ]) {
    assert.throws(
      () => collectTail({ path, ...bad }),
      (error: unknown) =>
        error instanceof TailOptionsError && !!error.hint && error.message.includes(path),
      JSON.stringify(bad),
    );
  }
});
