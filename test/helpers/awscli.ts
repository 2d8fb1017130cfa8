/**
 * Debian's awscli (/usr/bin/aws, installed by .ci/run) as a child process with
 * a clean environment: the demo keys, no config or credentials files, a
 * temporary HOME, no pager, JSON output — and never a pip copy of `aws` that
 * may come first on PATH.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from './local-stack.js';
import { outcome, type CliResult } from './run-cli.js';

export const DEBIAN_AWS = '/usr/bin/aws';

/** Why the awscli tests cannot run here, or undefined when they can. */
export function awscliMissing(): string | undefined {
  return existsSync(DEBIAN_AWS)
    ? undefined
    : `${DEBIAN_AWS} (Debian's awscli) is not installed: apt-get install awscli, as .ci/run does`;
}

export interface AwsCli {
  /** The temporary HOME it runs in (and its working directory), for files to copy. */
  readonly home: string;
  run(args: readonly string[]): Promise<CliResult>;
  /** Runs a command that must succeed; its JSON output (undefined when it prints none). */
  json(args: readonly string[]): Promise<unknown>;
}

/** `aws --endpoint-url URL --output json ARGS…` against a local stack. */
export function awsCli(endpoint: string, region = 'us-east-1'): AwsCli {
  const home = mkdtempSync(join(tmpdir(), 'signet-awscli-'));
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const run = (args: readonly string[]): Promise<CliResult> =>
    outcome(
      spawn(
        DEBIAN_AWS,
        ['--endpoint-url', endpoint, '--output', 'json', '--no-cli-pager', ...args],
        {
          env,
          cwd: home,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
  const json = async (args: readonly string[]): Promise<unknown> => {
    const result = await run(args);
    if (result.status !== 0) {
      throw new Error(`aws ${args.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
    }
    return result.stdout.trim() === '' ? undefined : (JSON.parse(result.stdout) as unknown);
  };
  return { home, run, json };
}
