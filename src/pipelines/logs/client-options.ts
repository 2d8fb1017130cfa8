/**
 * The options of each AWS logs client (CloudWatch Logs, S3, Firehose,
 * Kinesis) as its sink takes them, built from the config file alone, and the
 * check of everything about them that can be refused without I/O. The same
 * options are what clients.ts gives the sink once its destination exists, so
 * `signet config check`, a reload and `signet run` refuse exactly what the
 * sink would refuse, with the same key path.
 */
import { hostNamesRegion, type RegionNeed } from '../../config/agent/checks.js';
import type { LogsClientTarget, LogsInstance } from '../../config/agent/types.js';
import type { ConfigIssue } from '../../config/yaml/config-error.js';
import { formatKeyPath, parseKeyPath } from '../../config/yaml/issues.js';
import { SignetError } from '../../errors.js';
import {
  resolveCloudWatchLogsOptions,
  type CloudWatchLogsOptions,
} from '../../sinks/cloudwatch-logs/index.js';
import { checkFirehoseOptions, type FirehoseSettings } from '../../sinks/firehose/index.js';
import {
  checkKinesisOptions,
  parseKinesisStreamArn,
  type KinesisSettings,
} from '../../sinks/kinesis/index.js';
import { resolveS3SinkOptions, s3Url, type S3SinkOptions } from '../../sinks/s3/index.js';
import { regionalServiceUrl } from '../../sinks/shared/regional-destination.js';

/** The region a check assumes when the file names none (the real one is found at start). */
const CHECK_REGION = 'us-east-1';

export type CloudWatchLogsSettings = Omit<CloudWatchLogsOptions, 'aws' | 'url'>;
export type S3Settings = Omit<S3SinkOptions, 'aws' | 'url'>;

export function cloudWatchLogsSettings(
  target: LogsClientTarget,
  where: NonNullable<LogsClientTarget['cloudwatchLogs']>,
): CloudWatchLogsSettings {
  const f = target.file;
  const block = f.cloudwatch_logs;
  return {
    name: target.name,
    logGroupName: where.logGroupName,
    logStreamName: block?.log_stream_name,
    logStreamNamePrefix: block?.log_stream_name_prefix,
    createLogGroup: block?.create_log_group,
    createLogStream: block?.create_log_stream,
    logGroupClass: block?.log_group_class,
    retentionInDays: block?.retention_in_days,
    kmsKeyId: block?.kms_key_id,
    logFormat: block?.log_format,
    batchWaitMs: f.batchwait,
    minBackoffMs: f.backoff_config.min_period,
    maxBackoffMs: f.backoff_config.max_period,
    path: `${target.path}.cloudwatch_logs`,
  };
}

export function s3Settings(
  target: LogsClientTarget,
  where: NonNullable<LogsClientTarget['s3']>,
): S3Settings {
  const f = target.file;
  const block = f.s3;
  return {
    name: target.name,
    bucket: where.bucket,
    prefix: where.prefix,
    keyFormat: block?.key_format,
    compression: block?.compression,
    format: block?.format,
    batchSizeBytes: block?.batch_size,
    batchWaitMs: block?.batch_wait,
    storageClass: block?.storage_class,
    sse: block?.sse,
    kmsKeyId: block?.kms_key_id,
    contentMd5: block?.content_md5,
    addressing: block?.addressing,
    minBackoffMs: f.backoff_config.min_period,
    maxBackoffMs: f.backoff_config.max_period,
    path: `${target.path}.s3`,
  };
}

export type RecordStreamSettings =
  | { readonly kind: 'firehose'; readonly settings: FirehoseSettings }
  | { readonly kind: 'kinesis'; readonly settings: KinesisSettings };

/** A Firehose or Kinesis client's settings; undefined for any other client. */
export function recordStreamSettings(target: LogsClientTarget): RecordStreamSettings | undefined {
  const f = target.file;
  const block = f.firehose ?? f.kinesis;
  if (block === undefined) return undefined;
  const common = {
    name: target.name,
    format: block.record_format,
    newline: block.newline,
    aggregate: block.aggregate,
    oversized: block.oversized,
    batchWaitMs: f.batchwait,
    minBackoffMs: f.backoff_config.min_period,
    maxBackoffMs: f.backoff_config.max_period,
  };
  if (f.firehose) {
    return {
      kind: 'firehose',
      settings: {
        ...common,
        deliveryStreamName: f.firehose.delivery_stream_name,
        path: `${target.path}.firehose`,
      },
    };
  }
  const kinesis = f.kinesis!;
  return {
    kind: 'kinesis',
    settings: {
      ...common,
      streamName: kinesis.stream_name,
      streamArn: kinesis.stream_arn,
      partitionKey: kinesis.partition_key,
      path: `${target.path}.kinesis`,
    },
  };
}

/**
 * Where an AWS logs client signs and sends, as the file says it: the
 * client's block (`cloudwatch_logs`, `s3`, `firehose`, `kinesis`) or, for the
 * URL forms, `url`; its region (the block's, a `cwlogs://` URL's or a
 * Kinesis stream ARN's, else the signing block's) and endpoint. Undefined for
 * a Loki client.
 */
