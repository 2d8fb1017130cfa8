/**
 * Where an S3 client's requests go. The endpoint is the regional one
 * (`https://s3.<region>.amazonaws.com`, `.amazonaws.com.cn` in China), or
 * `endpoint` when given, moved by AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL,
 * signed for `s3` through createDestination like every AWS destination.
 *
 * Addressing, as the SDKs choose it:
 * - `virtual`: the bucket in the host (`https://<bucket>.s3.<region>.amazonaws.com/<key>`),
 *   what AWS wants (path-style is deprecated for new buckets);
 * - `path`: the bucket as the first path segment (`http://127.0.0.1:4566/<bucket>/<key>`),
 *   what an IP address or `localhost` endpoint (signet local, MinIO) needs;
 * - `auto` (default): path-style for an IP address, `localhost` or
 *   `*.localhost` endpoint, and for a bucket with dots over https (its host
 *   would not match S3's wildcard certificate); virtual-hosted otherwise.
 */
import { isIP } from 'node:net';
import { createDestination } from '../../aws/destination/index.js';
import type {
  Destination,
  DestinationOptions,
  SigningOptions,
} from '../../aws/destination/index.js';
import { partitionOf } from '../../aws/endpoints.js';
import { resolveRegion } from '../../aws/region.js';
import { S3ConfigError } from './errors.js';

export const S3_SERVICE = 's3';

export type Addressing = 'auto' | 'path' | 'virtual';

export function s3Url(region: string): string {
  const suffix = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://s3.${region}.${suffix}`;
}

export interface S3DestinationOptions extends Omit<
  DestinationOptions,
  'url' | 'defaultService' | 'signing'
> {
  /** `region`; else found in the environment, the profile or IMDS. */
  readonly region?: string | undefined;
  /** `endpoint`: a URL in place of the regional one (a VPC endpoint, signet local). */
  readonly endpoint?: string | undefined;
  readonly signing: Omit<SigningOptions, 'region' | 'service'>;
}

/** Throws RegionError when no region can be found, EndpointOverrideError for a bad override. */
export async function createS3Destination(options: S3DestinationOptions): Promise<Destination> {
  const { region, endpoint, signing, ...rest } = options;
  let url = endpoint;
  if (url === undefined) {
    const found = await resolveRegion({
      configured: region,
      profile: signing.credentials.profile,
      env: options.env,
      ...(options.imds === undefined ? {} : { imds: options.imds }),
    });
    url = s3Url(found.region);
  }
  return createDestination({
    ...rest,
    url,
    defaultService: S3_SERVICE,
    signing: { ...signing, service: S3_SERVICE, ...(region ? { region } : {}) },
  });
}

/** Whether objects are addressed in the path or the host; throws when `virtual` cannot work. */
export function addressingOf(
  chosen: Addressing,
  endpoint: URL,
  bucket: string,
  path: string,
): 'path' | 'virtual' {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  const local = isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost');
  if (chosen === 'path') return 'path';
  if (chosen === 'virtual') {
    if (isIP(host) !== 0) {
      throw new S3ConfigError(`${path}: virtual-hosted addressing needs a host name, not ${host}`, {
        hint: 'use addressing: path (or auto) with an IP address endpoint',
      });
    }
    return 'virtual';
  }
  if (local) return 'path';
  if (bucket.includes('.') && endpoint.protocol === 'https:') return 'path';
  return 'virtual';
}

/** RFC 3986 encoding of each segment of a key, as S3 expects it on the wire (slashes kept). */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/** The URL of an object (or, with key '', of the bucket). */
export function objectUrl(
  endpoint: string,
  addressing: 'path' | 'virtual',
  bucket: string,
  key: string,
): string {
  const base = new URL(endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  if (addressing === 'virtual') {
    return `${base.protocol}//${bucket}.${base.host}${prefix}/${encodeKey(key)}`;
  }
  return `${base.protocol}//${base.host}${prefix}/${bucket}/${encodeKey(key)}`;
}
