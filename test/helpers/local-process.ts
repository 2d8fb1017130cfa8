/**
 * `signet local` as a child process, the way a user runs it: started with the
 * given arguments on a free port, ready once its banner names the URL.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { SIGNET_BIN } from './run-cli.js';

export interface LocalProcess {
  readonly url: string;
  /** Everything printed on stdout so far (the banner, at least). */
  readonly banner: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startLocalProcess(
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<LocalProcess> {
  const child = spawn(process.execPath, [SIGNET_BIN, 'local', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`signet local printed no banner in 15 s; stderr: ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`signet local exited (${code}) before its banner; stderr: ${stderr}`));
    };
    child.once('exit', onEarlyExit);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = / on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      // The banner is printed in one write; wait for its last line.
      if (match && /AWS_REGION=|Credentials: /.test(stdout)) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve({
          url: match[1]!,
          banner: stdout,
          child,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
  });
}

/** The value of `NAME=value` as the banner prints it. */
export function bannerValue(banner: string, name: string): string {
  const match = new RegExp(`${name}=(\\S+)`).exec(banner);
  if (!match) throw new Error(`the banner does not mention ${name}:\n${banner}`);
  return match[1]!;
}
