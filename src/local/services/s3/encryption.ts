/**
 * Server-side encryption and storage class, as S3 takes them on PutObject
 * and CreateMultipartUpload: `x-amz-server-side-encryption` (AES256,
 * aws:kms, aws:kms:dsse; S3 encrypts every new object with AES256 when none
 * is asked for, since January 2023), `x-amz-server-side-encryption-aws-kms-key-id`
 * (only with aws:kms; without it the account's aws/s3 key) and
 * `x-amz-storage-class`. Nothing is encrypted here: the choice is checked
 * as S3 checks it, stored with the object, and answered on PUT, GET and HEAD
 * as S3 answers it (the key as an ARN; the storage class unless STANDARD).
 */
import { createHash } from 'node:crypto';
import { accountOf, ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';
import { header } from './context.js';
import { invalidArgument } from './errors.js';

export const SSE_HEADER = 'x-amz-server-side-encryption';
export const SSE_KMS_KEY_HEADER = 'x-amz-server-side-encryption-aws-kms-key-id';
export const STORAGE_CLASS_HEADER = 'x-amz-storage-class';

const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const STORAGE_CLASSES = new Set([
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
]);

/** A stand-in id for the account's AWS managed aws/s3 key, stable per account. */
function managedKeyId(account: string): string {
  const hex = createHash('sha256').update(`signet-local:aws/s3:${account}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The KMS key as S3 reports it: a key ARN (a bare key id or alias made into an ARN). */
function keyArn(request: LocalRequest, given: string | undefined): string {
  const prefix = `arn:aws:kms:${request.region}:${accountOf(request)}:`;
  if (given === undefined) return `${prefix}key/${managedKeyId(accountOf(request))}`;
  if (given.startsWith('arn:')) return given;
  return given.startsWith('alias/') ? `${prefix}${given}` : `${prefix}key/${given}`;
}

/** The encryption and storage-class headers to store with an object; throws as S3 refuses. */
export function storageHeadersOf(request: LocalRequest): [string, string][] {
  const sse = header(request, SSE_HEADER)?.trim();
  const keyId = header(request, SSE_KMS_KEY_HEADER)?.trim();
  const storageClass = header(request, STORAGE_CLASS_HEADER)?.trim();
  if (sse !== undefined && !SSE_ALGORITHMS.has(sse)) {
    throw invalidArgument('The encryption method specified is not supported', SSE_HEADER, sse);
  }
  const kms = sse === 'aws:kms' || sse === 'aws:kms:dsse';
  if (keyId !== undefined && !kms) {
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      SSE_KMS_KEY_HEADER,
      keyId,
    );
  }
  if (storageClass !== undefined && !STORAGE_CLASSES.has(storageClass)) {
    throw new ServiceError(
      'InvalidStorageClass',
      'The storage class you specified is not valid',
      400,
      'Sender',
      { StorageClassRequested: storageClass },
    );
  }
  const stored: [string, string][] = [[SSE_HEADER, sse ?? 'AES256']];
  if (kms) stored.push([SSE_KMS_KEY_HEADER, keyArn(request, keyId)]);
  if (storageClass !== undefined && storageClass !== 'STANDARD') {
    stored.push([STORAGE_CLASS_HEADER, storageClass]);
  }
  return stored;
}

/** The encryption headers S3 echoes on PutObject, UploadPart and the multipart calls. */
export function encryptionEcho(
  stored: readonly (readonly [string, string])[],
): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const [name, value] of stored) {
    if (name === SSE_HEADER || name === SSE_KMS_KEY_HEADER) echo[name] = value;
  }
  return echo;
}
