/**
 * `signet run` as a child process with a configuration written by the test:
 * its log, its HTTP address once it is running, and the ways it can end —
 * SIGTERM (a clean stop) or SIGKILL (a crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { signetCommand } from './run-cli.js';

/** Children still running: a test that fails before stopping its agent must not leave it behind. */
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface SignetChild {
  readonly pid: number;
  readonly url: string;
  log(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: nothing is flushed, as in a crash. */
  kill(): Promise<void>;
}

/**
 * Writes `yaml` to `<dir>/agent.yaml` and runs it. The server listens on an
 * ephemeral port unless the YAML says otherwise. `cwd`: where relative paths
 * (the default `data-agent/`) land; the test runner's own by default.
 */
export async function startSignet(
  dir: string,
  yaml: string,
  env: NodeJS.ProcessEnv = {},
  options: { cwd?: string } = {},
): Promise<SignetChild> {
  const file = join(dir, 'agent.yaml');
  const withServer = /^server:/m.test(yaml)
    ? yaml
    : `server: { http_listen_address: 127.0.0.1, http_listen_port: 0 }\n${yaml}`;
  writeFileSync(file, withServer);
  const [program, args] = signetCommand(['run', `-config.file=${file}`]);
  const child = spawn(program, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  running.add(child);
  const lines: string[] = [];
  child.stderr.on('data', (c: Buffer) => lines.push(c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let url: string | undefined;
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  for (let i = 0; i < 400 && url === undefined && code === undefined; i++) {
    url = /Signet is running.*?url"?[=:]"?(http:\/\/[\d.]+:\d+)/.exec(lines.join(''))?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 25));
  }
  if (url === undefined || child.pid === undefined) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`signet run did not start:\n${lines.join('')}`);
  }
  return {
    pid: child.pid,
    url,
    log: () => lines.join(''),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
