/**
 * The settings Firehose and Kinesis clients share, camelCased with
 * durations in milliseconds: record format, newline delimiting,
 * aggregation, what to do with an entry over the record limit, how long a
 * call waits to fill, and the backoff. Errors name the key under the
 * client's path.
 */
import type { AwsClient } from '../../aws/http/aws-client.js';
import { SignetError } from '../../errors.js';
import { positiveOption } from '../shared/options.js';
import { DEFAULT_HOLD_MAX_BACKOFF_MS, type RetryPolicy } from '../shared/retry.js';
import type { RecordApi } from './api.js';
import type { PartitionKeys, RecordClientSettings } from './client.js';
import type { OversizedAction, RecordFormat, RecordFormatOptions } from './format.js';

/** A record-stream client setting that cannot work, named by its key path. */
export class RecordSinkOptionsError extends SignetError {}

export interface RecordSinkCommonOptions {
  /** `record_format`: `line` (the line as is, the default) or `json` (labels, line, timestamp). */
  readonly format?: RecordFormat | undefined;
  /** `newline`: append `\n` to each entry's data (the sink's default). */
  readonly newline?: boolean | undefined;
  /** `aggregate`: pack several entries into one record up to the record limit (off); needs `newline`. */
  readonly aggregate?: boolean | undefined;
  /** `oversized`: an entry over the record limit is `split` (default), `truncate`d or `drop`ped. */
  readonly oversized?: OversizedAction | undefined;
  /** `batch_wait`: the longest a record waits for its call to fill (1 s). */
  readonly batchWaitMs?: number | undefined;
  /** `min_backoff` (100 ms), `max_backoff` (10 s). */
  readonly minBackoffMs?: number | undefined;
  readonly maxBackoffMs?: number | undefined;
  /** The longest wait while held for a fix (2 min). */
  readonly holdMaxBackoffMs?: number | undefined;
  /** The share of each backoff taken off at random (0.5), so throttled agents do not retry in step. */
  readonly jitter?: number | undefined;
  /** Bytes of records held before enqueue says full (8 calls' worth). */
  readonly maxBufferedBytes?: number | undefined;
  /** The key path of this client in the config, for errors (`logs.configs[0].clients[1].firehose`). */
  readonly path?: string | undefined;
}

/** What a Firehose or Kinesis client is given besides its stream. */
export interface RecordClientOptions extends RecordSinkCommonOptions {
  /** Where calls go: the destination's URL (createFirehoseDestination, createKinesisDestination). */
  readonly url: string;
  /** Signs for the service in the stream's region. */
  readonly aws: AwsClient;
  /** For messages; `<service>/<stream>` by default. */
  readonly name?: string | undefined;
}

/** What a sink knows of its stream once its own options are checked. */
export interface RecordStreamSpec {
  /** `firehose` or `kinesis`: the default name is `<service>/<stream>`. */
  readonly service: 'firehose' | 'kinesis';
  /** The stream's name: the `stream` metric label. */
  readonly stream: string;
  readonly api: RecordApi;
  readonly keys: PartitionKeys;
  /** Whether records end in `\n` unless `newline` says otherwise. */
  readonly newline: boolean;
  /** The client's key path, for errors. */
  readonly path: string;
  /** How the destination is named in log lines: `firehose delivery stream logs`. */
  readonly destination: string;
}

/** The shared options checked against the sink's stream; throws RecordSinkOptionsError naming the key. */
export function checkRecordClientOptions(
  options: RecordSinkCommonOptions,
  spec: RecordStreamSpec,
): ResolvedRecordSinkOptions {
  return resolveRecordSinkOptions(options, {
    newline: spec.newline,
    maxRequestBytes: spec.api.limits.maxRequestBytes,
    path: spec.path,
  });
}

/** The shared options checked and joined with the sink's stream into a RecordStreamClient's settings. */
export function recordClientSettings(
  options: RecordClientOptions,
  spec: RecordStreamSpec,
): RecordClientSettings {
  const resolved = checkRecordClientOptions(options, spec);
  return {
    name: options.name ?? `${spec.service}/${spec.stream}`,
    stream: spec.stream,
    url: options.url,
    aws: options.aws,
    api: spec.api,
    keys: spec.keys,
    format: resolved.format,
    aggregate: resolved.aggregate,
    batchWaitMs: resolved.batchWaitMs,
    maxBufferedBytes: resolved.maxBufferedBytes,
    retry: resolved.retry,
    destination: spec.destination,
  };
}

