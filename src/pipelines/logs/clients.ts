/**
 * The clients of a logs pipeline, prepared from `clients[]`: their HTTP
 * settings and secrets read, signing set up (region resolved, credentials
 * found) before anything starts, so a reload can refuse a broken client
 * without stopping the running pipeline. Each is built at start with the
 * progress callback of the fan-out it feeds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDestination } from '../../aws/destination/index.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import type { LogsClientTarget } from '../../config/agent/types.js';
import { signingOptions } from '../../config/aws-auth.js';
import { createHttpDispatcher } from '../../net/http-dispatcher.js';
import type { Registry } from 'prom-client';
import { parseAwsAuth } from '../../config/aws-auth.js';
import {
  CloudWatchLogsClient,
  createCloudWatchLogsDestination,
  createCloudWatchLogsMetrics,
  resolveCloudWatchLogsOptions,
  type CloudWatchLogsOptions,
} from '../../sinks/cloudwatch-logs/index.js';
import {
  createFirehoseDestination,
  createFirehoseMetrics,
  FirehoseClient,
  type FirehoseClientOptions,
} from '../../sinks/firehose/index.js';
import {
  createKinesisDestination,
  createKinesisMetrics,
  KinesisClient,
  type KinesisClientOptions,
} from '../../sinks/kinesis/index.js';
import {
  createS3Destination,
  createS3Metrics,
  resolveS3SinkOptions,
  S3LogClient,
  type S3SinkOptions,
} from '../../sinks/s3/index.js';
import {
  createLokiClientMetrics,
  LokiClient,
  lokiSigningService,
  resolveLokiOptions,
  type LokiClientOptions,
} from '../../sinks/loki/index.js';
import type { LogClient, LogClientProgress } from '../../sinks/shared/log-client.js';
import type { SinkLog } from '../../sinks/shared/index.js';
import type { PipelineContext } from '../pipeline.js';
import {
  awsLogsPlace,
  checkLogsClientOptions,
  cloudWatchLogsSettings,
  recordStreamSettings,
  s3Settings,
  type RecordStreamSettings,
} from './client-options.js';

export interface PreparedLogsClient {
  readonly name: string;
  readonly url: string;
  /** `registry`: the agent's, where the client's metrics are found (made on first use). */
  build<T>(progress: LogClientProgress<T>, registry: Registry, log: SinkLog): LogClient<T>;
}

