/**
 * The `logs:` block of Grafana Agent static mode: Promtail's configuration
 * without `server`, one pipeline per `configs[]` entry, plus the guides'
 * AWS destinations (CloudWatch Logs, S3, Firehose, Kinesis clients, and the
 * `targets[].loki_push_api.cloudwatch_logs` spelling). Keys Promtail has and
 * Signet does not run are refused as not implemented (see unimplemented.ts),
 * never accepted and ignored.
 */
import { z } from 'zod';
import { awsBlock, fileSdConfig, httpClient, relabelList, staticConfig } from './http-schema.js';
import { kubernetesSdConfigSchema } from './kubernetes-sd-schema.js';
import { dnsSdConfigSchema } from './sd-schema.js';
import { byteSize, duration, labelSet, notImplemented } from './values.js';

const positive = (what: string) =>
  duration.refine((ms) => ms > 0, {
    message: 'must be more than 0',
    params: { hint: `${what}: write e.g. 10s` },
  });

/** Promtail's `backoff_config` for a client. */
const backoffConfig = z.strictObject({
  min_period: duration.prefault('500ms'),
  max_period: duration.prefault('5m'),
  /** 0: retry until the entries are sent (they are held, nothing is dropped). */
  max_retries: z.number().int().nonnegative().default(10),
});

/**
 * A CloudWatch Logs client, as the guides write it: `url: cwlogs://<region>/<group>`
 * or this block (or both: the block's keys win). Signed with the credential chain
 * (`aws_auth`/`sigv4` choose a profile, a role, keys).
 */
const cloudwatchLogsBlock = z.strictObject({
  region: z.string().min(1).optional(),
  log_group_name: z.string().min(1).optional(),
  /** A template over the entry's labels, e.g. `{{ .pod }}/{{ .container }}`; the host name when unset. */
  log_stream_name: z.string().min(1).optional(),
  log_stream_name_prefix: z.string().optional(),
  create_log_group: z.boolean().default(true),
  create_log_stream: z.boolean().default(true),
  log_group_class: z.enum(['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']).optional(),
  retention_in_days: z.number().int().positive().optional(),
  kms_key_id: z.string().optional(),
  log_format: z.enum(['line', 'json']).default('line'),
  endpoint: z.string().url().optional(),
});

/**
 * The guides' other spelling of a CloudWatch Logs client, under a config's
 * `targets[]`: `loki_push_api: { cloudwatch_logs: { client_id, … } }`. It
 * means exactly a client with the same `cloudwatch_logs:` block, named
 * `client_id` (as a client's `name`), signed with `aws_auth`/`sigv4` written
 * beside `cloudwatch_logs` as a client's would be. Promtail's own
 * `loki_push_api` keys start a push receiver, which Signet does not run:
 * they are refused as not implemented, never accepted and ignored.
 */
const lokiPushApiTarget = z.strictObject({
  cloudwatch_logs: cloudwatchLogsBlock
    .extend({
      /** The client's name in metrics, status, logs and the WAL's progress, like `name`. */
      client_id: z.string().min(1).optional(),
    })
    .optional(),
  sigv4: awsBlock.optional(),
  aws_auth: awsBlock.optional(),
  server: notImplemented,
  labels: notImplemented,
  use_incoming_timestamp: notImplemented,
});

/** What the Firehose and Kinesis blocks share: where, and how entries become records. */
const recordStream = {
  region: z.string().min(1).optional(),
  endpoint: z.string().url().optional(),
  /** `line` (the line as is) or `json` (`{"labels":…,"line":…,"timestamp":…}`). */
  record_format: z.enum(['line', 'json']).default('line'),
  /** Append `\n` to each record (Firehose's default on, Kinesis's off). */
  newline: z.boolean().optional(),
  /** Pack several entries into one record up to the record limit; needs newline. */
  aggregate: z.boolean().default(false),
  /** An entry over the record limit is split, truncated or dropped (counted either way). */
  oversized: z.enum(['split', 'truncate', 'drop']).default('split'),
};

const firehoseBlock = z.strictObject({
  delivery_stream_name: z.string().min(1),
  ...recordStream,
});

const kinesisBlock = z
  .strictObject({
    stream_name: z.string().min(1).optional(),
    stream_arn: z.string().min(1).optional(),
    /** A template over the entry's labels (`{{ .pod }}`); a hash of each record's data by default. */
    partition_key: z.string().min(1).optional(),
    ...recordStream,
  })
  .refine((k) => (k.stream_name === undefined) !== (k.stream_arn === undefined), {
    message: 'needs exactly one of stream_name and stream_arn',
    params: { hint: 'write stream_name: <name>, or stream_arn: arn:aws:kinesis:…' },
  });

/** An S3 client: `url: s3://<bucket>/<prefix>` or this block (its keys win). */
const s3Block = z.strictObject({
  bucket: z.string().min(1).optional(),
  prefix: z.string().optional(),
  /** strftime parts of the first entry's time, `{{ .label }}`, `$UUID` (required), `$HOST`. */
  key_format: z.string().min(1).optional(),
  compression: z.enum(['gzip', 'zstd', 'none']).default('gzip'),
  /** `ndjson` (timestamp, labels, line per line) or `raw` lines. */
  format: z.enum(['ndjson', 'raw']).default('ndjson'),
  batch_size: byteSize.optional(),
  batch_wait: duration.optional(),
  storage_class: z.string().min(1).optional(),
  sse: z.enum(['AES256', 'aws:kms']).optional(),
  kms_key_id: z.string().min(1).optional(),
  content_md5: z.boolean().default(false),
  region: z.string().min(1).optional(),
  endpoint: z.string().url().optional(),
  addressing: z.enum(['auto', 'path', 'virtual']).default('auto'),
});

