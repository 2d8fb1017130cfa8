/** The `signet` command line as a whole: help for every command, and pipes closed early. */
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/cli/main.js';
import { SIGNET_BIN, runSignet } from '../helpers/run-cli.js';

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

/** The first line of each command's own usage text, as its source file has it. */
const USAGE_FIRST_LINES: Readonly<Record<string, RegExp>> = {
  sign: /^Usage: signet sign \[options\] URL$/,
  demo: /^Usage: signet demo /,
  run: /^Usage: signet run -config\.file=FILE/,
  config: /^Usage: signet config check /,
  doctor: /^Usage: signet doctor /,
  'iam-policy': /^Usage: signet iam-policy -config\.file=FILE/,
  local: /^Usage: signet local /,
  help: /^Usage: signet help \[COMMAND\]$/,
  version: /^Usage: signet version$/,
};

test('every command `signet help` lists has its own help, by `signet help CMD` and `signet CMD --help`', async () => {
  const general = await runSignet(['help']);
  assert.equal(general.status, 0);
  const listed = [...general.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
  assert.deepEqual(listed.sort(), [...COMMANDS].sort(), 'the general help lists every command');
  for (const command of listed) {
    const expected = USAGE_FIRST_LINES[command];
    assert.ok(expected, `a usage line is expected for ${command}`);
    for (const args of [
      ['help', command],
      [command, '--help'],
      [command, '-h'],
    ]) {
      const r = await runSignet(args);
      assert.equal(r.status, 0, `signet ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout.split('\n')[0]!, expected, `signet ${args.join(' ')}`);
      assert.equal(r.stderr, '');
    }
  }
});

test('help for a command that does not exist, and unknown options, are one line and exit 2', async () => {
  const r = await runSignet(['help', 'bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^signet help: no command 'bogus' \(run `signet help` for the list: /);
  for (const args of [
    ['demo', '--bogus'],
    ['config', 'check', '--bogus', 'x.yaml'],
  ]) {
    const bad = await runSignet(args);
    assert.equal(bad.status, 2, `signet ${args.join(' ')}: ${bad.stderr}`);
    assert.doesNotMatch(bad.stderr, /unexpected error|please report/);
    assert.match(bad.stderr, /--bogus/);
  }
});
