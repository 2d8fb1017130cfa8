/**
 * A CloudWatch Logs client's settings, in plain typed options (the logs
 * YAML maps `cloudwatch_logs:` onto them), and their checks: every value AWS
 * would refuse is refused here, at start, with the key that holds it.
 */
import { hostname } from 'node:os';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { CloudWatchLogsConfigError } from './errors.js';
import {
  KMS_KEY_ARN,
  LOG_GROUP_CLASSES,
  LOG_GROUP_NAME_PATTERN,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_KMS_KEY_ID_LENGTH,
  RETENTION_DAYS,
  type LogGroupClass,
} from './limits.js';
import { compileStreamName, type StreamNamer } from './stream-name.js';

/** How an entry becomes an event's message. */
export type LogFormat = 'line' | 'json';

/** What is done with a message over the per-event limit. */
export type OversizeAction = 'split' | 'truncate';

export interface CloudWatchLogsOptions {
  /** Signs every call; from createDestination with service `logs` (see destination.ts). */
  readonly aws: AwsClient;
  /** The endpoint the calls go to: the Destination's `url` (an override already applied). */
  readonly url: string;
  /** `name`: names the client in logs; `cwlogs://<region>/<group>` when absent. */
  readonly name?: string | undefined;
  /** `log_group_name`. */
  readonly logGroupName: string;
  /** `log_stream_name`: a template over the entry's labels, e.g. `{{ .pod }}/{{ .container }}`; the host name when absent. */
  readonly logStreamName?: string | undefined;
  /** `log_stream_name_prefix`: put before every stream name. */
  readonly logStreamNamePrefix?: string | undefined;
  /** `create_log_group` (true): create the group when PutLogEvents says it does not exist. */
  readonly createLogGroup?: boolean | undefined;
  /** `create_log_stream` (true). */
  readonly createLogStream?: boolean | undefined;
  /** `log_group_class`, for a group this client creates. */
  readonly logGroupClass?: LogGroupClass | undefined;
  /** `retention_in_days`, set on a group this client creates; one of RETENTION_DAYS. */
  readonly retentionInDays?: number | undefined;
  /** `kms_key_id`, for a group this client creates. */
  readonly kmsKeyId?: string | undefined;
  /** `log_format` (`line`): the line as it is, or `json`: `{"labels":{…},"line":…}`. */
  readonly logFormat?: LogFormat | undefined;
  /** Over-long messages are split into several events (default) or truncated. */
  readonly oversize?: OversizeAction | undefined;
  /** The longest an entry waits for its batch to fill (1 s). */
  readonly batchWaitMs?: number | undefined;
  /** Events per batch, at most AWS's 10,000. */
  readonly maxBatchEvents?: number | undefined;
  /** Bytes per batch as AWS counts them, at most 1,048,576. */
  readonly maxBatchBytes?: number | undefined;
  /** Streams sent to at once (4); each stream has one batch in flight, so its order holds. */
  readonly maxParallelStreams?: number | undefined;
  /** Bytes (as AWS counts them) held before enqueue says full (16 MiB). */
  readonly maxBufferedBytes?: number | undefined;
  /** Backoff for throttling and 5xx: 500 ms doubling to 30 s, with jitter. */
  readonly minBackoffMs?: number | undefined;
  readonly maxBackoffMs?: number | undefined;
  /** The longest wait between attempts while blocked (credentials, access) (2 min). */
  readonly holdMaxBackoffMs?: number | undefined;
  /** The least time between two log lines about one failure (1 min). */
  readonly failureLogIntervalMs?: number | undefined;
  /** The key path of this client in the config, for errors (`logs.configs[0].clients[1].cloudwatch_logs`). */
  readonly path?: string | undefined;
}

export interface ResolvedCloudWatchLogsOptions {
  readonly name: string;
  /** `host:port` of the endpoint, Promtail's `host` metric label. */
  readonly host: string;
  readonly url: string;
  readonly logGroupName: string;
  readonly streamName: StreamNamer;
  readonly createLogGroup: boolean;
  readonly createLogStream: boolean;
  readonly logGroupClass: LogGroupClass | undefined;
  readonly retentionInDays: number | undefined;
  readonly kmsKeyId: string | undefined;
  readonly logFormat: LogFormat;
  readonly oversize: OversizeAction;
  readonly batchWaitMs: number;
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
  readonly maxParallelStreams: number;
  readonly maxBufferedBytes: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly holdMaxBackoffMs: number;
  readonly failureLogIntervalMs: number;
}

export { CloudWatchLogsConfigError };

export const DEFAULT_BATCH_WAIT_MS = 1000;
export const DEFAULT_MAX_PARALLEL_STREAMS = 4;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * The options checked, each refusal naming its key. Without `aws` (config
 * check, before any destination exists) everything is checked the same; only
 * the default name lacks the region, so give `name`.
 */
