import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { bucketFromHost } from '../../../../src/local/services/s3/addressing.js';
import { newService, request, type RequestInit } from './helpers.js';

const { service } = newService();
const operationOf = (init: RequestInit) => service.operation(request(init));

test('the service signs as s3 and answers in rest-xml', () => {
  assert.equal(service.signingName, 's3');
  assert.equal(service.protocol, 'rest-xml');
});

test('path-style requests name their operation, IAM action and ARN', () => {
  const cases: [RequestInit, string, string, string][] = [
    [{ target: '/' }, 'ListBuckets', 's3:ListAllMyBuckets', '*'],
    [{ method: 'PUT', target: '/b1' }, 'CreateBucket', 's3:CreateBucket', 'arn:aws:s3:::b1'],
    [{ method: 'HEAD', target: '/b1' }, 'HeadBucket', 's3:ListBucket', 'arn:aws:s3:::b1'],
    [{ method: 'DELETE', target: '/b1/' }, 'DeleteBucket', 's3:DeleteBucket', 'arn:aws:s3:::b1'],
    [{ target: '/b1?location' }, 'GetBucketLocation', 's3:GetBucketLocation', 'arn:aws:s3:::b1'],
    [{ target: '/b1?list-type=2&prefix=a' }, 'ListObjectsV2', 's3:ListBucket', 'arn:aws:s3:::b1'],
    [{ target: '/b1' }, 'ListObjects', 's3:ListBucket', 'arn:aws:s3:::b1'],
    [
      { method: 'PUT', target: '/b1/a/b.txt' },
      'PutObject',
      's3:PutObject',
      'arn:aws:s3:::b1/a/b.txt',
    ],
    [{ target: '/b1/k?x-id=GetObject' }, 'GetObject', 's3:GetObject', 'arn:aws:s3:::b1/k'],
    [{ method: 'HEAD', target: '/b1/k' }, 'HeadObject', 's3:GetObject', 'arn:aws:s3:::b1/k'],
    [{ method: 'DELETE', target: '/b1/k' }, 'DeleteObject', 's3:DeleteObject', 'arn:aws:s3:::b1/k'],
    [
      { method: 'POST', target: '/b1/k?uploads' },
      'CreateMultipartUpload',
      's3:PutObject',
      'arn:aws:s3:::b1/k',
    ],
    [
      { method: 'PUT', target: '/b1/k?partNumber=1&uploadId=u' },
      'UploadPart',
      's3:PutObject',
      'arn:aws:s3:::b1/k',
    ],
    [
      { method: 'POST', target: '/b1/k?uploadId=u' },
      'CompleteMultipartUpload',
      's3:PutObject',
      'arn:aws:s3:::b1/k',
    ],
    [
      { method: 'DELETE', target: '/b1/k?uploadId=u' },
      'AbortMultipartUpload',
      's3:AbortMultipartUpload',
      'arn:aws:s3:::b1/k',
    ],
    [
      { target: '/b1?uploads' },
      'ListMultipartUploads',
      's3:ListBucketMultipartUploads',
      'arn:aws:s3:::b1',
    ],
  ];
  for (const [init, name, action, resource] of cases) {
    assert.deepEqual(
      operationOf(init),
      { name, action, resource },
      `${init.method} ${init.target}`,
    );
  }
});

test('keys are percent-decoded after the path is split, so %2F stays inside the key', () => {
  assert.equal(
    operationOf({ target: '/b1/dir%2Fa%20b%E2%98%83/%3F?x-id=GetObject' })?.resource,
    'arn:aws:s3:::b1/dir/a b☃/?',
  );
  assert.equal(operationOf({ target: '/b1//leading' })?.resource, 'arn:aws:s3:::b1//leading');
  assert.throws(
    () => operationOf({ target: '/b1/%E0%A4%A' }),
    (error: unknown) => error instanceof ServiceError && error.code === 'InvalidURI',
  );
});

test('virtual-host style takes the bucket from the host and the whole path as the key', () => {
  assert.equal(bucketFromHost('photos.s3.localhost'), 'photos');
  assert.equal(bucketFromHost('my.dotted.bucket.s3.eu-west-1.localhost'), 'my.dotted.bucket');
  assert.equal(bucketFromHost('Photos.LOCALHOST'), 'photos');
  for (const pathStyle of [
    'localhost',
    '127.0.0.1',
    's3.localhost',
    's3.eu-west-1.localhost',
    '[::1]',
  ]) {
    assert.equal(bucketFromHost(pathStyle), undefined, pathStyle);
  }
  assert.deepEqual(
    operationOf({ method: 'PUT', host: 'photos.s3.us-east-1.localhost', target: '/' }),
    {
      name: 'CreateBucket',
      action: 's3:CreateBucket',
      resource: 'arn:aws:s3:::photos',
    },
  );
  assert.equal(
    operationOf({ host: 'photos.localhost', target: '/2024/cat%25.jpg' })?.resource,
    'arn:aws:s3:::photos/2024/cat%.jpg',
  );
  assert.equal(
    operationOf({ host: 'photos.s3.localhost', target: '/?list-type=2' })?.name,
    'ListObjectsV2',
  );
});

test('requests of other protocols are left for other services', () => {
  assert.equal(
    operationOf({
      method: 'POST',
      target: '/',
      headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents' },
    }),
    undefined,
  );
  assert.equal(operationOf({ target: '/?Action=GetCallerIdentity&Version=2011-06-15' }), undefined);
  assert.equal(
    operationOf({
      method: 'POST',
      target: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    }),
    undefined,
  );
  assert.equal(operationOf({ target: '/_signet/health' }), undefined);
  assert.equal(operationOf({ target: '/not%20a%20bucket/x' }), undefined);
});

test('S3 requests for features this service lacks are NotImplemented, not mistaken for others', () => {
  const notImplemented = (init: RequestInit) =>
    assert.throws(
      () => operationOf(init),
      (error: unknown) =>
        error instanceof ServiceError && error.code === 'NotImplemented' && error.status === 501,
      init.target,
    );
  notImplemented({ method: 'PUT', target: '/b1?versioning' });
  notImplemented({ target: '/b1/k?tagging' });
  notImplemented({ target: '/b1/k?uploadId=u' });
  notImplemented({ method: 'POST', target: '/b1?delete' });
  notImplemented({ method: 'PUT', target: '/b1/k', headers: { 'x-amz-copy-source': '/b1/j' } });
});

test('wrong methods and list types are errors of this service', () => {
  assert.throws(() => operationOf({ method: 'PATCH', target: '/b1/k' }), {
    code: 'MethodNotAllowed',
  });
  assert.throws(() => operationOf({ method: 'PUT', target: '/' }), { code: 'MethodNotAllowed' });
  assert.throws(() => operationOf({ target: '/b1?list-type=3' }), { code: 'InvalidArgument' });
});
