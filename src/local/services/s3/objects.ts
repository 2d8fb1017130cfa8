/** Object operations: PutObject, GetObject, HeadObject, DeleteObject. */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../service.js';
import type { LocalResponse } from '../../service.js';
import { header, quoted, requireBucket, wholeSeconds, type Handler } from './context.js';
import { noSuchKey } from './errors.js';
import { encryptionEcho } from './encryption.js';
import { objectHeadersOf, objectResponseHeaders } from './object-headers.js';
import type { Checksum } from './payload.js';
import { parseRange } from './range.js';

const MAX_KEY_BYTES = 1024;

/** S3 caps keys at 1024 bytes of UTF-8. */
export function checkKeyLength(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new ServiceError('KeyTooLongError', 'Your key is too long', 400, 'Sender', {
      Size: String(Buffer.byteLength(key)),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  }
}

/** `x-amz-checksum-crc32: …`: how S3 echoes a checksum it stored. */
export function checksumHeaders(checksum: Checksum | undefined): Record<string, string> {
  if (checksum === undefined) return {};
  return { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value };
}

export const md5Hex = (data: Buffer): string => createHash('md5').update(data).digest('hex');

export const putObject: Handler = (context, request, route, payload) => {
  const bucket = requireBucket(context, request, route.bucket);
  checkKeyLength(route.key);
  const { body, checksum } = payload;
  const etag = md5Hex(body);
  const stored = objectHeadersOf(request);
  bucket.objects.set(route.key, {
    ...stored,
    body: body.toString('base64'),
    size: body.length,
    etag,
    lastModified: wholeSeconds(request.now),
    checksum,
  });
  context.save();
  return {
    status: 200,
    headers: {
      etag: quoted(etag),
      ...checksumHeaders(checksum),
      ...encryptionEcho(stored.headers),
    },
  };
};

/** GetObject and HeadObject: the same headers, with or without the bytes. */
function readObject(withBody: boolean): Handler {
  return (context, request, route) => {
    const bucket = requireBucket(context, request, route.bucket);
    const object = bucket.objects.get(route.key);
    if (object === undefined) throw noSuchKey(route.key);
    const rangeHeader = request.headers.range;
    const range = parseRange(rangeHeader, object.size);
    const headers = objectResponseHeaders(object, withBody ? request.query : undefined);
    // A checksum covers the whole object, so only a whole object is sent with it.
    const checksumWanted = header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
    if (checksumWanted && range === undefined && object.checksum !== undefined) {
      headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? object.size - 1;
    headers['content-length'] = String(end - start + 1);
    if (range !== undefined) headers['content-range'] = `bytes ${start}-${end}/${object.size}`;
    const response: LocalResponse = { status: range === undefined ? 200 : 206, headers };
    if (!withBody) return response;
    const bytes = Buffer.from(object.body, 'base64');
    return { ...response, body: range === undefined ? bytes : bytes.subarray(start, end + 1) };
  };
}

export const getObject: Handler = readObject(true);
export const headObject: Handler = readObject(false);

export const deleteObject: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  // Deleting a key that is not there succeeds, as in S3.
  if (bucket.objects.delete(route.key)) context.save();
  return { status: 204 };
};
