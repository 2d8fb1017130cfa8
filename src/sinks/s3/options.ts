/**
 * The S3 client's options, as plain typed values (the YAML schema maps the
 * `s3:` block and `s3://bucket/prefix` URLs onto them), and their checks:
 * every value that cannot work, or that S3 would refuse, is refused here,
 * at start, with the key that holds it.
 */
import type { AwsClient } from '../../aws/http/aws-client.js';
import { S3ConfigError } from './errors.js';
import { defaultKeyFormat, KeyFormat, type Compression, type ObjectFormat } from './key-format.js';
import {
  KMS_KEY_ID,
  MAX_PART_BYTES,
  MAX_PUT_OBJECT_BYTES,
  MIN_PART_BYTES,
  SSE_ALGORITHMS,
  STORAGE_CLASSES,
  type SseAlgorithm,
  type StorageClass,
} from './limits.js';
import { addressingOf, type Addressing } from './destination.js';

export interface S3SinkOptions {
  /** Signs every call; from createS3Destination (service `s3`). */
  readonly aws: AwsClient;
  /** The S3 endpoint the calls go to, without the bucket: the Destination's `url`. */
  readonly url: string;
  /** `name`: names the client in logs; `s3://<bucket>/<prefix>` when absent. */
  readonly name?: string | undefined;
  /** `bucket`. */
  readonly bucket: string;
  /** `prefix`: put before every key, followed by `/`. */
  readonly prefix?: string | undefined;
  /** `key_format`: see key-format.ts; default `%Y/%m/%d/%H/$HOST-%Y%m%dT%H%M%SZ-$UUID.log.gz`. */
  readonly keyFormat?: string | undefined;
  /** `compression`: `gzip` (default) or `none`; `zstd` is refused (Node 20 has none). */
  readonly compression?: string | undefined;
  /** `format`: `ndjson` (default; see encode.ts for the shape) or `raw` lines. */
  readonly format?: string | undefined;
  /** `batch_size`: an object is sealed once its entries take this many bytes before compression (5 MiB). */
  readonly batchSizeBytes?: number | undefined;
  /** `batch_wait`: the longest an object's first entry waits before the object is sealed (5 min). */
  readonly batchWaitMs?: number | undefined;
  /** `storage_class`: `x-amz-storage-class`; S3's STANDARD when absent. */
  readonly storageClass?: string | undefined;
  /** `sse`: `AES256` or `aws:kms` (`x-amz-server-side-encryption`); the bucket's default when absent. */
  readonly sse?: string | undefined;
  /** `kms_key_id`, with `sse: aws:kms` only; the account's aws/s3 key when absent. */
  readonly kmsKeyId?: string | undefined;
  /** `content_md5`: send Content-MD5 with every PutObject and UploadPart (Object Lock buckets need it). */
  readonly contentMd5?: boolean | undefined;
  /** `addressing`: `auto` (default), `path` or `virtual`; see destination.ts. */
  readonly addressing?: string | undefined;
  /** Compressed objects above this go up in parts (16 MiB). */
  readonly multipartThresholdBytes?: number | undefined;
  /** The size of each part but the last, at least S3's 5 MiB (8 MiB). */
  readonly partSizeBytes?: number | undefined;
  /** Uploads under way at once (2). */
  readonly maxParallelUploads?: number | undefined;
  /** Bytes before compression held before enqueue says full (4 × batch_size). */
  readonly maxBufferedBytes?: number | undefined;
  /** Backoff for SlowDown and 5xx: 500 ms doubling to 30 s, with jitter. */
  readonly minBackoffMs?: number | undefined;
  readonly maxBackoffMs?: number | undefined;
  /** The longest wait between attempts while blocked (credentials, access) (2 min). */
  readonly holdMaxBackoffMs?: number | undefined;
  /** The least time between two log lines about one failure (1 min). */
  readonly failureLogIntervalMs?: number | undefined;
  /** Where the multipart uploads under way are recorded, to abort those a killed run left (upload-journal.ts); none when absent. */
  readonly uploadJournalPath?: string | undefined;
  /** The key path of this client in the config, for errors (`logs.configs[0].clients[1].s3`). */
  readonly path?: string | undefined;
}

export interface ResolvedS3SinkOptions {
  readonly name: string;
  /** `host:port` of the endpoint, Promtail's `host` metric label. */
  readonly host: string;
  readonly url: string;
  readonly bucket: string;
  readonly keyFormat: KeyFormat;
  readonly compression: Compression;
  readonly format: ObjectFormat;
  readonly batchSizeBytes: number;
  readonly batchWaitMs: number;
  readonly storageClass: StorageClass | undefined;
  readonly sse: SseAlgorithm | undefined;
  readonly kmsKeyId: string | undefined;
  readonly contentMd5: boolean;
  /** `auto` resolved for this endpoint and bucket. */
  readonly addressing: 'path' | 'virtual';
  readonly multipartThresholdBytes: number;
  readonly partSizeBytes: number;
  readonly maxParallelUploads: number;
  readonly maxBufferedBytes: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly holdMaxBackoffMs: number;
  readonly failureLogIntervalMs: number;
  readonly uploadJournalPath: string | undefined;
}

export const DEFAULT_BATCH_SIZE_BYTES = 5 * 1024 * 1024;
/** An object is built as one string before compression: well under V8's longest string (~512 MiB). */
export const MAX_BATCH_SIZE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_BATCH_WAIT_MS = 5 * 60_000;
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 16 * 1024 * 1024;
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;
/** The buffer holds this many objects' worth of entries before enqueue says full. */
export const BUFFERED_OBJECTS = 4;

