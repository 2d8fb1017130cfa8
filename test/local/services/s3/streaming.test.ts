import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import {
  send,
  sendError,
  serviceWithBucket,
  signedChunkedBody,
  signingMaterial,
  text,
  unsignedTrailerBody,
} from './helpers.js';

const SIGNING = signingMaterial('c0ffee'.padEnd(64, '0'));
const CHUNKS = [Buffer.alloc(8192, 'a'), Buffer.from('tail')];
const DATA = Buffer.concat(CHUNKS);

const signedHeaders = (length = DATA.length): IncomingHttpHeaders => ({
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': String(length),
  'content-type': 'text/plain',
});

test('PutObject decodes a signed aws-chunked body after checking every chunk signature', async () => {
  const { service } = await serviceWithBucket();
  const put = await send(service, {
    method: 'PUT',
    target: '/bucket/streamed',
    headers: signedHeaders(),
    body: signedChunkedBody(CHUNKS, SIGNING),
    signing: SIGNING,
  });
  assert.equal(put.status, 200);
  const get = await send(service, { target: '/bucket/streamed' });
  assert.ok(Buffer.isBuffer(get.body) && get.body.equals(DATA));
  assert.equal(get.headers?.['content-length'], String(DATA.length));
  // aws-chunked described the upload, not the object.
  assert.equal(get.headers?.['content-encoding'], undefined);
});

test('one tampered chunk is SignatureDoesNotMatch and stores nothing', async () => {
  const { service } = await serviceWithBucket();
  const body = signedChunkedBody(CHUNKS, SIGNING);
  body[body.indexOf('tail')] = 'T'.charCodeAt(0);
  const error = await sendError(service, {
    method: 'PUT',
    target: '/bucket/streamed',
    headers: signedHeaders(),
    body,
    signing: SIGNING,
  });
  assert.equal(error.code, 'SignatureDoesNotMatch');
  assert.equal(error.status, 403);
  assert.equal((await sendError(service, { target: '/bucket/streamed' })).code, 'NoSuchKey');
});

test('x-amz-decoded-content-length must match and be present', async () => {
  const { service } = await serviceWithBucket();
  const body = signedChunkedBody(CHUNKS, SIGNING);
  const put = { method: 'PUT', target: '/bucket/k', body, signing: SIGNING } as const;
  const wrong = await sendError(service, { ...put, headers: signedHeaders(DATA.length + 1) });
  assert.equal(wrong.code, 'IncompleteBody');
  const headers = signedHeaders();
  delete headers['x-amz-decoded-content-length'];
  const missing = await sendError(service, { ...put, headers });
  assert.equal(missing.code, 'MissingContentLength');
  assert.equal(missing.status, 411);
});

test('UploadPart takes signed chunks too', async () => {
  const { service } = await serviceWithBucket(1);
  const created = text(await send(service, { method: 'POST', target: '/bucket/m?uploads' }));
  const uploadId = /<UploadId>([^<]+)</.exec(created)?.[1] ?? '';
  const part = await send(service, {
    method: 'PUT',
    target: `/bucket/m?partNumber=1&uploadId=${uploadId}`,
    headers: signedHeaders(),
    body: signedChunkedBody(CHUNKS, SIGNING),
    signing: SIGNING,
  });
  const etag = part.headers?.etag ?? '';
  await send(service, {
    method: 'POST',
    target: `/bucket/m?uploadId=${uploadId}`,
    body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`,
  });
  const get = await send(service, { target: '/bucket/m' });
  assert.ok(Buffer.isBuffer(get.body) && get.body.equals(DATA));
});

const trailerHeaders = (trailer: string): IncomingHttpHeaders => ({
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '11',
  'x-amz-trailer': trailer,
  'x-amz-sdk-checksum-algorithm': 'CRC32',
});

test('an unsigned body with a checksum trailer is verified against the trailer', async () => {
  const { service } = await serviceWithBucket();
  const chunks = [Buffer.from('hello '), Buffer.from('world')];
  const put = (trailers: string[], announced = 'x-amz-checksum-crc32') =>
    ({
      method: 'PUT',
      target: '/bucket/t',
      headers: trailerHeaders(announced),
      body: unsignedTrailerBody(chunks, trailers),
    }) as const;
  const ok = await send(service, put(['x-amz-checksum-crc32:DUoRhQ==']));
  assert.equal(ok.headers?.['x-amz-checksum-crc32'], 'DUoRhQ==');
  assert.equal(text(await send(service, { target: '/bucket/t' })), 'hello world');

  const wrong = await sendError(service, put(['x-amz-checksum-crc32:AAAAAA==']));
  assert.equal(wrong.code, 'BadDigest');
  const crc32c = await send(
    service,
    put(['x-amz-checksum-crc32c:yZRlqg=='], 'x-amz-checksum-crc32c'),
  );
  assert.equal(crc32c.status, 200);
  const missing = await sendError(service, put([]));
  assert.equal(missing.code, 'MalformedTrailerError');
});
