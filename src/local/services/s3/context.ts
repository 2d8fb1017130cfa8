/** What every S3 operation works with: the state, its saving, and the caller's buckets. */
import { createHash } from 'node:crypto';
import { accountOf, ServiceError } from '../../service.js';
import type { LocalRequest, LocalResponse } from '../../service.js';
import type { Route } from './operations.js';
import type { Payload } from './payload.js';
import type { Bucket, S3State } from './state.js';
import { noSuchBucket } from './errors.js';
import { element, type Markup } from './xml.js';

export interface S3Context {
  readonly state: S3State;
  /** The smallest size of a multipart upload's parts other than the last. */
  readonly minPartSize: number;
  save(): void;
}

export type Handler = (
  context: S3Context,
  request: LocalRequest,
  route: Route,
  payload: Payload,
) => LocalResponse;

/** A header's value; the rare repeated header joined as node:http would for most names. */
export function header(request: LocalRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The bucket a request names; it must exist and belong to the caller's account. */
export function requireBucket(context: S3Context, request: LocalRequest, name: string): Bucket {
  const bucket = context.state.buckets.get(name);
  if (bucket === undefined) throw noSuchBucket(name);
  // There are no bucket policies here, so another account's bucket is simply off limits.
  if (bucket.owner !== accountOf(request)) {
    throw new ServiceError('AccessDenied', 'Access Denied', 403, 'Sender', { BucketName: name });
  }
  return bucket;
}

/** S3 names owners by a 64-hex canonical user id; one derived from the account stands in. */
export function ownerXml(account: string): Markup {
  const id = createHash('sha256').update(`signet-local:${account}`).digest('hex');
  return element('Owner', element('ID', id), element('DisplayName', account));
}

/** Whole seconds: S3 keeps and reports modification times to the second. */
export const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export const quoted = (etag: string): string => `"${etag}"`;
