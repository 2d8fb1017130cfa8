import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { send, sendError, serviceWithBucket, sha256Hex, text } from './helpers.js';

const HELLO = 'hello world';
const HELLO_MD5 = '5eb63bbbe01eeed093cb22bb8f5acdc3';

test('PutObject stores bytes, type and metadata that GetObject and HeadObject return', async () => {
  const { service } = await serviceWithBucket();
  const put = await send(service, {
    method: 'PUT',
    target: '/bucket/docs/hello.txt',
    body: HELLO,
    headers: {
      'content-type': 'text/plain',
      'x-amz-meta-author': 'ada',
      'cache-control': 'max-age=60',
      'content-encoding': 'identity',
    },
  });
  assert.equal(put.status, 200);
  assert.equal(put.headers?.etag, `"${HELLO_MD5}"`);

  const get = await send(service, { target: '/bucket/docs/hello.txt' });
  assert.equal(get.status, 200);
  assert.equal(text(get), HELLO);
  assert.deepEqual(get.headers, {
    etag: `"${HELLO_MD5}"`,
    'last-modified': 'Wed, 01 May 2024 12:34:56 GMT',
    'content-type': 'text/plain',
    'content-length': '11',
    'accept-ranges': 'bytes',
    'cache-control': 'max-age=60',
    'content-encoding': 'identity',
    // S3 encrypts every new object (SSE-S3) when no encryption is asked for.
    'x-amz-server-side-encryption': 'AES256',
    'x-amz-meta-author': 'ada',
  });
  const head = await send(service, { method: 'HEAD', target: '/bucket/docs/hello.txt' });
  assert.equal(head.status, 200);
  assert.equal(head.body, undefined);
  assert.deepEqual(head.headers, get.headers);
});

test('an object without a Content-Type is binary/octet-stream; GetObject may override headers', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/blob', body: Buffer.from([0, 1, 2, 255]) });
  const get = await send(service, {
    target:
      '/bucket/blob?response-content-type=image%2Fpng&response-content-disposition=attachment',
  });
  assert.ok(Buffer.isBuffer(get.body) && get.body.equals(Buffer.from([0, 1, 2, 255])));
  assert.equal(get.headers?.['content-type'], 'image/png');
  assert.equal(get.headers?.['content-disposition'], 'attachment');
  const head = await send(service, { method: 'HEAD', target: '/bucket/blob' });
  assert.equal(head.headers?.['content-type'], 'binary/octet-stream');
});

test('virtual-host and path style address the same objects', async () => {
  const { service } = await serviceWithBucket();
  const host = 'bucket.s3.us-east-1.localhost';
  await send(service, { method: 'PUT', host, target: '/a%20b/c', body: 'vhost' });
  assert.equal(text(await send(service, { target: '/bucket/a%20b/c' })), 'vhost');
  assert.equal(
    text(await send(service, { host: 'bucket.localhost', target: '/a%20b/c' })),
    'vhost',
  );
});

test('missing keys and buckets are NoSuchKey and NoSuchBucket', async () => {
  const { service } = await serviceWithBucket();
  const key = await sendError(service, { target: '/bucket/nope' });
  assert.equal(key.code, 'NoSuchKey');
  assert.equal(key.status, 404);
  assert.deepEqual(key.extra, { Key: 'nope' });
  assert.equal((await sendError(service, { method: 'HEAD', target: '/bucket/nope' })).status, 404);
  const bucket = await sendError(service, { method: 'PUT', target: '/other/k', body: 'x' });
  assert.equal(bucket.code, 'NoSuchBucket');
  const tooLong = await sendError(service, {
    method: 'PUT',
    target: `/bucket/${'k'.repeat(1025)}`,
  });
  assert.equal(tooLong.code, 'KeyTooLongError');
});

test('DeleteObject answers 204, whether or not the key exists', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/k', body: 'x' });
  assert.equal((await send(service, { method: 'DELETE', target: '/bucket/k' })).status, 204);
  assert.equal((await send(service, { method: 'DELETE', target: '/bucket/k' })).status, 204);
  assert.equal((await sendError(service, { target: '/bucket/k' })).code, 'NoSuchKey');
});

test('Range requests answer 206 with the bytes asked for', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/digits', body: '0123456789' });
  const cases: [string, number, string, string | undefined][] = [
    ['bytes=2-5', 206, '2345', 'bytes 2-5/10'],
    ['bytes=7-', 206, '789', 'bytes 7-9/10'],
    ['bytes=-3', 206, '789', 'bytes 7-9/10'],
    ['bytes=8-100', 206, '89', 'bytes 8-9/10'],
    ['bytes=-50', 206, '0123456789', 'bytes 0-9/10'],
    // S3 ignores what does not parse, and several ranges, and sends everything.
    ['bytes=5-2', 200, '0123456789', undefined],
    ['bytes=0-1,4-5', 200, '0123456789', undefined],
    ['items=0-1', 200, '0123456789', undefined],
  ];
  for (const [range, status, body, contentRange] of cases) {
    const got = await send(service, { target: '/bucket/digits', headers: { range } });
    assert.equal(got.status, status, range);
    assert.equal(text(got), body, range);
    assert.equal(got.headers?.['content-range'], contentRange, range);
    assert.equal(got.headers?.['content-length'], String(body.length), range);
  }
  const head = await send(service, {
    method: 'HEAD',
    target: '/bucket/digits',
    headers: { range: 'bytes=0-3' },
  });
  assert.equal(head.status, 206);
  assert.equal(head.headers?.['content-length'], '4');
});