export interface ResolvedRecordSinkOptions {
  readonly format: RecordFormatOptions;
  readonly aggregate: boolean;
  readonly batchWaitMs: number;
  readonly retry: RetryPolicy;
  readonly maxBufferedBytes: number;
  readonly path: string;
}

export const RECORD_SINK_DEFAULTS = Object.freeze({
  format: 'line',
  oversized: 'split',
  batchWaitMs: 1000,
  minBackoffMs: 100,
  maxBackoffMs: 10_000,
  jitter: 0.5,
  bufferedCalls: 8,
});

export function resolveRecordSinkOptions(
  given: RecordSinkCommonOptions,
  defaults: { readonly newline: boolean; readonly maxRequestBytes: number; readonly path: string },
): ResolvedRecordSinkOptions {
  const path = given.path ?? defaults.path;
  const format = given.format ?? RECORD_SINK_DEFAULTS.format;
  if (format !== 'line' && format !== 'json') {
    throw new RecordSinkOptionsError(
      `${path}.record_format: ${JSON.stringify(format)} is not a format`,
      {
        hint: 'use line (the line as is) or json (labels, line and timestamp)',
      },
    );
  }
  const oversized = given.oversized ?? RECORD_SINK_DEFAULTS.oversized;
  if (!['split', 'truncate', 'drop'].includes(oversized)) {
    throw new RecordSinkOptionsError(
      `${path}.oversized: ${JSON.stringify(oversized)} is not an action`,
      {
        hint: 'use split (send long lines in pieces), truncate or drop',
      },
    );
  }
  const newline = given.newline ?? defaults.newline;
  const aggregate = given.aggregate ?? false;
  if (aggregate && !newline) {
    throw new RecordSinkOptionsError(`${path}.aggregate needs newline: true`, {
      hint: 'entries packed into one record are told apart by the newline after each: set newline: true, or aggregate: false',
    });
  }
  const minBackoffMs = positive(
    given.minBackoffMs,
    RECORD_SINK_DEFAULTS.minBackoffMs,
    `${path}.min_backoff`,
  );
  const maxBackoffMs = positive(
    given.maxBackoffMs,
    RECORD_SINK_DEFAULTS.maxBackoffMs,
    `${path}.max_backoff`,
  );
  if (maxBackoffMs < minBackoffMs) {
    throw new RecordSinkOptionsError(
      `${path}: max_backoff (${maxBackoffMs} ms) is below min_backoff (${minBackoffMs} ms)`,
      { hint: 'max_backoff must be at least min_backoff' },
    );
  }
  const holdMaxBackoffMs = positive(
    given.holdMaxBackoffMs,
    Math.max(DEFAULT_HOLD_MAX_BACKOFF_MS, maxBackoffMs),
    `${path}.hold_max_backoff`,
  );
  const jitter = given.jitter ?? RECORD_SINK_DEFAULTS.jitter;
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    throw new RecordSinkOptionsError(`${path}.jitter must be between 0 and 1, got ${jitter}`, {
      hint: 'give the share of each backoff taken off at random, e.g. 0.5',
    });
  }
  return {
    format: { format, newline, oversized },
    aggregate,
    batchWaitMs: positive(
      given.batchWaitMs,
      RECORD_SINK_DEFAULTS.batchWaitMs,
      `${path}.batch_wait`,
    ),
    retry: { minBackoffMs, maxBackoffMs, holdMaxBackoffMs, jitter },
    maxBufferedBytes: positive(
      given.maxBufferedBytes,
      defaults.maxRequestBytes * RECORD_SINK_DEFAULTS.bufferedCalls,
      `${path}.max_buffered_bytes`,
    ),
    path,
  };
}

function positive(value: number | undefined, fallback: number, path: string): number {
  return positiveOption(value, fallback, path, RecordSinkOptionsError);
}
