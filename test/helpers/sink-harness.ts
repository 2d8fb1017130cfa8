/**
 * What sink tests share around a client under test: a client signing for a
 * service at `signet local` with the demo keys, the progress reports and log
 * lines a client hands its deps, a metric read back from prom-client's
 * registry, and polling for something to happen.
 */
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