function readSecret(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** `authorization:` as a header (Bearer goes the bearer-token way, as Promtail sends it). */
function authorizationOf(f: LogsClientTarget['file']): {
  bearer?: string;
  header?: string;
} {
  const a = f.authorization;
  if (a === undefined) return {};
  const credentials = a.credentials_file ? readSecret(a.credentials_file) : a.credentials;
  if (credentials === undefined) return {};
  return a.type.toLowerCase() === 'bearer'
    ? { bearer: credentials }
    : { header: `${a.type} ${credentials}` };
}

/**
 * Everything that can be refused without I/O is refused first, for every
 * client kind (the same check `signet config check` makes), before any
 * destination is made.
 */
export async function prepareLogsClient(
  target: LogsClientTarget,
  context: PipelineContext,
  /** The pipeline's positions file and the client's place in its list: its own small state files go beside it. */
  state?: { readonly positionsFile: string; readonly index: number },
): Promise<PreparedLogsClient> {
  checkLogsClientOptions(target);
  if (target.cloudwatchLogs)
    return prepareCloudWatchLogsClient(target, target.cloudwatchLogs, context);
  if (target.s3) return prepareS3Client(target, target.s3, context, state);
  const stream = recordStreamSettings(target);
  if (stream) return prepareRecordStreamClient(target, stream, context);
  return prepareLokiClient(target, context);
}

/**
 * What every AWS client's destination is built from: its region (the block's,
 * a `cwlogs://` URL's or a stream ARN's, else the signing block's, else the
 * environment's) or endpoint (awsLogsPlace), signed through the credential
 * chain whether or not the client has an `aws_auth`/`sigv4` block, over the
 * client's own HTTP settings.
 */
function awsDestination(target: LogsClientTarget, context: PipelineContext, connections: number) {
  const signing = signingOptions(target.aws ?? parseAwsAuth({}, `${target.path}.aws_auth`));
  const place = awsLogsPlace(target);
  return {
    region: place?.region ?? signing.region,
    endpoint: place?.endpoint,
    signing: { credentials: signing.credentials },
    env: context.env,
    registry: context.credentials,
    clock: context.clock,
    dispatcher: createHttpDispatcher(target.file, target.path, {
      connections,
      keepAliveTimeout: 60_000,
    }),
    timeoutMs: target.file.timeout,
    log: (message: string, fields: Readonly<Record<string, string>>) =>
      context.log.info(fields, message),
  };
}

function journalPath(state: { readonly positionsFile: string }, identity: string): string {
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return `${state.positionsFile}.s3-uploads-${hash}.json`;
}

/** S3: objects of entries, PutObject or multipart, in the bucket's region. */
async function prepareS3Client(
  target: LogsClientTarget,
  where: NonNullable<LogsClientTarget['s3']>,
  context: PipelineContext,
  state: { readonly positionsFile: string; readonly index: number } | undefined,
): Promise<PreparedLogsClient> {
  const destination = await createS3Destination(awsDestination(target, context, 4));
  void destination.credentials.start();
  const settings = s3Settings(target, where);
  const options: S3SinkOptions = {
    ...settings,
    aws: destination.client,
    url: destination.url,
    // One journal per client: named after the `name` written, else its bucket and place in the list,
    // not its prefix or key format, so a changed prefix still finds the uploads left under the old.
    uploadJournalPath:
      state && journalPath(state, target.file.name ?? `${settings.bucket}#${state.index}`),
  };
  // Again with the real endpoint: addressing depends on it (an AWS_ENDPOINT_URL_S3 IP, say).
  resolveS3SinkOptions(options);
  return {
    name: target.name,
    url: destination.url,
    build: (progress, registry, log) =>
      new S3LogClient(options, { progress, metrics: createS3Metrics(registry), log }),
  };
}

/** Firehose (PutRecordBatch) or Kinesis Data Streams (PutRecords). */
async function prepareRecordStreamClient(
  target: LogsClientTarget,
  stream: RecordStreamSettings,
  context: PipelineContext,
): Promise<PreparedLogsClient> {
  const destinationOptions = awsDestination(target, context, 2);
  if (stream.kind === 'firehose') {
    const destination = await createFirehoseDestination(destinationOptions);
    void destination.credentials.start();
    const options: FirehoseClientOptions = {
      ...stream.settings,
      url: destination.url,
      aws: destination.client,
    };
    return {
      name: target.name,
      url: destination.url,
      build: (progress, registry, log) =>
        new FirehoseClient(options, { progress, metrics: createFirehoseMetrics(registry), log }),
    };
  }
  const destination = await createKinesisDestination(destinationOptions);
  void destination.credentials.start();
  const options: KinesisClientOptions = {
    ...stream.settings,
    url: destination.url,
    aws: destination.client,
  };
  return {
    name: target.name,
    url: destination.url,
    build: (progress, registry, log) =>
      new KinesisClient(options, { progress, metrics: createKinesisMetrics(registry), log }),
  };
}

/**
 * CloudWatch Logs: the regional endpoint (or `endpoint`, or
 * AWS_ENDPOINT_URL_LOGS), signed through the credential chain whether or not
 * the client has an `aws_auth`/`sigv4` block.
 */
async function prepareCloudWatchLogsClient(
  target: LogsClientTarget,
  where: NonNullable<LogsClientTarget['cloudwatchLogs']>,
  context: PipelineContext,
): Promise<PreparedLogsClient> {
  const destination = await createCloudWatchLogsDestination(awsDestination(target, context, 4));
  void destination.credentials.start();
  const options: CloudWatchLogsOptions = {
    ...cloudWatchLogsSettings(target, where),
    aws: destination.client,
    url: destination.url,
  };
  // Again with the real endpoint, which checkLogsClientOptions could only assume.
  resolveCloudWatchLogsOptions(options);
  return {
    name: target.name,
    url: destination.url,
    build: (progress, registry, log) =>
      new CloudWatchLogsClient(options, {
        progress,
        metrics: createCloudWatchLogsMetrics(registry),
        log,
      }),
  };
}

async function prepareLokiClient(
  target: LogsClientTarget,
  context: PipelineContext,
): Promise<PreparedLogsClient> {
  const f = target.file;
  const pushUrl = f.url!;
  // tls_config, proxy_url, follow_redirects and enable_http2 for signed and unsigned pushes alike.
  const dispatcher = createHttpDispatcher(f, target.path, {
    connections: 2,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  let url = pushUrl;
  let aws: AwsClient | undefined;
  if (target.aws) {
    const signing = signingOptions(target.aws);
    const destination = await createDestination({
      url: pushUrl,
      signing,
      defaultService: lokiSigningService(pushUrl, signing.service),
      env: context.env,
      registry: context.credentials,
      clock: context.clock,
      dispatcher,
      timeoutMs: f.timeout,
      log: (message, fields) => context.log.info(fields, message),
    });
    void destination.credentials.start();
    url = destination.url;
    aws = destination.client;
  }
  const auth = authorizationOf(f);
  const options: LokiClientOptions = {
    url,
    name: target.name,
    tenantId: f.tenant_id,
    batchWaitMs: f.batchwait,
    batchSizeBytes: f.batchsize,
    headers: auth.header ? { ...f.headers, authorization: auth.header } : f.headers,
    basicAuth: f.basic_auth && {
      username: f.basic_auth.username,
      password: f.basic_auth.password,
      passwordFile: f.basic_auth.password_file,
    },
    bearerToken: f.bearer_token ?? auth.bearer,
    bearerTokenFile: f.bearer_token_file,
    backoff: {
      minPeriodMs: f.backoff_config.min_period,
      maxPeriodMs: f.backoff_config.max_period,
      maxRetries: f.backoff_config.max_retries,
    },
    externalLabels: f.external_labels,
    timeoutMs: f.timeout,
    dropRateLimitedBatches: f.drop_rate_limited_batches,
    aws,
    dispatcher,
    path: target.path,
  };
  // Checks the options (and reads password and token files) now, not at start.
  resolveLokiOptions(options);
  return {
    name: target.name,
    url: pushUrl,
    build: (progress, registry, log) =>
      new LokiClient(options, { progress, metrics: createLokiClientMetrics(registry), log }),
  };
}
