/**
 * Multipart uploads: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, and ListMultipartUploads
 * (the uploads begun and neither completed nor aborted).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ServiceError } from '../../service.js';
import type { LocalRequest } from '../../service.js';
import type { Bucket, Upload } from './state.js';
import { ownerXml, quoted, requireBucket, wholeSeconds, type Handler } from './context.js';
import { invalidArgument, malformedXml, noSuchUpload, notImplemented } from './errors.js';
import { encryptionEcho } from './encryption.js';
import { objectHeadersOf } from './object-headers.js';
import { checkKeyLength, checksumHeaders, md5Hex } from './objects.js';
import { element, parseXml, xmlDocument } from './xml.js';

const MAX_PART_NUMBER = 10_000;

const completeBody = z.object({
  CompleteMultipartUpload: z.object({
    Part: z.array(z.object({ PartNumber: z.string(), ETag: z.string() })).min(1),
  }),
});

const xmlResponse = (body: string, headers: Record<string, string> = {}) => ({
  status: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body,
});

/** The upload a request's uploadId names, which must be for the request's key. */
function requireUpload(bucket: Bucket, request: LocalRequest, key: string): [string, Upload] {
  const uploadId = request.query.get('uploadId') ?? '';
  const upload = bucket.uploads.get(uploadId);
  if (upload === undefined || upload.key !== key) throw noSuchUpload(uploadId);
  return [uploadId, upload];
}

export const createMultipartUpload: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  checkKeyLength(route.key);
  const uploadId = randomBytes(36).toString('base64url');
  const stored = objectHeadersOf(request);
  bucket.uploads.set(uploadId, {
    ...stored,
    key: route.key,
    initiated: request.now,
    parts: new Map(),
  });
  context.save();
  return xmlResponse(
    xmlDocument(
      'InitiateMultipartUploadResult',
      element('Bucket', bucket.name),
      element('Key', route.key),
      element('UploadId', uploadId),
    ),
    encryptionEcho(stored.headers),
  );
};

export const uploadPart: Handler = (context, request, route, payload) => {
  const bucket = requireBucket(context, request, route.bucket);
  const partNumberText = request.query.get('partNumber') ?? '';
  const partNumber = /^\d{1,5}$/.test(partNumberText) ? Number(partNumberText) : 0;
  if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw invalidArgument(
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      'partNumber',
      partNumberText,
    );
  }
  const [, upload] = requireUpload(bucket, request, route.key);
  const etag = md5Hex(payload.body);
  upload.parts.set(partNumber, {
    body: payload.body.toString('base64'),
    size: payload.body.length,
    etag,
    lastModified: wholeSeconds(request.now),
  });
  context.save();
  return {
    status: 200,
    headers: {
      etag: quoted(etag),
      ...checksumHeaders(payload.checksum),
      ...encryptionEcho(upload.headers),
    },
  };
};

/** The parts a CompleteMultipartUpload body lists, as numbers and unquoted ETags. */
function listedParts(body: Buffer): { partNumber: number; etag: string }[] {
  const parsed = completeBody.safeParse(parseXml(body));
  if (!parsed.success) throw malformedXml();
  return parsed.data.CompleteMultipartUpload.Part.map((part) => {
    if (!/^\d{1,5}$/.test(part.PartNumber.trim())) throw malformedXml();
    return { partNumber: Number(part.PartNumber), etag: part.ETag.trim().replace(/^"|"$/g, '') };
  });
}

