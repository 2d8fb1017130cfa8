/**
 * What sink tests share around a client under test: a client signing for a
 * service at `signet local` with the demo keys, the progress reports and log
 * lines a client hands its deps, a metric read back from prom-client's
 * registry, and polling for something to happen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { createCredentialProvider } from '../../src/aws/credentials/provider.js';
import type { CredentialProvider } from '../../src/aws/credentials/types.js';
import { AwsClient } from '../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  type LocalStack,
} from '../../src/local/index.js';
import type { SinkLog } from '../../src/sinks/shared/failure-log.js';
import type { LogClientProgress } from '../../src/sinks/shared/log-client.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Signs for `service` at signet local with the demo keys, or the provider given. */
export function demoAws(
  local: LocalStack,
  service: string,
  credentials?: CredentialProvider,
): AwsClient {
  return new AwsClient({
    service,
    region: local.region,
    credentials:
      credentials ??
      createCredentialProvider({
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET_ACCESS_KEY,
      }),
  });
}

/** Signs for `service` with the `writer` profile of `file` (in `dir`), re-read on every forced refresh. */
export function awsReadingFile(
  local: LocalStack,
  service: string,
  dir: string,
  file: string,
): AwsClient {
  return demoAws(
    local,
    service,
    createCredentialProvider(
      { profile: 'writer' },
      {
        env: { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'none'), HOME: dir },
        minForceIntervalMs: 0,
        fileCheckIntervalMs: 3_600_000,
      },
    ),
  );
}

/** Writes `file` as a shared credentials file with a `writer` profile. */
export function writeCredentials(file: string, keyId: string, secret: string): void {
  writeFileSync(
    file,
    `[writer]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`,
  );
}

/** Credentials AWS refuses, with the blocked reason a sink reports for each. */
export const REFUSED_CREDENTIALS = [
  ['a key AWS does not know', 'AKIAIOSFODNN7NOTREAL', DEMO_SECRET_ACCESS_KEY, 'credentials'],
  ['a wrong secret', DEMO_ACCESS_KEY_ID, 'not-the-secret-at-all-0000000000000000000', 'signature'],
] as const;

export interface Recorded {
  /** Every progress report, in order. */
  readonly progress: number[];
  readonly logs: LogLine[];
  /** For a client whose tokens are the enqueue call's number. */
  readonly progressDeps: LogClientProgress<number>;
  readonly log: SinkLog;
}

/** Collects a log client's progress reports and log lines. */
export function recorder(): Recorded {
  const progress: number[] = [];
  const logs: LogLine[] = [];
  return {
    progress,
    logs,
    progressDeps: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
    log: (level, message, fields) => logs.push({ level, message, fields }),
  };
}

/**
 * A series' value summed over the series matching `labels` (0 when none);
 * a histogram's `_count` or `_sum` by that name.
 */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const base = registry.getSingleMetric(name) ? name : name.replace(/_(?:count|sum)$/, '');
  const metric = registry.getSingleMetric(base);
  if (!metric) return 0;
  const { values } = await metric.get();
  const want = Object.entries(labels);
  return values
    .filter((v) => ((v as { metricName?: string }).metricName ?? base) === name)
    .filter((v) => want.every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Polls `condition` until it holds; fails with `what` after a generous cap (a hang guard, not a timing check). */
export async function until(condition: () => boolean, what: string, capMs = 30_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