export function resolveCloudWatchLogsOptions(
  options: Omit<CloudWatchLogsOptions, 'aws'> & { readonly aws?: Pick<AwsClient, 'region'> },
): ResolvedCloudWatchLogsOptions {
  const at = (key: string): string => (options.path ? `${options.path}.${key}` : key);
  const refuse = (key: string, what: string, hint: string): never => {
    throw new CloudWatchLogsConfigError(`${at(key)}: ${what}`, { hint });
  };

  const group = options.logGroupName;
  if (!LOG_GROUP_NAME_PATTERN.test(group)) {
    refuse(
      'log_group_name',
      `${JSON.stringify(group)} is not a log group name`,
      "use 1–512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'",
    );
  }
  if (group.startsWith('aws/')) {
    refuse(
      'log_group_name',
      `${JSON.stringify(group)} starts with aws/`,
      'AWS reserves aws/ for its own log groups; choose another name',
    );
  }
  if (options.retentionInDays !== undefined && !RETENTION_DAYS.includes(options.retentionInDays)) {
    refuse(
      'retention_in_days',
      `${options.retentionInDays} is not a retention CloudWatch Logs offers`,
      `use one of ${RETENTION_DAYS.join(', ')}`,
    );
  }
  if (options.logGroupClass !== undefined && !LOG_GROUP_CLASSES.includes(options.logGroupClass)) {
    refuse(
      'log_group_class',
      `${JSON.stringify(options.logGroupClass)} is not a log group class`,
      `use one of ${LOG_GROUP_CLASSES.join(', ')}`,
    );
  }
  const kms = options.kmsKeyId;
  if (kms !== undefined && (kms.length > MAX_KMS_KEY_ID_LENGTH || !KMS_KEY_ARN.test(kms))) {
    refuse(
      'kms_key_id',
      `${JSON.stringify(kms)} is not a KMS key ARN`,
      'CloudWatch Logs takes the key ARN, arn:aws:kms:<region>:<account>:key/<key-id>, not a key id or alias',
    );
  }
  if (
    options.logFormat !== undefined &&
    options.logFormat !== 'line' &&
    options.logFormat !== 'json'
  ) {
    refuse(
      'log_format',
      `${JSON.stringify(options.logFormat)} is not a log format`,
      'use line or json',
    );
  }
  if (
    options.oversize !== undefined &&
    options.oversize !== 'split' &&
    options.oversize !== 'truncate'
  ) {
    refuse(
      'oversize',
      `${JSON.stringify(options.oversize)} is not split or truncate`,
      'use split or truncate',
    );
  }
  const bounded = (
    key: string,
    value: number | undefined,
    min: number,
    max: number,
    fallback: number,
  ): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      refuse(key, `${value} is out of range`, `use a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const maxBatchEvents = bounded(
    'max_batch_events',
    options.maxBatchEvents,
    1,
    MAX_BATCH_EVENTS,
    MAX_BATCH_EVENTS,
  );
  const maxBatchBytes = bounded(
    'max_batch_bytes',
    options.maxBatchBytes,
    27,
    MAX_BATCH_BYTES,
    MAX_BATCH_BYTES,
  );
  const minBackoffMs = bounded('min_backoff', options.minBackoffMs, 1, 3_600_000, 500);
  const maxBackoffMs = bounded(
    'max_backoff',
    options.maxBackoffMs,
    minBackoffMs,
    3_600_000,
    Math.max(30_000, minBackoffMs),
  );
  const streamName = compileStreamName(
    options.logStreamName ?? hostname(),
    options.logStreamNamePrefix ?? '',
    at('log_stream_name'),
  );
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return refuse(
      'endpoint',
      `${JSON.stringify(options.url)} is not a URL`,
      'give e.g. https://logs.us-east-1.amazonaws.com',
    );
  }
  return {
    name: options.name ?? `cwlogs://${options.aws?.region ?? ''}/${group}`,
    host: url.host,
    url: options.url,
    logGroupName: group,
    streamName,
    createLogGroup: options.createLogGroup ?? true,
    createLogStream: options.createLogStream ?? true,
    logGroupClass: options.logGroupClass,
    retentionInDays: options.retentionInDays,
    kmsKeyId: options.kmsKeyId,
    logFormat: options.logFormat ?? 'line',
    oversize: options.oversize ?? 'split',
    batchWaitMs: bounded('batch_wait', options.batchWaitMs, 0, 3_600_000, DEFAULT_BATCH_WAIT_MS),
    maxBatchEvents,
    maxBatchBytes,
    maxParallelStreams: bounded(
      'max_parallel_streams',
      options.maxParallelStreams,
      1,
      256,
      DEFAULT_MAX_PARALLEL_STREAMS,
    ),
    maxBufferedBytes: bounded(
      'max_buffered_bytes',
      options.maxBufferedBytes,
      1,
      2 ** 40,
      DEFAULT_MAX_BUFFERED_BYTES,
    ),
    minBackoffMs,
    maxBackoffMs,
    holdMaxBackoffMs: Math.max(options.holdMaxBackoffMs ?? 120_000, minBackoffMs),
    failureLogIntervalMs: options.failureLogIntervalMs ?? 60_000,
  };
}
