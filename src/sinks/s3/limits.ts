/**
 * S3's own limits and names, as AWS documents them (Amazon S3 User Guide,
 * "Amazon S3 multipart upload limits"; PutObject and CreateMultipartUpload
 * in the API Reference).
 */

/** Every part of a multipart upload but the last is at least this big. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** No part is bigger than this. */
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;
/** Part numbers run from 1 to 10,000. */
export const MAX_PARTS = 10_000;
/** PutObject takes at most 5 GiB in one request. */
export const MAX_PUT_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;
/** Keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** `x-amz-storage-class` values S3 accepts on PutObject and CreateMultipartUpload. */
export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** `x-amz-server-side-encryption` values this sink sends (DSSE-KMS is left out: no key id handling differs). */
export const SSE_ALGORITHMS = ['AES256', 'aws:kms'] as const;
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];

/** A KMS key S3 takes: a key id, a key ARN, an alias name or an alias ARN. */
export const KMS_KEY_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+))$/;