export const completeMultipartUpload: Handler = (context, request, route, payload) => {
  const bucket = requireBucket(context, request, route.bucket);
  const [uploadId, upload] = requireUpload(bucket, request, route.key);
  const listed = listedParts(payload.body);
  const parts = listed.map(({ partNumber, etag }, index) => {
    const previous = listed[index - 1];
    if (previous !== undefined && previous.partNumber >= partNumber) {
      throw new ServiceError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        400,
        'Sender',
        { UploadId: uploadId },
      );
    }
    const part = upload.parts.get(partNumber);
    if (part === undefined || part.etag !== etag) {
      throw new ServiceError(
        'InvalidPart',
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        'Sender',
        { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
      );
    }
    return { partNumber, part };
  });
  parts.slice(0, -1).forEach(({ partNumber, part }) => {
    if (part.size < context.minPartSize) {
      throw new ServiceError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size.',
        400,
        'Sender',
        {
          ProposedSize: String(part.size),
          MinSizeAllowed: String(context.minPartSize),
          PartNumber: String(partNumber),
          ETag: part.etag,
        },
      );
    }
  });
  const bodies = parts.map(({ part }) => Buffer.from(part.body, 'base64'));
  const body = Buffer.concat(bodies);
  // A multipart ETag is the md5 of the parts' binary md5s, then the number of parts.
  const digests = Buffer.concat(parts.map(({ part }) => Buffer.from(part.etag, 'hex')));
  const etag = `${createHash('md5').update(digests).digest('hex')}-${parts.length}`;
  bucket.objects.set(route.key, {
    contentType: upload.contentType,
    metadata: upload.metadata,
    headers: upload.headers,
    body: body.toString('base64'),
    size: body.length,
    etag,
    lastModified: wholeSeconds(request.now),
  });
  bucket.uploads.delete(uploadId);
  context.save();
  const host = request.headers.host ?? request.host;
  const path = route.virtualHost ? route.key : `${bucket.name}/${route.key}`;
  return xmlResponse(
    xmlDocument(
      'CompleteMultipartUploadResult',
      element('Location', `http://${host}/${encodeURI(path)}`),
      element('Bucket', bucket.name),
      element('Key', route.key),
      element('ETag', quoted(etag)),
    ),
    encryptionEcho(upload.headers),
  );
};

export const abortMultipartUpload: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  const [uploadId] = requireUpload(bucket, request, route.key);
  bucket.uploads.delete(uploadId);
  context.save();
  return { status: 204 };
};

const MAX_UPLOADS = 1000;

/**
 * ListMultipartUploads: the bucket's open uploads in key order (then by
 * when they began), under `prefix`, after `key-marker` / `upload-id-marker`,
 * at most `max-uploads` (1,000) a page. Delimiters are not grouped.
 */
export const listMultipartUploads: Handler = (context, request, route) => {
  const bucket = requireBucket(context, request, route.bucket);
  const { query } = request;
  if (query.has('delimiter')) throw notImplemented('ListMultipartUploads with a delimiter');
  const maxText = query.get('max-uploads');
  if (maxText !== null && !/^\d{1,10}$/.test(maxText)) {
    throw invalidArgument(
      'Provided max-uploads not an integer or within integer range',
      'max-uploads',
      maxText,
    );
  }
  const max = Math.min(maxText === null ? MAX_UPLOADS : Number(maxText), MAX_UPLOADS);
  const prefix = query.get('prefix') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  const idMarker = query.get('upload-id-marker') ?? '';
  const sorted = [...bucket.uploads]
    .filter(([, u]) => u.key.startsWith(prefix))
    // A stable sort: uploads of one key begun in the same millisecond keep the order they began in.
    .sort(([, a], [, b]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated));
  // After the marker's upload when both markers are given, else after every upload of the marker key.
  let start = 0;
  if (keyMarker !== '') {
    const marked = sorted.findIndex(([id, u]) => id === idMarker && u.key === keyMarker);
    const nextKey = sorted.findIndex(([, u]) => u.key > keyMarker);
    start = marked >= 0 ? marked + 1 : nextKey < 0 ? sorted.length : nextKey;
  }
  const page = sorted.slice(start, start + max);
  const truncated = start + max < sorted.length;
  const last = page[page.length - 1];
  return xmlResponse(
    xmlDocument(
      'ListMultipartUploadsResult',
      element('Bucket', bucket.name),
      element('KeyMarker', keyMarker),
      element('UploadIdMarker', idMarker),
      ...(truncated && last
        ? [element('NextKeyMarker', last[1].key), element('NextUploadIdMarker', last[0])]
        : []),
      element('Prefix', prefix),
      element('MaxUploads', max),
      element('IsTruncated', truncated),
      ...page.map(([uploadId, upload]) =>
        element(
          'Upload',
          element('Key', upload.key),
          element('UploadId', uploadId),
          ownerXml(bucket.owner),
          element(
            'StorageClass',
            upload.headers.find(([name]) => name === 'x-amz-storage-class')?.[1] ?? 'STANDARD',
          ),
          element('Initiated', new Date(upload.initiated).toISOString()),
        ),
      ),
    ),
  );
};