/**
 * One client (Promtail's `clients[]`): a Loki push URL, signed with
 * `sigv4`/`aws_auth` when given, or CloudWatch Logs (`cwlogs://` or
 * `cloudwatch_logs:`).
 */
export const logsClientSchema = z.strictObject({
  url: z.string().url().optional(),
  cloudwatch_logs: cloudwatchLogsBlock.optional(),
  firehose: firehoseBlock.optional(),
  s3: s3Block.optional(),
  kinesis: kinesisBlock.optional(),
  name: z.string().min(1).optional(),
  tenant_id: z.string().optional(),
  batchwait: positive('entries wait this long to be batched').prefault('1s'),
  batchsize: byteSize.prefault(1048576),
  headers: z.record(z.string(), z.string()).default({}),
  backoff_config: backoffConfig.prefault({}),
  external_labels: labelSet.default({}),
  timeout: positive('each push may take this long').prefault('10s'),
  drop_rate_limited_batches: z.boolean().default(false),
  ...httpClient,
  stream_lag_labels: notImplemented,
});

const decompression = z.strictObject({
  enabled: z.boolean().default(false),
  initial_delay: duration.prefault('0s'),
  format: z.enum(['gz', 'z', 'bz2', 'zip']).default('gz'),
});

/** A Promtail scrape config: which files to tail and the stages their lines go through. */
export const logsScrapeConfigSchema = z.strictObject({
  job_name: z.string().min(1),
  pipeline_stages: z.array(z.unknown()).default([]),
  static_configs: z.array(staticConfig).default([]),
  file_sd_configs: z.array(fileSdConfig).default([]),
  relabel_configs: relabelList,
  /** A TextDecoder label (`utf-16le`, `iso-8859-1`); UTF-8 when unset. */
  encoding: z.string().optional(),
  decompression: decompression.optional(),
  kubernetes_sd_configs: z.array(kubernetesSdConfigSchema).default([]),
  dns_sd_configs: z.array(dnsSdConfigSchema).default([]),
  journal: notImplemented,
  syslog: notImplemented,
  gcplog: notImplemented,
  azure_event_hubs: notImplemented,
  loki_push_api: notImplemented,
  windows_events: notImplemented,
  kafka: notImplemented,
  gelf: notImplemented,
  cloudflare: notImplemented,
  heroku_drain: notImplemented,
  consul_sd_configs: notImplemented,
  consulagent_sd_configs: notImplemented,
  docker_sd_configs: notImplemented,
  ec2_sd_configs: notImplemented,
});

const positions = z.strictObject({
  /** Default: `<positions_directory>/<config name>.yml`, as Grafana Agent names it. */
  filename: z.string().optional(),
  sync_period: positive('positions are saved this often').prefault('10s'),
  ignore_invalid_yaml: z.boolean().default(false),
});

const limitsConfig = z.strictObject({
  readline_rate_enabled: z.boolean().default(false),
  readline_rate: z.number().positive().default(10000),
  readline_burst: z.number().int().positive().default(10000),
  readline_rate_drop: z.boolean().default(true),
  /** Streams (distinct label sets) one config may send; 0: no limit. */
  max_streams: z.number().int().nonnegative().default(0),
  max_line_size: byteSize.prefault(0),
  max_line_size_truncate: z.boolean().default(false),
});

/**
 * The logs WAL. Without `wal_config`, it is on for a config with any AWS
 * client (CloudWatch Logs, S3, Firehose, Kinesis), so each of those reads
 * it at its own pace and an AWS outage holds no file's position back;
 * `wal_config: { enabled: false }` turns it off. A Loki-only config has none
 * unless `wal_config` is written (Promtail's behaviour).
 */
const walConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /**
   * Default: `<positions_directory>/wal/<config name>`; without
   * positions_directory, `<metrics.wal_directory>/logs-wal/<config name>`
   * (`data-agent/logs-wal/<config name>`), beside the metrics WAL.
   */
  dir: z.string().optional(),
});

const logsInstanceSchema = z.strictObject({
  name: z.string().min(1),
  clients: z.array(logsClientSchema).default([]),
  positions: positions.prefault({}),
  scrape_configs: z.array(logsScrapeConfigSchema).default([]),
  target_config: z
    .strictObject({
      sync_period: positive('files are looked for this often').prefault('10s'),
      stdin: notImplemented,
    })
    .prefault({}),
  limits_config: limitsConfig.prefault({}),
  wal_config: walConfig.optional(),
  /** Each `loki_push_api.cloudwatch_logs` here is one more client of this config. */
  targets: z.array(z.strictObject({ loki_push_api: lokiPushApiTarget })).default([]),
});

export const logsSchema = z.strictObject({
  positions_directory: z.string().optional(),
  global: z
    .strictObject({
      clients: z.array(logsClientSchema).default([]),
      file_watch_config: z
        .strictObject({
          min_poll_frequency: positive('files are polled at most this often').prefault('250ms'),
          max_poll_frequency: positive('idle files are polled at least this often').prefault(
            '250ms',
          ),
        })
        .prefault({}),
    })
    .prefault({}),
  configs: z.array(logsInstanceSchema).default([]),
});

export type LogsFile = z.output<typeof logsSchema>;
export type LogsClientFile = z.output<typeof logsClientSchema>;
export type LogsPushTargetFile = z.output<typeof lokiPushApiTarget>;
export type LogsScrapeConfigFile = z.output<typeof logsScrapeConfigSchema>;
export type LogsInstanceFile = z.output<typeof logsInstanceSchema>;
