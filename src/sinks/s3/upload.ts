/**
 * Storing one sealed object, for the RetryingSender: PutObject up to the
 * multipart threshold, above it CreateMultipartUpload, UploadPart for each
 * part (every part but the last `part_size`, at least S3's 5 MiB, made
 * bigger when the object would need more than 10,000 parts), then
 * CompleteMultipartUpload. An object becomes visible in S3 only when
 * PutObject or CompleteMultipartUpload succeeds, so it is complete or
 * absent, never partial.
 *
 * A multipart upload that fails part way is resumed by the next attempt
 * (the parts already stored are kept, with their ETags); it is aborted
 * (AbortMultipartUpload, so its parts stop costing storage) when the object
 * is given up: dropped, left unsent at shutdown, or when S3 says the upload
 * or a part is gone (then the next attempt begins a new one).
 */
import { performance } from 'node:perf_hooks';
import { AwsError } from '../../aws/errors/index.js';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { classifySendError } from '../shared/classify.js';
import type { SendTarget } from '../shared/retry.js';
import type { Verdict } from '../shared/verdict.js';
import { S3Api, type CompletedPart } from './api.js';
import { contentHeaders } from './encode.js';
import { MAX_PARTS } from './limits.js';
import type { S3Metrics } from './metrics.js';
import type { ResolvedS3SinkOptions } from './options.js';
import type { UploadJournal } from './upload-journal.js';

/** An object ready to upload; built once, it lives in the buffer through every retry. */
export interface SealedObject {
  readonly key: string;
  /** The compressed body. */
  readonly body: Buffer;
  readonly entries: number;
  readonly uncompressedBytes: number;
  /** Entries per enqueue call, to finish them in the ProgressTracker once stored. */
  readonly countsBySeq: ReadonlyMap<number, number>;
  /** A multipart upload under way, and the parts it holds. */
  upload?: { readonly uploadId: string; readonly parts: CompletedPart[] } | undefined;
  /** When the first attempt began (performance.now()), for the upload duration. */
  startedAt?: number | undefined;
}

/** The part size for a body: the configured one, or bigger so that 10,000 parts hold it. */
export function partSizeFor(bodyBytes: number, configured: number): number {
  return Math.max(configured, Math.ceil(bodyBytes / MAX_PARTS));
}

/** S3 codes that mean the request, not the object, went wrong: sending it again can succeed. */
const RETRIED_CODES = new Set([
  'BadDigest',
  'XAmzContentSHA256Mismatch',
  'IncompleteBody',
  'RequestTimeout',
  'NoSuchUpload',
  'InvalidPart',
  'InvalidPartOrder',
]);

/** Codes that refuse the object itself: no fix to the account or the options makes S3 take it. */
const OBJECT_REFUSALS: Readonly<Record<string, 'too_large' | 'invalid'>> = {
  EntityTooLarge: 'too_large',
  KeyTooLongError: 'too_large',
  MetadataTooLarge: 'invalid',
};

/**
 * The shared classification with S3's own words: request-level 400s
 * (a body damaged in transit, S3's RequestTimeout, an upload gone) retried;
 * a refusal of a setting (storage class, SSE, a KMS key) held until the
 * options are fixed, never dropped; only an object S3 can never take dropped.
 */
export function classifyS3Error(error: unknown): Verdict {
  if (error instanceof AwsError) {
    const base = {
      cause: `AWS ${error.code}`,
      status: error.status,
      message: error.message,
      hint: error.hint,
    };
    if (RETRIED_CODES.has(error.code)) return { ...base, action: 'retry' };
    const refused = OBJECT_REFUSALS[error.code];
    if (refused) {
      return {
        ...base,
        action: 'drop',
        dropReason: refused === 'too_large' ? 'too-large' : 'invalid',
      };
    }
    // A KMS key that is missing, disabled or not usable is the kms_key_id setting's problem.
    if (
      error.code.startsWith('KMS.') ||
      (error.kind === 'invalid-request' &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429)
    ) {
      return {
        ...base,
        action: 'hold',
        blocked: 'configuration',
        hint: `${error.hint} — the objects are held in the buffer until the S3 options (storage_class, sse, kms_key_id, bucket) are fixed`,
      };
    }
  }
  return classifySendError(error, { retryOnHttp429: true });
}

