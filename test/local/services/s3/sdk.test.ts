/** The service as @aws-sdk/client-s3 sees it, through a minimal HTTP stand-in for the core. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createS3Service } from '../../../../src/local/services/s3/index.js';
import { MemoryStore } from './helpers.js';
import { CREDENTIALS, startHarness, type Harness } from './sdk-harness.js';

let harness: Harness;
let s3: S3Client;

before(async () => {
  harness = await startHarness(createS3Service(new MemoryStore(), { minPartSize: 10 }));
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: harness.url,
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
});

after(async () => {
  s3.destroy();
  await harness.close();
});

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error.name;
    throw error;
  }
  return 'no error';
};

test('PutObject, GetObject (checksum-validated) and HeadObject round-trip', async () => {
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: 'sdk-bucket',
      Key: 'dir/hello world.txt',
      Body: 'hello from the sdk',
      ContentType: 'text/plain',
      Metadata: { team: 'signet' },
    }),
  );
  assert.match(put.ETag ?? '', /^"[0-9a-f]{32}"$/);
  const get = await s3.send(
    new GetObjectCommand({
      Bucket: 'sdk-bucket',
      Key: 'dir/hello world.txt',
      ChecksumMode: 'ENABLED',
    }),
  );
  assert.equal(await get.Body?.transformToString(), 'hello from the sdk');
  assert.equal(get.ContentType, 'text/plain');
  assert.deepEqual(get.Metadata, { team: 'signet' });
  assert.ok(get.ChecksumCRC32, 'the SDK sent a CRC32 and gets it back');
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/hello world.txt' }),
  );
  assert.equal(head.ContentLength, 18);
  assert.equal(head.ETag, put.ETag);
  assert.ok(head.LastModified instanceof Date);
  const range = await s3.send(
    new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/hello world.txt', Range: 'bytes=0-4' }),
  );
  assert.equal(await range.Body?.transformToString(), 'hello');
  assert.equal(range.ContentRange, 'bytes 0-4/18');
});

test('a stream body goes as aws-chunked with a checksum trailer, and arrives whole', async () => {
  const data = Buffer.alloc(200_000, 'z');
  await s3.send(
    new PutObjectCommand({
      Bucket: 'sdk-bucket',
      Key: 'streamed',
      Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]),
      ContentLength: data.length,
    }),
  );
  const sent = harness.seen.find((r) => r.method === 'PUT' && r.url.includes('/streamed'));
  assert.equal(sent?.sha256, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  const get = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'streamed' }));
  assert.ok(Buffer.from(await get.Body!.transformToByteArray()).equals(data));
});

test('listing with a delimiter and the paginator', async () => {
  for (const key of ['p/a', 'p/b', 'p/c/d', 'q']) {
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: `list/${key}`, Body: key }));
  }
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: 'sdk-bucket', Prefix: 'list/p/', Delimiter: '/' }),
  );
  assert.deepEqual(
    listed.Contents?.map((c) => c.Key),
    ['list/p/a', 'list/p/b'],
  );
  assert.deepEqual(
    listed.CommonPrefixes?.map((c) => c.Prefix),
    ['list/p/c/'],
  );
  assert.equal(listed.KeyCount, 3);
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize: 1 },
    { Bucket: 'sdk-bucket', Prefix: 'list/' },
  )) {
    keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
  }
  assert.deepEqual(keys, ['list/p/a', 'list/p/b', 'list/p/c/d', 'list/q']);
});

test('a multipart upload through the SDK', async () => {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'multi' }),
  );
  const bodies = ['first part!', 'second'];
  const parts = [];
  for (const [index, body] of bodies.entries()) {
    const { ETag } = await s3.send(
      new UploadPartCommand({
        Bucket: 'sdk-bucket',
        Key: 'multi',
        UploadId,
        PartNumber: index + 1,
        Body: body,
      }),
    );
    parts.push({ ETag, PartNumber: index + 1 });
  }
  const done = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: 'sdk-bucket',
      Key: 'multi',
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-2"$/);
  const get = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'multi' }));
  assert.equal(await get.Body?.transformToString(), 'first part!second');
});

test('errors reach the SDK as its named exceptions', async () => {
  assert.equal(
    await codeOf(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'absent' }))),
    'NoSuchKey',
  );
  assert.equal(
    await codeOf(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'absent' }))),
    'NotFound',
  );
  assert.equal(
    await codeOf(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))),
    'NotFound',
  );
  assert.equal(
    await codeOf(s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }))),
    'BucketAlreadyOwnedByYou',
  );
  assert.equal(
    await codeOf(
      s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'list/q', Range: 'bytes=500-' })),
    ),
    'InvalidRange',
  );
  await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/hello world.txt' }));
  assert.equal(
    await codeOf(
      s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/hello world.txt' })),
    ),
    'NoSuchKey',
  );
});
