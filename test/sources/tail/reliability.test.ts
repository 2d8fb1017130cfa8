/**
 * Issue 12's reliability test at the tailer level: 1,000,000 numbered lines
 * written by a child process while the file is rotated 50 times, rename and
 * copytruncate mixed, the tailer never waited for. Every line must arrive
 * exactly once and in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { copyFile, rename, truncate, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FileTailer } from '../../../src/sources/tail/file-tailer.js';
import type { TailEvent } from '../../../src/sources/tail/types.js';
import { delay, tempDir, waitFor } from './helpers.js';

const writerScript = fileURLToPath(new URL('./line-writer.js', import.meta.url));

function reply(child: ChildProcess, request: string, expected: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if (message === expected) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

test('tailer: 1,000,000 lines through 50 rotations (rename and copytruncate) arrive exactly once, in order', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'busy.log');
  const total = 1_000_000;
  const rotations = 50;
  await writeFile(path, '');

  let expected = 0;
  let batches = 0;
  const problems: string[] = [];
  const events = new Map<TailEvent['kind'], number>();
  const tailer = new FileTailer({
    path,
    startOffset: 0,
    maxLineSize: 0,
    truncateLongLines: false,
    pollMinMs: 5,
    pollMaxMs: 50,
    rotateWaitMs: 3000,
    onLines: async (lines) => {
      // A consumer that is sometimes slow, so rotations also happen while the tailer is behind.
      if (++batches % 5 === 0) await delay(40);
      for (const { line } of lines) {
        const n = Number(line.slice(5, 13));
        if (n !== expected && problems.length < 20) {
          problems.push(`expected line ${expected}, got ${JSON.stringify(line.slice(0, 40))}`);
        }
        expected = Math.max(expected, n + 1);
      }
    },
    onEvent: (event) => events.set(event.kind, (events.get(event.kind) ?? 0) + 1),
  });
  t.after(() => tailer.stop());
  tailer.start();

  const writer = fork(writerScript, [path, String(total), '60000'], { stdio: 'inherit' });
  t.after(() => writer.kill());
  let done = false;
  writer.on('message', (message) => {
    if (typeof message === 'string' && message.startsWith('done')) done = true;
  });

  let renames = 0;
  let copies = 0;
  let seed = 12;
  // All 50 happen even if a starved machine lets the writer finish first.
  for (let r = 0; r < rotations; r++) {
    await delay(200);
    seed = (seed * 1103515245 + 12345) >>> 0;
    const rotated = `${path}.${r + 1}`;
    if ((seed >>> 16) % 2 === 0) {
      // logrotate `create`: rename, then the writer is told to reopen (its HUP).
      await rename(path, rotated);
      await reply(writer, 'reopen', 'reopened');
      renames++;
    } else {
      // logrotate `copytruncate`: the writer pauses only for logrotate's own copy+truncate.
      await reply(writer, 'pause', 'paused');
      await copyFile(path, rotated);
      await truncate(path, 0);
      writer.send('resume');
      copies++;
    }
  }
  await waitFor(() => done, 'the writer to finish', 60_000);
  await waitFor(() => expected >= total || problems.length > 0, 'every line', 30_000).catch(
    () => undefined,
  );
  await delay(200);
  const summary = JSON.stringify({ renames, copies, expected, events: Object.fromEntries(events) });
  t.diagnostic(summary);
  assert.deepEqual(problems, [], summary);
  assert.equal(expected, total, summary);
  assert.ok(renames + copies === rotations, `only ${renames + copies} rotations: ${summary}`);
  assert.ok(renames >= 10 && copies >= 10, summary);
  assert.equal(events.get('rotated'), renames, summary);
  assert.equal(events.get('rotatedCopyNotFound') ?? 0, 0, summary);
});
