/**
 * Fixtures for the Firehose and Kinesis clients against `signet local`: a
 * client signing with the demo keys (or a credentials file), the progress,
 * log lines and metrics a harness collects, entries, and the calls signet
 * local logged. Records are read back with signet local's own store
 * (Firehose has no read API) or the official SDK v3 client and Debian's
 * awscli (Kinesis), never with Signet's code.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient as SdkKinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { Registry } from 'prom-client';
import type { CredentialProvider } from '../../../src/aws/credentials/types.js';
import type { AwsClient } from '../../../src/aws/http/aws-client.js';
import type { LocalStack } from '../../../src/local/index.js';
import type { LogEntry, LogLabels } from '../../../src/model/log-entry.js';
import type {
  RecordClientDeps,
  RecordClientOptions,
  RecordSinkMetrics,
} from '../../../src/sinks/aws-records/index.js';
import { FirehoseClient, createFirehoseMetrics } from '../../../src/sinks/firehose/index.js';
import { KinesisClient, createKinesisMetrics } from '../../../src/sinks/kinesis/index.js';
import { loggedRequests, sdkConfig } from '../../helpers/local-stack.js';
import { demoAws, recorder, type LogLine } from '../../helpers/sink-harness.js';

export {
  awsReadingFile,
  metricValue,
  until,
  writeCredentials,
  type LogLine,
} from '../../helpers/sink-harness.js';

export interface Collected {
  readonly deps: RecordClientDeps<number>;
  /** Every progress report, in order. */
  readonly progress: number[];
  readonly logs: LogLine[];
  readonly registry: Registry;
}

/** Deps for a client whose tokens are the enqueue call's number. */
export function collect(
  createMetrics: (registry: Registry) => RecordSinkMetrics,
  registry = new Registry(),
): Collected {
  const { progress, logs, progressDeps, log } = recorder();
  return {
    deps: {
      progress: progressDeps,
      metrics: createMetrics(registry),
      log,
      failureLogIntervalMs: 60_000,
    },
    progress,
    logs,
    registry,
  };
}

/** A Firehose or Kinesis client class with its service and metrics, for clientAt. */
export interface RecordSinkUnderTest<Client, Options extends RecordClientOptions> {
  readonly service: 'firehose' | 'kinesis';
  readonly Client: new (options: Options, deps: RecordClientDeps<number>) => Client;
  readonly createMetrics: (registry: Registry) => RecordSinkMetrics;
}

export const FIREHOSE = {
  service: 'firehose',
  Client: FirehoseClient<number>,
  createMetrics: createFirehoseMetrics,
} as const;

export const KINESIS = {
  service: 'kinesis',
  Client: KinesisClient<number>,
  createMetrics: createKinesisMetrics,
} as const;

/**
 * A client of `sink` calling signet local, signing with the demo keys unless
 * `options.aws` says otherwise, and what its deps collect.
 */
export function clientAt<Client, Options extends RecordClientOptions>(
  local: LocalStack,
  sink: RecordSinkUnderTest<Client, Options>,
  options: Omit<Options, 'url' | 'aws'> & { readonly aws?: AwsClient | undefined },
): { client: Client } & Collected {
  const collected = collect(sink.createMetrics);
  const client = new sink.Client(
    { url: local.url, ...options, aws: options.aws ?? awsFor(local, sink.service) } as Options,
    collected.deps,
  );
  return { client, ...collected };
}

/** Signs for `service` at signet local with the demo keys, or the provider given. */
export function awsFor(
  local: LocalStack,
  service: 'firehose' | 'kinesis',
  credentials?: CredentialProvider,
): AwsClient {
  return demoAws(local, service, credentials);
}

const T0 = 1_700_000_000_000_000_000n;

export function entry(line: string, labels: LogLabels = { job: 'test' }, n = 0): LogEntry {
  return { labels, line, timestampNs: T0 + BigInt(n) };
}

/** `count` entries `line 0000`…, numbered from `from`. */
export function numbered(count: number, from = 0, prefix = 'line'): LogEntry[] {
  return Array.from({ length: count }, (_, i) =>
    entry(`${prefix} ${String(from + i).padStart(6, '0')}`, { job: 'test' }, from + i),
  );
}

/** The calls of `operation` signet local answered so far, with status and error code. */
export async function calls(
  local: LocalStack,
  operation: string,
): Promise<{ status: number; errorCode: string | undefined }[]> {
  return (await loggedRequests(local))
    .filter((r) => r.operation === operation)
    .map((r) => ({ status: r.status, errorCode: r.errorCode }));
}

export interface ReadRecord {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly shard: string;
}

/** Every record of a Kinesis stream, shard by shard, through @aws-sdk/client-kinesis. */
export async function readKinesis(
  local: LocalStack,
  stream: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): Promise<ReadRecord[]> {
  const sdk = new SdkKinesisClient(sdkConfig(local, credentials ? { credentials } : {}));
  try {
    const shards = await sdk.send(new ListShardsCommand({ StreamName: stream }));
    const out: ReadRecord[] = [];
    for (const shard of shards.Shards ?? []) {
      let iterator = (
        await sdk.send(
          new GetShardIteratorCommand({
            StreamName: stream,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await sdk.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
        );
        for (const record of page.Records ?? []) {
          out.push({
            data: Buffer.from(record.Data ?? new Uint8Array()),
            partitionKey: record.PartitionKey ?? '',
            shard: shard.ShardId ?? '',
          });
        }
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return out;
  } finally {
    sdk.destroy();
  }
}