/** Bucket names as S3 takes them for new buckets (general purpose), 3–63 characters. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The options checked, each refusal naming its key; `aws` is not needed (config check has none). */
export function resolveS3SinkOptions(options: Omit<S3SinkOptions, 'aws'>): ResolvedS3SinkOptions {
  const at = (key: string): string => (options.path ? `${options.path}.${key}` : key);
  const refuse = (key: string, what: string, hint: string): never => {
    throw new S3ConfigError(`${at(key)}: ${what}`, { hint });
  };
  const oneOf = <T extends string>(
    key: string,
    value: string | undefined,
    allowed: readonly T[],
  ): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      refuse(
        key,
        `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
        `use one of ${allowed.join(', ')}`,
      );
    }
    return value as T;
  };

  const bucket = options.bucket;
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    refuse(
      'bucket',
      `${JSON.stringify(bucket)} is not an S3 bucket name`,
      "use 3–63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit",
    );
  }
  if (options.compression === 'zstd') {
    refuse(
      'compression',
      'zstd is not available: Node.js 20 has no zstd in node:zlib',
      'use gzip (the default) or none; zstd needs Node.js 22.15 or later, which Signet does not require',
    );
  }
  const compression =
    oneOf<Compression>('compression', options.compression, ['gzip', 'none']) ?? 'gzip';
  const format = oneOf<ObjectFormat>('format', options.format, ['ndjson', 'raw']) ?? 'ndjson';
  const storageClass = oneOf('storage_class', options.storageClass, STORAGE_CLASSES);
  const sse = oneOf('sse', options.sse, SSE_ALGORITHMS);
  const kmsKeyId = options.kmsKeyId;
  if (kmsKeyId !== undefined) {
    if (sse !== 'aws:kms') {
      refuse(
        'kms_key_id',
        'is set but sse is not aws:kms',
        'set sse: aws:kms, or remove kms_key_id',
      );
    }
    if (!KMS_KEY_ID.test(kmsKeyId)) {
      refuse(
        'kms_key_id',
        `${JSON.stringify(kmsKeyId)} is not a KMS key id, key ARN, alias or alias ARN`,
        'e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab or alias/logs',
      );
    }
  }
  const chosenAddressing =
    oneOf<Addressing>('addressing', options.addressing, ['auto', 'path', 'virtual']) ?? 'auto';

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
  const batchSizeBytes = bounded(
    'batch_size',
    options.batchSizeBytes,
    1,
    MAX_BATCH_SIZE_BYTES,
    DEFAULT_BATCH_SIZE_BYTES,
  );
  const partSizeBytes = bounded(
    'part_size',
    options.partSizeBytes,
    MIN_PART_BYTES,
    MAX_PART_BYTES,
    DEFAULT_PART_SIZE_BYTES,
  );
  const multipartThresholdBytes = bounded(
    'multipart_threshold',
    options.multipartThresholdBytes,
    1,
    MAX_PUT_OBJECT_BYTES,
    DEFAULT_MULTIPART_THRESHOLD_BYTES,
  );
  const minBackoffMs = bounded('min_backoff', options.minBackoffMs, 1, 3_600_000, 500);
  const maxBackoffMs = bounded(
    'max_backoff',
    options.maxBackoffMs,
    minBackoffMs,
    3_600_000,
    Math.max(30_000, minBackoffMs),
  );
  const prefix = options.prefix ?? '';
  const keyFormat = new KeyFormat(
    options.keyFormat ?? defaultKeyFormat(format, compression),
    prefix,
    at(options.keyFormat === undefined ? 'prefix' : 'key_format'),
  );
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return refuse(
      'endpoint',
      `${JSON.stringify(options.url)} is not a URL`,
      'give e.g. https://s3.us-east-1.amazonaws.com',
    );
  }
  // Chosen here so an endpoint that cannot take the bucket in its host is refused at start.
  const addressing = addressingOf(chosenAddressing, url, bucket, at('addressing'));
  return {
    name: options.name ?? `s3://${bucket}${prefix === '' ? '' : `/${prefix.replace(/^\/+/, '')}`}`,
    host: url.host,
    url: options.url,
    bucket,
    keyFormat,
    compression,
    format,
    batchSizeBytes,
    batchWaitMs: bounded(
      'batch_wait',
      options.batchWaitMs,
      0,
      24 * 3_600_000,
      DEFAULT_BATCH_WAIT_MS,
    ),
    storageClass,
    sse,
    kmsKeyId,
    contentMd5: options.contentMd5 ?? false,
    addressing,
    multipartThresholdBytes,
    partSizeBytes,
    maxParallelUploads: bounded('max_parallel_uploads', options.maxParallelUploads, 1, 64, 2),
    maxBufferedBytes: bounded(
      'max_buffered_bytes',
      options.maxBufferedBytes,
      1,
      2 ** 40,
      BUFFERED_OBJECTS * batchSizeBytes,
    ),
    minBackoffMs,
    maxBackoffMs,
    holdMaxBackoffMs: Math.max(options.holdMaxBackoffMs ?? 120_000, minBackoffMs),
    failureLogIntervalMs: options.failureLogIntervalMs ?? 60_000,
    uploadJournalPath: options.uploadJournalPath,
  };
}
