/** The S3 client (issue 13): log objects in a bucket, as a LogClient of the logs pipeline. */
export { S3LogClient, type S3ClientDeps } from './client.js';
export { classifyS3Error, partSizeFor, type SealedObject } from './upload.js';
export {
  S3_SERVICE,
  addressingOf,
  createS3Destination,
  encodeKey,
  objectUrl,
  s3Url,
  type Addressing,
  type S3DestinationOptions,
} from './destination.js';
export { createS3Metrics, type S3DropReason, type S3Metrics } from './metrics.js';
export {
  DEFAULT_BATCH_SIZE_BYTES,
  DEFAULT_BATCH_WAIT_MS,
  DEFAULT_MULTIPART_THRESHOLD_BYTES,
  DEFAULT_PART_SIZE_BYTES,
  resolveS3SinkOptions,
  type ResolvedS3SinkOptions,
  type S3SinkOptions,
} from './options.js';
export { S3ConfigError } from './errors.js';
export { EntryEncoder, rfc3339Nano } from './encode.js';
export { KeyFormat, defaultKeyFormat, type Compression, type ObjectFormat } from './key-format.js';
export * as s3Limits from './limits.js';