test('a range past the end is InvalidRange 416', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/digits', body: '0123456789' });
  await send(service, { method: 'PUT', target: '/bucket/empty' });
  for (const [target, range] of [
    ['/bucket/digits', 'bytes=10-'],
    ['/bucket/digits', 'bytes=-0'],
    ['/bucket/empty', 'bytes=0-'],
  ] as const) {
    const error = await sendError(service, { target, headers: { range } });
    assert.equal(error.code, 'InvalidRange', range);
    assert.equal(error.status, 416);
  }
});

test('Content-MD5 must match the body', async () => {
  const { service } = await serviceWithBucket();
  const md5 = (data: string) => createHash('md5').update(data).digest('base64');
  const put = { method: 'PUT', target: '/bucket/k', body: HELLO } as const;
  assert.equal(
    (await send(service, { ...put, headers: { 'content-md5': md5(HELLO) } })).status,
    200,
  );
  const bad = await sendError(service, { ...put, headers: { 'content-md5': md5('other') } });
  assert.equal(bad.code, 'BadDigest');
  assert.equal(bad.status, 400);
  const invalid = await sendError(service, { ...put, headers: { 'content-md5': 'abc' } });
  assert.equal(invalid.code, 'InvalidDigest');
});

test('a hex x-amz-content-sha256 must be the hash of the body', async () => {
  const { service } = await serviceWithBucket();
  const put = { method: 'PUT', target: '/bucket/k', body: HELLO } as const;
  const ok = await send(service, { ...put, headers: { 'x-amz-content-sha256': sha256Hex(HELLO) } });
  assert.equal(ok.status, 200);
  const unsigned = await send(service, {
    ...put,
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  assert.equal(unsigned.status, 200);
  const error = await sendError(service, {
    ...put,
    headers: { 'x-amz-content-sha256': sha256Hex('tampered') },
  });
  assert.equal(error.code, 'XAmzContentSHA256Mismatch');
  assert.equal(error.status, 400);
  const nonsense = await sendError(service, {
    ...put,
    headers: { 'x-amz-content-sha256': 'whatever' },
  });
  assert.equal(nonsense.code, 'InvalidArgument');
});

test('x-amz-checksum-* headers are verified, echoed, and returned in checksum mode', async () => {
  const { service } = await serviceWithBucket();
  const put = { method: 'PUT', target: '/bucket/k', body: HELLO } as const;
  const checksums: [string, string][] = [
    ['crc32', 'DUoRhQ=='],
    ['crc32c', 'yZRlqg=='],
    ['sha1', createHash('sha1').update(HELLO).digest('base64')],
    ['sha256', createHash('sha256').update(HELLO).digest('base64')],
  ];
  for (const [algorithm, value] of checksums) {
    const header = `x-amz-checksum-${algorithm}`;
    const ok = await send(service, {
      ...put,
      headers: { [header]: value, 'x-amz-sdk-checksum-algorithm': algorithm },
    });
    assert.equal(ok.headers?.[header], value, algorithm);
    const wrong = await sendError(service, { ...put, headers: { [header]: 'AAAAAA==' } });
    assert.equal(wrong.code, 'BadDigest', algorithm);
  }
  const plain = await send(service, { target: '/bucket/k' });
  assert.equal(plain.headers?.['x-amz-checksum-sha256'], undefined);
  const withMode = await send(service, {
    target: '/bucket/k',
    headers: { 'x-amz-checksum-mode': 'ENABLED' },
  });
  assert.equal(withMode.headers?.['x-amz-checksum-sha256'], checksums[3]![1]);
  assert.equal(withMode.headers?.['x-amz-checksum-type'], 'FULL_OBJECT');
  const ranged = await send(service, {
    target: '/bucket/k',
    headers: { 'x-amz-checksum-mode': 'ENABLED', range: 'bytes=0-1' },
  });
  assert.equal(ranged.headers?.['x-amz-checksum-sha256'], undefined);

  const two = await sendError(service, {
    ...put,
    headers: { 'x-amz-checksum-crc32': 'DUoRhQ==', 'x-amz-checksum-crc32c': 'yZRlqg==' },
  });
  assert.equal(two.code, 'InvalidRequest');
  const announcedOnly = await sendError(service, {
    ...put,
    headers: { 'x-amz-sdk-checksum-algorithm': 'CRC32' },
  });
  assert.equal(announcedOnly.code, 'InvalidRequest');
});

test('metadata over 2 KB is MetadataTooLarge', async () => {
  const { service } = await serviceWithBucket();
  const error = await sendError(service, {
    method: 'PUT',
    target: '/bucket/k',
    headers: { 'x-amz-meta-big': 'x'.repeat(2100) },
  });
  assert.equal(error.code, 'MetadataTooLarge');
});
