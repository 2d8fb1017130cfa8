/**
 * Server-side encryption and storage class in signet local's S3, as S3
 * checks, stores and answers them: AES256 by default, aws:kms with the key
 * as an ARN, the storage class on GET, HEAD and in listings, and S3's
 * refusals of values it does not know.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, send, sendError, serviceWithBucket, text } from './helpers.js';

test('aws:kms with a key id: echoed on PUT, stored, answered as a key ARN on GET and HEAD', async () => {
  const { service } = await serviceWithBucket();
  const put = await send(service, {
    method: 'PUT',
    target: '/bucket/k',
    body: 'secret',
    headers: {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': '1234abcd-12ab-34cd-56ef-1234567890ab',
      'x-amz-storage-class': 'STANDARD_IA',
    },
  });
  const arn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  assert.equal(put.headers?.['x-amz-server-side-encryption'], 'aws:kms');
  assert.equal(put.headers?.['x-amz-server-side-encryption-aws-kms-key-id'], arn);
  for (const method of ['GET', 'HEAD']) {
    const read = await send(service, { method, target: '/bucket/k' });
    assert.equal(read.headers?.['x-amz-server-side-encryption'], 'aws:kms');
    assert.equal(read.headers?.['x-amz-server-side-encryption-aws-kms-key-id'], arn);
    assert.equal(read.headers?.['x-amz-storage-class'], 'STANDARD_IA');
  }
  const listing = text(await send(service, { target: '/bucket?list-type=2' }));
  assert.match(listing, /<StorageClass>STANDARD_IA<\/StorageClass>/);
});

test('no encryption asked: AES256, as S3 does since 2023; STANDARD is not answered', async () => {
  const { service } = await serviceWithBucket();
  const put = await send(service, {
    method: 'PUT',
    target: '/bucket/plain',
    body: 'x',
    headers: { 'x-amz-storage-class': 'STANDARD' },
  });
  assert.equal(put.headers?.['x-amz-server-side-encryption'], 'AES256');
  const head = await send(service, { method: 'HEAD', target: '/bucket/plain' });
  assert.equal(head.headers?.['x-amz-server-side-encryption'], 'AES256');
  assert.equal(head.headers?.['x-amz-storage-class'], undefined);
});

test('unknown algorithms, a KMS key without aws:kms and unknown storage classes are refused as S3 refuses them', async () => {
  const { service } = await serviceWithBucket();
  const refused = (headers: Record<string, string>) =>
    sendError(service, { method: 'PUT', target: '/bucket/r', body: 'x', headers });
  const algorithm = await refused({ 'x-amz-server-side-encryption': 'DES' });
  assert.equal(algorithm.code, 'InvalidArgument');
  const keyOnly = await refused({ 'x-amz-server-side-encryption-aws-kms-key-id': 'alias/x' });
  assert.equal(keyOnly.code, 'InvalidArgument');
  assert.match(keyOnly.message, /requires HTTP header x-amz-server-side-encryption : aws:kms/);
  const storage = await refused({ 'x-amz-storage-class': 'COLD' });
  assert.equal(storage.code, 'InvalidStorageClass');
  const multipart = await sendError(service, {
    method: 'POST',
    target: '/bucket/r?uploads',
    headers: { 'x-amz-storage-class': 'COLD' },
  });
  assert.equal(multipart.code, 'InvalidStorageClass');
});
