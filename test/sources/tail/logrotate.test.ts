/**
 * Rotation by Debian's real logrotate, as a host runs it: `create` (rename,
 * new file, the writer told by HUP in postrotate) and `copytruncate` (the
 * writer paused by prerotate/postrotate only so that logrotate's own
 * copy-to-truncate window loses nothing). Lines arrive once each, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FileTailer } from '../../../src/sources/tail/file-tailer.js';
import type { TailEvent } from '../../../src/sources/tail/types.js';
import { delay, tempDir, waitFor } from './helpers.js';

const logrotate = '/usr/sbin/logrotate';
const writerScript = fileURLToPath(new URL('./line-writer.js', import.meta.url));
const run = promisify(execFile);

for (const mode of ['create', 'copytruncate'] as const) {
  test(
    `tailer: a real logrotate (${mode}) rotating a busy file: every line once, in order`,
    {
      skip: existsSync(logrotate) ? false : `${logrotate} is not installed`,
    },
    async (t) => {
      const dir = await tempDir(t);
      const path = join(dir, 'app.log');
      const pausedFlag = join(dir, 'writer-paused');
      await writeFile(path, '');
      const total = 60_000;
      let expected = 0;
      const problems: string[] = [];
      const events: TailEvent['kind'][] = [];
      const tailer = new FileTailer({
        path,
        startOffset: 0,
        maxLineSize: 0,
        truncateLongLines: false,
        pollMinMs: 5,
        pollMaxMs: 50,
        rotateWaitMs: 2000,
        onLines: (lines) => {
          for (const { line } of lines) {
            const n = Number(line.slice(5, 13));
            if (n !== expected && problems.length < 10)
              problems.push(`wanted ${expected}: ${line}`);
            expected = Math.max(expected, n + 1);
          }
        },
        onEvent: (event) => events.push(event.kind),
      });
      t.after(() => tailer.stop());
      tailer.start();
      const writer = fork(writerScript, [path, String(total), '15000'], {
        env: { ...process.env, WRITER_PAUSED_FLAG: pausedFlag },
      });
      t.after(() => writer.kill());
      await new Promise<void>((resolve) => writer.once('message', () => resolve()));
      let done = false;
      writer.on('message', (m) => (done ||= typeof m === 'string' && m.startsWith('done')));

      const pid = String(writer.pid);
      const scripts =
        mode === 'create'
          ? `  create 0644\n  postrotate\n    kill -HUP ${pid}\n  endscript\n`
          : `  copytruncate\n  prerotate\n    kill -USR1 ${pid} || exit 0\n    for i in $(seq 1000); do [ -e ${pausedFlag} ] && break; sleep 0.01; done\n  endscript\n  postrotate\n    kill -USR2 ${pid}\n  endscript\n`;
      const config = join(dir, 'logrotate.conf');
      await writeFile(config, `${path} {\n  rotate 10\n  nocompress\n  missingok\n${scripts}}\n`);
      let rotations = 0;
      while (!done && rotations < 6) {
        await delay(400);
        await run(logrotate, ['-f', '-s', join(dir, 'logrotate.state'), config], {
          timeout: 20_000,
        });
        rotations++;
      }
      await waitFor(() => done, 'the writer', 30_000);
      await waitFor(() => expected >= total || problems.length > 0, 'every line', 15_000).catch(
        () => undefined,
      );
      const seen = (kind: TailEvent['kind']): number => events.filter((e) => e === kind).length;
      const summary = `${rotations} rotations, up to line ${expected}, rotated ${seen('rotated')}, truncated ${seen('truncated')}`;
      t.diagnostic(summary);
      assert.deepEqual(problems, [], summary);
      assert.equal(expected, total, summary);
      assert.ok(rotations >= 3, summary);
      assert.equal(seen(mode === 'create' ? 'rotated' : 'truncated'), rotations, summary);
    },
  );
}
