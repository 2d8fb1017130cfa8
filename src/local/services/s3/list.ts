/** ListObjectsV2 and (the older) ListObjects: parameters in, ListBucketResult out. */
import type { LocalRequest, LocalResponse } from '../../service.js';
import { ownerXml, quoted, requireBucket, type Handler } from './context.js';
import { invalidArgument } from './errors.js';
import { listPage, type ListingPage } from './listing.js';
import type { StoredObject } from './state.js';
import { element, optional, xmlDocument, type Markup } from './xml.js';

const MAX_KEYS = 1000;

interface CommonParameters {
  readonly prefix: string;
  readonly delimiter: string;
  readonly maxKeys: number;
  /** Encodes keys and prefixes for XML when encoding-type=url. */
  readonly encode: (text: string) => string;
  readonly encodingType: string | undefined;
}

// encoding-type=url as S3 does it: form encoding (space as `+`) that leaves `/` alone.
const urlEncode = (text: string): string =>
  encodeURIComponent(text).replace(/%2F/g, '/').replace(/%20/g, '+');

function commonParameters(query: URLSearchParams): CommonParameters {
  const maxKeysText = query.get('max-keys');
  if (maxKeysText !== null && !/^\d{1,10}$/.test(maxKeysText)) {
    throw invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      maxKeysText,
    );
  }
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') {
    throw invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  }
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxKeys: Math.min(maxKeysText === null ? MAX_KEYS : Number(maxKeysText), MAX_KEYS),
    encode: encodingType === 'url' ? urlEncode : (text) => text,
    encodingType,
  };
}

function contentsXml(
  [key, object]: readonly [string, StoredObject],
  parameters: CommonParameters,
  owner: Markup | undefined,
): Markup {
  return element(
    'Contents',
    element('Key', parameters.encode(key)),
    element('LastModified', new Date(object.lastModified).toISOString()),
    element('ETag', quoted(object.etag)),
    optional('ChecksumAlgorithm', object.checksum?.algorithm.toUpperCase()),
    optional('ChecksumType', object.checksum === undefined ? undefined : 'FULL_OBJECT'),
    element('Size', object.size),
    owner,
    element(
      'StorageClass',
      object.headers.find(([name]) => name === 'x-amz-storage-class')?.[1] ?? 'STANDARD',
    ),
  );
}

function pageXml(page: ListingPage, parameters: CommonParameters, owner: Markup | undefined) {
  return [
    ...page.contents.map((entry) => contentsXml(entry, parameters, owner)),
    ...page.commonPrefixes.map((prefix) =>
      element('CommonPrefixes', element('Prefix', parameters.encode(prefix))),
    ),
  ];
}

function respond(body: string): LocalResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

// Continuation tokens are opaque to clients; this one carries where the page ended.
const encodeToken = (after: string): string =>
  Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64');

function decodeToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed) {
      if (typeof parsed.after === 'string') return parsed.after;
    }
  } catch {
    // Falls through to the error S3 gives for a token it did not issue.
  }
  throw invalidArgument(
    'The continuation token provided is incorrect',
    'continuation-token',
    token,
  );
}

export const listObjectsV2: Handler = (context, request: LocalRequest, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  const { query } = request;
  const parameters = commonParameters(query);
  const token = query.get('continuation-token') ?? undefined;
  const startAfter = query.get('start-after') ?? undefined;
  const after = token !== undefined ? decodeToken(token) : (startAfter ?? '');
  const page = listPage(bucket.objects, { ...parameters, after });
  const owner = query.get('fetch-owner') === 'true' ? ownerXml(bucket.owner) : undefined;
  const { encode, delimiter } = parameters;
  return respond(
    xmlDocument(
      'ListBucketResult',
      element('Name', bucket.name),
      element('Prefix', encode(parameters.prefix)),
      delimiter === '' ? undefined : element('Delimiter', encode(delimiter)),
      element('MaxKeys', parameters.maxKeys),
      optional('EncodingType', parameters.encodingType),
      element('KeyCount', page.contents.length + page.commonPrefixes.length),
      element('IsTruncated', page.truncated),
      optional('ContinuationToken', token),
      page.truncated && page.last !== undefined
        ? element('NextContinuationToken', encodeToken(page.last))
        : undefined,
      startAfter === undefined ? undefined : element('StartAfter', encode(startAfter)),
      ...pageXml(page, parameters, owner),
    ),
  );
};

export const listObjects: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  const parameters = commonParameters(request.query);
  const marker = request.query.get('marker') ?? '';
  const page = listPage(bucket.objects, { ...parameters, after: marker });
  const { encode, delimiter } = parameters;
  // S3 gives NextMarker only with a delimiter; without one the last key is the marker.
  const nextMarker = page.truncated && delimiter !== '' ? page.last : undefined;
  return respond(
    xmlDocument(
      'ListBucketResult',
      element('Name', bucket.name),
      element('Prefix', encode(parameters.prefix)),
      element('Marker', encode(marker)),
      nextMarker === undefined ? undefined : element('NextMarker', encode(nextMarker)),
      element('MaxKeys', parameters.maxKeys),
      delimiter === '' ? undefined : element('Delimiter', encode(delimiter)),
      optional('EncodingType', parameters.encodingType),
      element('IsTruncated', page.truncated),
      ...pageXml(page, parameters, ownerXml(bucket.owner)),
    ),
  );
};
