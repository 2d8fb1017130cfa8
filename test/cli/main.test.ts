/** The `signet` command line as a whole: help for every command, and pipes closed early. */
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SIGNET_BIN } from '../helpers/run-cli.js';

/**
 * Runs `signet ARGS | head -1` without a shell: the test reads the first
 * chunk of stdout and closes its end of the pipe, as head does.
 */
function runIntoClosedReader(
  args: string[],
): Promise<{ status: number | null; first: string; stderr: string }> {
  const child = spawn(process.execPath, [SIGNET_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let first = '';
  let stderr = '';
  child.stdout.once('data', (chunk: Buffer) => {
    first = chunk.toString('utf8').split('\n')[0]!;
    child.stdout.destroy();
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`signet ${args.join(' ')} did not end after its reader went away`));
    }, 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, first, stderr });
    });
  });
}

test('`signet local --demo | head -1` ends quietly once the reader has gone', async () => {
  const r = await runIntoClosedReader(['local', '--demo']);
  assert.match(r.first, /^signet local: AWS stand-in for us-east-1 on http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(r.stderr, '', 'nothing on stderr: no EPIPE, no stack trace');
  assert.equal(r.status, 0);
});
