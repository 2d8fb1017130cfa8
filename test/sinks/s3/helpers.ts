/**
 * Fixtures for the S3 client against `signet local`: a client signing for
 * `s3` with the demo keys, one S3LogClient with short timings and its
 * progress, log lines and metrics, and reading objects back with the
 * official AWS SDK v3 client (never with Signet's own code).
 */
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client as SdkS3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { Registry } from 'prom-client';
import { createCredentialProvider } from '../../../src/aws/credentials/provider.js';
import type { CredentialProvider } from '../../../src/aws/credentials/types.js';
import { AwsClient } from '../../../src/aws/http/aws-client.js';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_SECRET_ACCESS_KEY,
  type LocalStack,
} from '../../../src/local/index.js';
import { msToNs, type LogEntry, type LogLabels } from '../../../src/model/log-entry.js';
import {
  S3LogClient,
  createS3Metrics,
  type S3Metrics,
  type S3SinkOptions,
} from '../../../src/sinks/s3/index.js';
import { sdkConfig } from '../../helpers/local-stack.js';

export { metricValue, until } from '../cloudwatch-logs/helpers.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface Harness {
  readonly client: S3LogClient<number>;
  /** Every progress report, in order. */
  readonly progress: number[];
  readonly logs: LogLine[];
  readonly registry: Registry;
  readonly metrics: S3Metrics;
}

/** Signs for signet local's S3 with the demo keys, or the provider given. */
export function s3Aws(local: LocalStack, credentials?: CredentialProvider): AwsClient {
  return new AwsClient({
    service: 's3',
    region: local.region,
    credentials:
      credentials ??
      createCredentialProvider({
        accessKeyId: DEMO_ACCESS_KEY_ID,
        secretAccessKey: DEMO_SECRET_ACCESS_KEY,
      }),
  });
}

export function harness(
  local: LocalStack,
  options: Partial<S3SinkOptions> & { readonly bucket: string },
  deps: { readonly registry?: Registry } = {},
): Harness {
  const progress: number[] = [];
  const logs: LogLine[] = [];
  const registry = deps.registry ?? new Registry();
  const metrics = createS3Metrics(registry);
  const client = new S3LogClient<number>(
    {
      aws: s3Aws(local),
      url: local.url,
      batchWaitMs: 50,
      minBackoffMs: 10,
      maxBackoffMs: 100,
      ...options,
    },
    {
      progress: { compare: (a, b) => a - b, onProgress: (t) => progress.push(t) },
      metrics,
      log: (level, message, fields) => logs.push({ level, message, fields }),
    },
  );
  return { client, progress, logs, registry, metrics };
}

export function entry(line: string, timestampMs: number, labels: LogLabels = {}): LogEntry {
  return { labels, line, timestampNs: msToNs(timestampMs) };
}

/** The SDK against signet local, path-style (the endpoint is 127.0.0.1). */
export function sdkS3(local: LocalStack): SdkS3Client {
  return new SdkS3Client(sdkConfig(local, { forcePathStyle: true }));
}

export async function createBucket(sdk: SdkS3Client, bucket: string): Promise<void> {
  await sdk.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every key in the bucket (under `prefix`), in S3's order. */
export async function listKeys(sdk: SdkS3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await sdk.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key ?? '');
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

export interface ReadObject {
  readonly output: GetObjectCommandOutput;
  readonly bytes: Buffer;
}

export async function getObject(
  sdk: SdkS3Client,
  bucket: string,
  key: string,
): Promise<ReadObject> {
  const output = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(await output.Body!.transformToByteArray());
  return { output, bytes };
}

/** The lines of each object in the bucket (under `prefix`), by key, gunzipped when `gzip`. */
export async function readObjects(
  sdk: SdkS3Client,
  bucket: string,
  gzip: boolean,
  prefix = '',
): Promise<Map<string, string[]>> {
  const objects = new Map<string, string[]>();
  for (const key of await listKeys(sdk, bucket, prefix)) {
    const { bytes } = await getObject(sdk, bucket, key);
    const text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
    if (!text.endsWith('\n')) throw new Error(`object ${key} does not end with a newline`);
    objects.set(key, text.slice(0, -1).split('\n'));
  }
  return objects;
}

/**
 * Every line of the bucket, objects ordered by the number `seq` reads from
 * their first line (keys hold a random UUID, so key order is not send order).
 */
export async function allLines(
  sdk: SdkS3Client,
  bucket: string,
  gzip: boolean,
  seq: (line: string) => number,
  prefix = '',
): Promise<string[]> {
  const objects = [...(await readObjects(sdk, bucket, gzip, prefix)).values()];
  objects.sort((a, b) => seq(a[0]!) - seq(b[0]!));
  return objects.flat();
}
