/** The headers an object is written with, and the headers it is read back with. */
import { ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';
import { STORED_HEADERS } from './state.js';
import { quoted } from './context.js';
import { storageHeadersOf } from './encryption.js';

const META_PREFIX = 'x-amz-meta-';
const MAX_METADATA_BYTES = 2048;
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export interface ObjectHeaders {
  readonly contentType: string;
  readonly metadata: [string, string][];
  readonly headers: [string, string][];
}

function text(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Content-Type, x-amz-meta-*, encryption, storage class and the other stored headers of a PutObject or CreateMultipartUpload. */
export function objectHeadersOf(request: LocalRequest): ObjectHeaders {
  const metadata: [string, string][] = [];
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith(META_PREFIX)) continue;
    const metaName = name.slice(META_PREFIX.length);
    const metaValue = text(value) ?? '';
    metadata.push([metaName, metaValue]);
    metadataBytes += Buffer.byteLength(metaName) + Buffer.byteLength(metaValue);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new ServiceError(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size.',
      400,
      'Sender',
      { Size: String(metadataBytes), MaxSizeAllowed: String(MAX_METADATA_BYTES) },
    );
  }
  const headers: [string, string][] = [];
  for (const name of STORED_HEADERS) {
    let value = text(request.headers[name]);
    if (name === 'content-encoding' && value !== undefined) {
      // aws-chunked describes this request's framing, not the object.
      value = value
        .split(',')
        .map((coding) => coding.trim())
        .filter((coding) => coding !== '' && coding !== 'aws-chunked')
        .join(',');
    }
    if (value !== undefined && value !== '') headers.push([name, value]);
  }
  headers.push(...storageHeadersOf(request));
  const contentType = text(request.headers['content-type']);
  return { contentType: contentType || DEFAULT_CONTENT_TYPE, metadata, headers };
}

// GetObject may override stored headers through these query parameters.
const OVERRIDES: readonly (readonly [string, string])[] = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

export interface Readable {
  readonly etag: string;
  readonly lastModified: number;
  readonly contentType: string;
  readonly metadata: readonly (readonly [string, string])[];
  readonly headers: readonly (readonly [string, string])[];
}

/** The headers GetObject and HeadObject answer with, less Content-Length and ranges. */
export function objectResponseHeaders(
  object: Readable,
  query: URLSearchParams | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    etag: quoted(object.etag),
    'last-modified': new Date(object.lastModified).toUTCString(),
    'content-type': object.contentType,
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of object.headers) headers[name] = value;
  for (const [name, value] of object.metadata) headers[META_PREFIX + name] = value;
  for (const [parameter, name] of OVERRIDES) {
    const value = query?.get(parameter);
    if (value !== null && value !== undefined) headers[name] = value;
  }
  return headers;
}
