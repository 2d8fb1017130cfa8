/**
 * The IAM permissions each AWS log sink needs, as one table per sink: the
 * harmless call `signet doctor` probes with, and the calls `signet run`
 * makes, each with the action and the resource ARNs a policy must name.
 * Kept apart from doctor so an IAM-policy generator can read the same rows.
 *
 * Resources follow the Service Authorization Reference. CloudWatch Logs
 * evaluates group-level calls against the group's ARN in two spellings (the
 * bare `log-group:NAME` and `log-group:NAME:*`, as DescribeLogGroups returns
 * it), so both are listed; PutLogEvents is checked on the stream.
 */
import { partitionOf } from '../endpoints.js';

export type LogSinkKind = 'cloudwatch_logs' | 's3' | 'firehose' | 'kinesis';

/** Where one sink sends; the account is the caller's (from sts:GetCallerIdentity) when known. */
export interface LogSinkResource {
  readonly kind: LogSinkKind;
  readonly region: string;
  /** Undefined when STS was not reached: ARNs then say `<account>`. */
  readonly account: string | undefined;
  /** The log group, bucket, delivery stream or data stream. */
  readonly name: string;
  /** A Kinesis `stream_arn`, used as it is (it names its own account and region). */
  readonly arn?: string | undefined;
  /** An S3 `prefix`: objects are written under `<prefix>/` only, so only those keys are granted. */
  readonly prefix?: string | undefined;
}

/** The options of a sink that change what it calls. */
export interface LogSinkFeatures {
  /** CloudWatch Logs `create_log_group` (default on). */
  readonly createLogGroup?: boolean | undefined;
  /** CloudWatch Logs `create_log_stream` (default on). */
  readonly createLogStream?: boolean | undefined;
  /** CloudWatch Logs `retention_in_days` is set. */
  readonly retention?: boolean | undefined;
  /** S3 `sse: aws:kms` with this `kms_key_id` (an id, alias or ARN); the AWS managed key needs no IAM grant. */
  readonly s3KmsKeyId?: string | undefined;
}