export function awsLogsPlace(target: LogsClientTarget):
  | {
      readonly key: 'cloudwatch_logs' | 's3' | 'firehose' | 'kinesis' | 'url';
      readonly service: 'logs' | 's3' | 'firehose' | 'kinesis';
      readonly region: string | undefined;
      readonly endpoint: string | undefined;
    }
  | undefined {
  const f = target.file;
  const signing = target.aws?.region;
  if (target.cloudwatchLogs) {
    return {
      key: f.cloudwatch_logs ? 'cloudwatch_logs' : 'url',
      service: 'logs',
      region: target.cloudwatchLogs.region ?? signing,
      endpoint: f.cloudwatch_logs?.endpoint,
    };
  }
  if (target.s3) {
    return {
      key: f.s3 ? 's3' : 'url',
      service: 's3',
      region: f.s3?.region ?? signing,
      endpoint: f.s3?.endpoint,
    };
  }
  if (f.firehose) {
    const { region, endpoint } = f.firehose;
    return { key: 'firehose', service: 'firehose', region: region ?? signing, endpoint };
  }
  if (f.kinesis) {
    const { region, endpoint, stream_arn: arn } = f.kinesis;
    const fromArn = arn === undefined ? undefined : parseKinesisStreamArn(arn)?.region;
    return { key: 'kinesis', service: 'kinesis', region: region ?? fromArn ?? signing, endpoint };
  }
  return undefined;
}

/**
 * Throws the sink's own error (a SignetError naming the key path) for any
 * option of an AWS logs client it would refuse; a Loki client is left to
 * its prepare. The endpoint is the block's, else the regional one: an
 * AWS_ENDPOINT_URL_* override is only known at start, where prepare checks
 * again with the real URL.
 */
export function checkLogsClientOptions(target: LogsClientTarget): void {
  const region = awsLogsPlace(target)?.region ?? CHECK_REGION;
  if (target.cloudwatchLogs) {
    resolveCloudWatchLogsOptions({
      ...cloudWatchLogsSettings(target, target.cloudwatchLogs),
      url: target.file.cloudwatch_logs?.endpoint ?? regionalServiceUrl('logs', region),
    });
    return;
  }
  if (target.s3) {
    resolveS3SinkOptions({
      ...s3Settings(target, target.s3),
      url: target.file.s3?.endpoint ?? s3Url(region),
    });
    return;
  }
  const stream = recordStreamSettings(target);
  if (stream?.kind === 'firehose') checkFirehoseOptions(stream.settings);
  if (stream?.kind === 'kinesis') checkKinesisOptions(stream.settings);
}

/**
 * The client's refused option as a config issue at its key path (the
 * sink's message starts with it), for the loader to locate in the file;
 * undefined when the client's options are fine.
 */
export function logsClientOptionsIssue(target: LogsClientTarget): ConfigIssue | undefined {
  try {
    checkLogsClientOptions(target);
    return undefined;
  } catch (error) {
    if (!(error instanceof SignetError)) throw error;
    const { path, message } = splitKeyPath(error.message, target.path);
    return { path, message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  }
}

/** `a.b[0].c.d: what` (or `a.b[0].c.d must …`) into the path and what follows. */
function splitKeyPath(text: string, base: string): { path: PropertyKey[]; message: string } {
  if (!text.startsWith(base)) return { path: parseKeyPath(base), message: text };
  const rest = /^((?:\.[A-Za-z_]\w*|\[\d+\])*)(?::\s*|\s+)/.exec(text.slice(base.length));
  if (rest === null) return { path: parseKeyPath(base), message: text };
  return {
    path: parseKeyPath(base + rest[1]!),
    message: text.slice(base.length + rest[0].length),
  };
}

/** Every client of the logs configs once (global ones serve many), but those the loader refused. */
function checkedClients(
  instances: readonly LogsInstance[],
  known: readonly ConfigIssue[],
): LogsClientTarget[] {
  const refused = known.map((issue) => formatKeyPath(issue.path));
  const within = (path: string) =>
    refused.some((r) => r === path || r.startsWith(`${path}.`) || r.startsWith(`${path}[`));
  const seen = new Set<string>();
  return instances
    .flatMap((i) => i.clients)
    .filter((target) => {
      if (seen.has(target.path) || within(target.path)) return false;
      seen.add(target.path);
      return true;
    });
}

/**
 * The issues of every client of the logs configs. A client the loader
 * already refused (`known`: nowhere to send, two places) is left at that:
 * its sink options would only add noise.
 */
export function logsClientIssues(
  instances: readonly LogsInstance[],
  known: readonly ConfigIssue[],
): ConfigIssue[] {
  return checkedClients(instances, known).flatMap((target) => {
    const issue = logsClientOptionsIssue(target);
    return issue ? [issue] : [];
  });
}

/**
 * The AWS logs clients whose signing region the file does not give (nor an
 * endpoint's host): found at start from AWS_REGION or the profile (or IMDS),
 * so `config check` asks the same and refuses the file at the client's
 * block when none answers, as `run` would at start.
 */
export function logsClientRegionNeeds(
  instances: readonly LogsInstance[],
  known: readonly ConfigIssue[],
): RegionNeed[] {
  return checkedClients(instances, known).flatMap((target): RegionNeed[] => {
    const place = awsLogsPlace(target);
    if (place === undefined || place.region !== undefined) return [];
    const host = place.endpoint === undefined ? undefined : new URL(place.endpoint).host;
    if (host !== undefined && hostNamesRegion(host)) return [];
    return [
      {
        path: [...parseKeyPath(target.path), place.key],
        host: host ?? `${place.service}.<region>.amazonaws.com`,
        profile: target.aws?.spec.profile,
      },
    ];
  });
}
