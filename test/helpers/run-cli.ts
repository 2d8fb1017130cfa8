import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const SIGNET_BIN = fileURLToPath(new URL('../../../bin/signet.js', import.meta.url));

/**
 * The program and arguments that run `signet ARGS`: Node.js with bin/signet.js,
 * or the single executable when SIGNET_PACKAGED_BIN names one (to run the
 * tests that go through runSignet or startSignet against it).
 */
export function signetCommand(args: readonly string[]): [string, string[]] {
  const packaged = process.env.SIGNET_PACKAGED_BIN;
  return packaged ? [packaged, [...args]] : [process.execPath, [SIGNET_BIN, ...args]];
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `signet` command in a child process with a clean environment:
 * no AWS variables leak in from the machine running the tests.
 */
export function runSignet(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string | Buffer } = {},
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...options.env,
  };
  const [program, programArgs] = signetCommand(args);
  const child = spawn(program, programArgs, {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result = outcome(child);
  child.stdin.end(options.stdin ?? '');
  return result;
}

/** A child's exit status and everything it printed, once it has closed. */
export function outcome(
  child: ChildProcessByStdio<Writable | null, Readable, Readable>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