export class S3UploadTarget implements Required<SendTarget<SealedObject>> {
  private readonly api: S3Api;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly aws: AwsClient,
    private readonly options: ResolvedS3SinkOptions,
    private readonly metrics: S3Metrics,
    private readonly journal?: UploadJournal,
  ) {
    this.api = new S3Api(aws, options);
    this.headers = {
      ...contentHeaders(options.format, options.compression),
      ...(options.storageClass ? { 'x-amz-storage-class': options.storageClass } : {}),
      ...(options.sse ? { 'x-amz-server-side-encryption': options.sse } : {}),
      ...(options.kmsKeyId
        ? { 'x-amz-server-side-encryption-aws-kms-key-id': options.kmsKeyId }
        : {}),
    };
  }

  /** Whether this object goes up in parts. */
  isMultipart(object: SealedObject): boolean {
    return object.body.length > this.options.multipartThresholdBytes;
  }

  async send(object: SealedObject): Promise<void> {
    object.startedAt ??= performance.now();
    if (!this.isMultipart(object)) {
      await this.timed(() => this.api.putObject(object.key, object.body, this.headers));
      return;
    }
    try {
      await this.sendParts(object);
    } catch (error) {
      if (
        error instanceof AwsError &&
        (error.code === 'NoSuchUpload' || error.code === 'InvalidPart')
      ) {
        // The upload (or a part) is gone: begin again with a new upload.
        await this.abandon(object);
      }
      throw error;
    }
  }

  refresh(): Promise<void> {
    return this.aws.refreshCredentials();
  }

  changed(): Promise<boolean> {
    return this.aws.credentialsChanged();
  }

  /** Aborts the object's multipart upload, if it has one; a failure is left to S3's lifecycle rules. */
  async abandon(object: SealedObject): Promise<void> {
    const upload = object.upload;
    if (upload === undefined) return;
    object.upload = undefined;
    await this.abort(object.key, upload.uploadId);
  }

  /** AbortMultipartUpload, three tries; true when S3 no longer has the upload. */
  async abort(key: string, uploadId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.timed(() => this.api.abortMultipartUpload(key, uploadId));
        this.metrics.abortedUploads.labels(this.options.host).inc();
      } catch (error) {
        if (!(error instanceof AwsError && error.code === 'NoSuchUpload')) continue;
      }
      await this.journal?.end(uploadId);
      return true;
    }
    return false;
  }

  private async sendParts(object: SealedObject): Promise<void> {
    const { key, body } = object;
    if (object.upload === undefined) {
      const uploadId = await this.timed(() => this.api.createMultipartUpload(key, this.headers));
      object.upload = { uploadId, parts: [] };
      await this.journal?.begin(key, uploadId);
    }
    const upload = object.upload;
    const size = partSizeFor(body.length, this.options.partSizeBytes);
    const count = Math.ceil(body.length / size);
    for (let index = upload.parts.length; index < count; index++) {
      const partNumber = index + 1;
      const part = body.subarray(index * size, Math.min((index + 1) * size, body.length));
      const etag = await this.timed(() =>
        this.api.uploadPart(key, upload.uploadId, partNumber, part),
      );
      upload.parts.push({ partNumber, etag });
    }
    await this.timed(() => this.api.completeMultipartUpload(key, upload.uploadId, upload.parts));
    object.upload = undefined;
    await this.journal?.end(upload.uploadId);
  }

  /** One request, timed for `promtail_request_duration_seconds`. */
  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const began = performance.now();
    let status = -1;
    try {
      const result = await call();
      status = 200;
      return result;
    } catch (error) {
      if (error instanceof AwsError) status = error.status;
      throw error;
    } finally {
      this.metrics.requestDuration
        .labels(String(status), this.options.host)
        .observe((performance.now() - began) / 1000);
    }
  }
}