export interface Permission {
  readonly action: string;
  readonly resources: readonly string[];
  /** What the call is for, in a few words. */
  readonly why: string;
  /** An IAM `Condition` block the statement needs (e.g. `sts:ExternalId`). */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The value an ARN takes for an account no one could tell. */
export const UNKNOWN_ACCOUNT = '<account>';

interface Arns {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly streamArn: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly prefix: string;
}

interface Row {
  readonly action: string;
  readonly why: string;
  readonly resources: (a: Arns) => readonly string[];
  /** Absent: always needed. */
  readonly when?: (f: LogSinkFeatures) => boolean;
}

interface SinkTable {
  /** The API operation doctor sends, e.g. `DescribeLogGroups`. */
  readonly probeOperation: string;
  readonly probe: Row;
  readonly run: readonly Row[];
}

const logGroup = (a: Arns, name: string): string =>
  `arn:${a.partition}:logs:${a.region}:${a.account}:log-group:${name}`;
const group = (a: Arns): readonly string[] => [logGroup(a, a.name), `${logGroup(a, a.name)}:*`];

/** The objects a sink writes: `bucket/*`, or `bucket/<prefix>/*` under a prefix. */
const objects = (a: Arns): readonly string[] => [
  `arn:${a.partition}:s3:::${a.name}/${a.prefix === '' ? '' : `${a.prefix}/`}*`,
];

const firehoseArn = (a: Arns): string =>
  `arn:${a.partition}:firehose:${a.region}:${a.account}:deliverystream/${a.name}`;
const kinesisArn = (a: Arns): string =>
  a.streamArn ?? `arn:${a.partition}:kinesis:${a.region}:${a.account}:stream/${a.name}`;

/**
 * A KMS key as a policy names it: a key ARN as it is, a key id under the
 * account's keys. IAM authorizes the key an alias points to, not the alias,
 * so an alias (or an alias ARN) stands for any key of the account.
 */
function kmsKeyArn(a: Arns, key: string): string {
  if (key.startsWith('arn:') && !/:alias\//.test(key)) return key;
  const id = key.startsWith('alias/') || key.startsWith('arn:') ? '*' : key;
  return `arn:${a.partition}:kms:${a.region}:${a.account}:key/${id}`;
}

export const LOG_SINK_PERMISSIONS: Readonly<Record<LogSinkKind, SinkTable>> = {
  cloudwatch_logs: {
    probeOperation: 'DescribeLogGroups',
    probe: {
      action: 'logs:DescribeLogGroups',
      why: "doctor's probe: does the log group exist",
      resources: (a) => [logGroup(a, '*')],
    },
    run: [
      {
        action: 'logs:PutLogEvents',
        why: 'send the events',
        resources: (a) => [`${logGroup(a, a.name)}:log-stream:*`],
      },
      {
        action: 'logs:CreateLogStream',
        why: 'create the log streams: create_log_stream',
        resources: group,
        when: (f) => f.createLogStream !== false,
      },
      {
        action: 'logs:CreateLogGroup',
        why: 'create the log group when it is missing: create_log_group',
        resources: group,
        when: (f) => f.createLogGroup !== false,
      },
      {
        action: 'logs:PutRetentionPolicy',
        why: "set the new group's retention: retention_in_days",
        resources: group,
        when: (f) => f.createLogGroup !== false && f.retention === true,
      },
    ],
  },
  s3: {
    probeOperation: 'HeadBucket',
    // HeadBucket has no action of its own: S3 authorizes it as ListBucket on the bucket.
    probe: {
      action: 's3:ListBucket',
      why: "doctor's probe, HeadBucket: does the bucket exist",
      resources: (a) => [`arn:${a.partition}:s3:::${a.name}`],
    },
    run: [
      {
        action: 's3:PutObject',
        why: 'upload objects, whole or in parts',
        resources: objects,
      },
      {
        action: 's3:AbortMultipartUpload',
        why: 'remove the parts of a failed multipart upload',
        resources: objects,
      },
      {
        action: 'kms:GenerateDataKey',
        why: 'encrypt objects with the KMS key: sse aws:kms',
        resources: (a) => [kmsKeyArn(a, a.kmsKeyId ?? '')],
        when: (f) => f.s3KmsKeyId !== undefined,
      },
      {
        action: 'kms:Decrypt',
        why: 'complete multipart uploads encrypted with the KMS key',
        resources: (a) => [kmsKeyArn(a, a.kmsKeyId ?? '')],
        when: (f) => f.s3KmsKeyId !== undefined,
      },
    ],
  },
  firehose: {
    probeOperation: 'DescribeDeliveryStream',
    probe: {
      action: 'firehose:DescribeDeliveryStream',
      why: "doctor's probe: does the delivery stream exist",
      resources: (a) => [firehoseArn(a)],
    },
    run: [
      {
        action: 'firehose:PutRecordBatch',
        why: 'send the records',
        resources: (a) => [firehoseArn(a)],
      },
    ],
  },
  kinesis: {
    probeOperation: 'DescribeStreamSummary',
    probe: {
      action: 'kinesis:DescribeStreamSummary',
      why: "doctor's probe: does the stream exist",
      resources: (a) => [kinesisArn(a)],
    },
    run: [
      {
        action: 'kinesis:PutRecords',
        why: 'send the records',
        resources: (a) => [kinesisArn(a)],
      },
    ],
  },
};

function arnsOf(r: LogSinkResource, features: LogSinkFeatures): Arns {
  return {
    partition: partitionOf(r.region),
    region: r.region,
    account: r.account ?? UNKNOWN_ACCOUNT,
    name: r.name,
    streamArn: r.arn,
    kmsKeyId: features.s3KmsKeyId,
    prefix: (r.prefix ?? '').replace(/^\/+|\/+$/g, ''),
  };
}

function permission(row: Row, a: Arns): Permission {
  return { action: row.action, resources: row.resources(a), why: row.why };
}

/** What doctor's probe of this sink needs. */
export function probePermission(r: LogSinkResource, features: LogSinkFeatures = {}): Permission {
  return permission(LOG_SINK_PERMISSIONS[r.kind].probe, arnsOf(r, features));
}

/** Every permission `signet run` needs for this sink with these options. */
export function runPermissions(
  r: LogSinkResource,
  features: LogSinkFeatures = {},
): readonly Permission[] {
  const a = arnsOf(r, features);
  return LOG_SINK_PERMISSIONS[r.kind].run
    .filter((row) => row.when?.(features) ?? true)
    .map((row) => permission(row, a));
}
