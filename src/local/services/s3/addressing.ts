/**
 * Where a request points: which bucket and key, taken from the host
 * (virtual-host style) or from the path (path style).
 */
import { ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';

export interface S3Address {
  /** Undefined for the service itself (`GET /` lists buckets). */
  readonly bucket: string | undefined;
  /** Undefined for the bucket itself; may be any non-empty string, slashes included. */
  readonly key: string | undefined;
  readonly virtualHost: boolean;
}

// An endpoint host without a bucket: `s3.localhost`, `s3.eu-west-1.localhost`, `s3-eu-west-1.localhost`.
const ENDPOINT_HOST = /^s3(?:[.-][a-z0-9-]+)?\.localhost$/;
// `{bucket}.s3.localhost`, `{bucket}.s3.{region}.localhost`, then `{bucket}.localhost`; bucket names may hold dots.
const BUCKET_HOSTS = [
  /^(.+)\.s3\.localhost$/,
  /^(.+)\.s3[.-][a-z0-9-]+\.localhost$/,
  /^(.+)\.localhost$/,
];

/** The bucket a virtual-host-style host names, or undefined for a path-style host. */
export function bucketFromHost(host: string): string | undefined {
  const name = host.toLowerCase();
  if (ENDPOINT_HOST.test(name)) return undefined;
  for (const pattern of BUCKET_HOSTS) {
    const bucket = pattern.exec(name)?.[1];
    if (bucket !== undefined) return bucket;
  }
  return undefined;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** The bucket and key a request addresses; throws InvalidURI for a path that does not decode. */
export function s3Address(request: LocalRequest): S3Address {
  // The raw path is split before decoding, so an escaped slash (%2F) in a bucket segment stays in it.
  const rawPath = request.rawPath.split('?')[0] ?? '';
  const rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const hostBucket = bucketFromHost(request.host);
  if (hostBucket !== undefined) {
    return { bucket: hostBucket, key: rest === '' ? undefined : decode(rest), virtualHost: true };
  }
  if (rest === '') return { bucket: undefined, key: undefined, virtualHost: false };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), key: undefined, virtualHost: false };
  const key = rest.slice(slash + 1);
  return {
    bucket: decode(rest.slice(0, slash)),
    key: key === '' ? undefined : decode(key),
    virtualHost: false,
  };
}
