import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newService, send, sendError, serviceWithBucket, text } from './helpers.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

test('CreateBucket makes a bucket that HeadBucket then finds', async () => {
  const { service, store } = newService();
  const created = await send(service, { method: 'PUT', target: '/photos' });
  assert.equal(created.status, 200);
  assert.equal(created.headers?.location, '/photos');
  assert.equal(store.saves, 1);
  const head = await send(service, { method: 'HEAD', target: '/photos' });
  assert.equal(head.status, 200);
  assert.equal(head.headers?.['x-amz-bucket-region'], 'us-east-1');
  assert.equal(head.body, undefined);
});

test('virtual-host style reaches the same bucket', async () => {
  const { service } = newService();
  await send(service, { method: 'PUT', host: 'vhost.s3.localhost', target: '/' });
  assert.equal((await send(service, { method: 'HEAD', target: '/vhost' })).status, 200);
  const head = await send(service, { method: 'HEAD', host: 'vhost.localhost', target: '/' });
  assert.equal(head.status, 200);
});

test('HeadBucket of a missing bucket is NoSuchBucket 404', async () => {
  const { service } = newService();
  const error = await sendError(service, { method: 'HEAD', target: '/missing' });
  assert.equal(error.code, 'NoSuchBucket');
  assert.equal(error.status, 404);
  assert.deepEqual(error.extra, { BucketName: 'missing' });
});

test('creating a bucket twice is BucketAlreadyOwnedByYou, or BucketAlreadyExists for another account', async () => {
  const { service } = await serviceWithBucket();
  const again = await sendError(service, { method: 'PUT', target: '/bucket' });
  assert.equal(again.code, 'BucketAlreadyOwnedByYou');
  assert.equal(again.status, 409);
  const other = await sendError(service, {
    method: 'PUT',
    target: '/bucket',
    account: '210987654321',
  });
  assert.equal(other.code, 'BucketAlreadyExists');
  assert.equal(other.status, 409);
});

test("another account's bucket is AccessDenied", async () => {
  const { service } = await serviceWithBucket();
  const error = await sendError(service, {
    method: 'HEAD',
    target: '/bucket',
    account: '210987654321',
  });
  assert.equal(error.code, 'AccessDenied');
  assert.equal(error.status, 403);
});

test('bucket names follow S3 rules', async () => {
  const { service } = newService();
  for (const name of [
    'ab',
    'Upper',
    'under_score',
    'a..b',
    '192.168.1.1',
    'xn--abc',
    '-dash',
    'a'.repeat(64),
  ]) {
    const error = await sendError(service, { method: 'PUT', target: `/${name}` });
    assert.equal(error.code, 'InvalidBucketName', name);
  }
});

test('a CreateBucketConfiguration must match the endpoint region', async () => {
  const { service } = newService();
  const configuration = (region: string) =>
    `<CreateBucketConfiguration ${NS}><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  const eu = { region: 'eu-west-1' };
  await send(service, { method: 'PUT', target: '/in-eu', body: configuration('eu-west-1'), ...eu });
  const location = await send(service, { target: '/in-eu?location', ...eu });
  assert.match(
    text(location),
    new RegExp(`<LocationConstraint ${NS}>eu-west-1</LocationConstraint>`),
  );
  const head = await send(service, { method: 'HEAD', target: '/in-eu', ...eu });
  assert.equal(head.headers?.['x-amz-bucket-region'], 'eu-west-1');

  const wrong = await sendError(service, {
    method: 'PUT',
    target: '/wrong',
    body: configuration('us-west-2'),
    ...eu,
  });
  assert.equal(wrong.code, 'IllegalLocationConstraintException');
  const none = await sendError(service, { method: 'PUT', target: '/none', ...eu });
  assert.equal(none.code, 'IllegalLocationConstraintException');
  const useast = await sendError(service, {
    method: 'PUT',
    target: '/useast',
    body: configuration('us-east-1'),
  });
  assert.equal(useast.code, 'InvalidLocationConstraint');
  const malformed = await sendError(service, {
    method: 'PUT',
    target: '/bad',
    body: '<CreateBucketConfiguration>',
  });
  assert.equal(malformed.code, 'MalformedXML');
  const empty = await send(service, {
    method: 'PUT',
    target: '/empty-config',
    body: `<CreateBucketConfiguration ${NS}/>`,
  });
  assert.equal(empty.status, 200);
  const usLocation = await send(service, { target: '/empty-config?location' });
  assert.match(text(usLocation), /<LocationConstraint [^>]*><\/LocationConstraint>/);
});

test('ListBuckets lists the caller’s buckets by name', async () => {
  const { service } = newService();
  for (const name of ['zeta', 'alpha']) await send(service, { method: 'PUT', target: `/${name}` });
  await send(service, { method: 'PUT', target: '/theirs', account: '210987654321' });
  const body = text(await send(service, { target: '/' }));
  assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListAllMyBucketsResult xmlns=/);
  assert.deepEqual(
    [...body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]),
    ['alpha', 'zeta'],
  );
  assert.match(body, /<CreationDate>2024-05-01T12:34:56.789Z<\/CreationDate>/);
  assert.match(body, /<Owner><ID>[0-9a-f]{64}<\/ID>/);
});

test('DeleteBucket removes an empty bucket and refuses a full one', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/k', body: 'x' });
  const full = await sendError(service, { method: 'DELETE', target: '/bucket' });
  assert.equal(full.code, 'BucketNotEmpty');
  assert.equal(full.status, 409);
  await send(service, { method: 'DELETE', target: '/bucket/k' });
  assert.equal((await send(service, { method: 'DELETE', target: '/bucket' })).status, 204);
  assert.equal(
    (await sendError(service, { method: 'HEAD', target: '/bucket' })).code,
    'NoSuchBucket',
  );
});
