import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignetError } from '../../../../src/errors.js';
import { createS3Service } from '../../../../src/local/services/s3/index.js';
import { MemoryStore, send, text } from './helpers.js';

test('buckets, objects and open uploads survive a restart through the store', async () => {
  const store = new MemoryStore();
  const before = createS3Service(store, { minPartSize: 1 });
  await send(before, { method: 'PUT', target: '/keep' });
  await send(before, {
    method: 'PUT',
    target: '/keep/__proto__/%E2%98%83',
    body: Buffer.from([1, 2, 3, 0, 255]),
    headers: {
      'content-type': 'application/x-test',
      'x-amz-meta-k': 'v',
      'x-amz-checksum-crc32c': 'hVepOg==',
    },
  });
  await send(before, { method: 'PUT', target: '/keep/toString', body: 'named like a method' });
  const created = text(await send(before, { method: 'POST', target: '/keep/multi?uploads' }));
  const uploadId = /<UploadId>([^<]+)</.exec(created)?.[1] ?? '';
  const etag = (
    await send(before, {
      method: 'PUT',
      target: `/keep/multi?partNumber=1&uploadId=${uploadId}`,
      body: 'part',
    })
  ).headers?.etag;

  // The saved state is JSON: it went through JSON.stringify in the store.
  const saved: unknown = JSON.parse(store.saved.get('s3') ?? 'null');
  assert.equal(typeof saved, 'object');

  const after = createS3Service(store, { minPartSize: 1 });
  const get = await send(after, {
    target: '/keep/__proto__/%E2%98%83',
    headers: { 'x-amz-checksum-mode': 'ENABLED' },
  });
  assert.ok(Buffer.isBuffer(get.body) && get.body.equals(Buffer.from([1, 2, 3, 0, 255])));
  assert.equal(get.headers?.['content-type'], 'application/x-test');
  assert.equal(get.headers?.['x-amz-meta-k'], 'v');
  assert.equal(get.headers?.['x-amz-checksum-crc32c'], 'hVepOg==');
  assert.equal(get.headers?.['last-modified'], 'Wed, 01 May 2024 12:34:56 GMT');
  assert.equal(text(await send(after, { target: '/keep/toString' })), 'named like a method');
  const list = text(await send(after, { target: '/keep?list-type=2' }));
  assert.match(list, /<Key>__proto__\/☃<\/Key>/);
  await send(after, {
    method: 'POST',
    target: `/keep/multi?uploadId=${uploadId}`,
    body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`,
  });
  assert.equal(text(await send(after, { target: '/keep/multi' })), 'part');
});

test('a corrupt saved state stops the service rather than being overwritten', () => {
  const store = new MemoryStore();
  store.saved.set('s3', JSON.stringify({ buckets: [{ name: 7 }] }));
  assert.throws(() => createS3Service(store), SignetError);
});

test('no saved state is an empty service', async () => {
  const store = new MemoryStore();
  const service = createS3Service(store);
  assert.doesNotMatch(text(await send(service, { target: '/' })), /<Bucket>/);
  assert.equal(store.saves, 0);
});
