/**
 * Fixtures for the CloudWatch Logs client against `signet local`: a client
 * signing for `logs` with the demo keys, one CloudWatchLogsClient with short
 * timings and its progress, log lines and metrics, and reading a stream back
 * with the official AWS SDK v3 client (never with Signet's own code).
 */
import {
  CloudWatchLogsClient as SdkLogsClient,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { Registry } from 'prom-client';
import type { CredentialProvider } from '../../../src/aws/credentials/types.js';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import type { LocalStack } from '../../../src/local/index.js';
import { msToNs, type LogEntry, type LogLabels } from '../../../src/model/log-entry.js';
import {
  CloudWatchLogsClient,
  createCloudWatchLogsMetrics,
  type CloudWatchLogsMetrics,
  type CloudWatchLogsOptions,
} from '../../../src/sinks/cloudwatch-logs/index.js';
import { loggedRequests, sdkConfig } from '../../helpers/local-stack.js';
import { demoAws, recorder, type LogLine } from '../../helpers/sink-harness.js';

export { metricValue, until, type LogLine } from '../../helpers/sink-harness.js';

export interface Harness {
  readonly client: CloudWatchLogsClient<number>;
  /** Every progress report, in order. */
  readonly progress: number[];
  readonly logs: LogLine[];
  readonly registry: Registry;
  readonly metrics: CloudWatchLogsMetrics;
}

/** Signs for signet local's CloudWatch Logs with the demo keys, or the provider given. */
export function logsAws(local: LocalStack, credentials?: CredentialProvider): AwsClient {
  return demoAws(local, 'logs', credentials);
}

export function harness(
  local: LocalStack,
  options: Partial<CloudWatchLogsOptions> & { readonly logGroupName: string },
  deps: { readonly now?: () => number; readonly registry?: Registry } = {},
): Harness {
  const { progress, logs, progressDeps, log } = recorder();
  const registry = deps.registry ?? new Registry();
  const metrics = createCloudWatchLogsMetrics(registry);
  const client = new CloudWatchLogsClient<number>(
    {
      aws: logsAws(local),
      url: local.url,
      logStreamName: 'test-stream',
      batchWaitMs: 20,
      minBackoffMs: 10,
      maxBackoffMs: 100,
      failureLogIntervalMs: 60_000,
      ...options,
    },
    {
      progress: progressDeps,
      metrics,
      log,
      ...(deps.now ? { now: deps.now } : {}),
    },
  );
  return { client, progress, logs, registry, metrics };
}

export function entry(line: string, timestampMs: number, labels: LogLabels = {}): LogEntry {
  return { labels, line, timestampNs: msToNs(timestampMs) };
}

export function sdkLogs(local: LocalStack): SdkLogsClient {
  return new SdkLogsClient(sdkConfig(local));
}

export interface ReadEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Every event of a stream, oldest first, paging with nextForwardToken until it repeats. */
export async function readStream(
  sdk: SdkLogsClient,
  group: string,
  stream: string,
): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await sdk.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        ...(token ? { nextToken: token } : {}),
      }),
    );
    for (const e of page.events ?? []) {
      events.push({ timestamp: e.timestamp ?? NaN, message: e.message ?? '' });
    }
    if (!page.nextForwardToken || page.nextForwardToken === token) return events;
    token = page.nextForwardToken;
  }
}

/** PutLogEvents calls signet local answered, with their status and error code. */
export async function putCalls(
  local: LocalStack,
): Promise<{ status: number; errorCode: string | undefined }[]> {
  return (await loggedRequests(local))
    .filter((r) => r.operation === 'PutLogEvents')
    .map((r) => ({ status: r.status, errorCode: r.errorCode }));
}
