import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LocalService } from '../../../../src/local/service.js';
import { send, sendError, serviceWithBucket, text } from './helpers.js';

const MIN = 5;
const md5 = (data: string) => createHash('md5').update(data).digest();

async function start(service: LocalService, key = 'big'): Promise<string> {
  const created = await send(service, {
    method: 'POST',
    target: `/bucket/${key}?uploads`,
    headers: { 'content-type': 'text/plain', 'x-amz-meta-origin': 'multipart' },
  });
  const xml = text(created);
  assert.match(
    xml,
    /<InitiateMultipartUploadResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Bucket>bucket<\/Bucket><Key>big<\/Key>/,
  );
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
  assert.ok(uploadId);
  return uploadId;
}

async function uploadPart(
  service: LocalService,
  uploadId: string,
  partNumber: number,
  body: string,
) {
  const response = await send(service, {
    method: 'PUT',
    target: `/bucket/big?partNumber=${partNumber}&uploadId=${uploadId}`,
    body,
  });
  return response.headers?.etag ?? '';
}

const completion = (parts: [number, string][]) =>
  `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts
    .map(
      ([n, etag]) =>
        `<Part><ETag>${etag.replace(/"/g, '&quot;')}</ETag><PartNumber>${n}</PartNumber></Part>`,
    )
    .join('')}</CompleteMultipartUpload>`;

const complete = (service: LocalService, uploadId: string, parts: [number, string][]) =>
  send(service, {
    method: 'POST',
    target: `/bucket/big?uploadId=${uploadId}`,
    body: completion(parts),
  });

const completeError = (service: LocalService, uploadId: string, body: string) =>
  sendError(service, { method: 'POST', target: `/bucket/big?uploadId=${uploadId}`, body });

test('a multipart upload assembles its parts into one object with an md5-of-md5s ETag', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  // Parts may arrive in any order and be uploaded again; the last upload counts.
  const etag2 = await uploadPart(service, uploadId, 2, 'world');
  await uploadPart(service, uploadId, 1, 'HELLO');
  const etag1 = await uploadPart(service, uploadId, 1, 'hello');
  const etag3 = await uploadPart(service, uploadId, 3, '!');
  assert.equal(etag1, `"${md5('hello').toString('hex')}"`);

  const done = await complete(service, uploadId, [
    [1, etag1],
    [2, etag2],
    [3, etag3],
  ]);
  const expectedEtag = `"${createHash('md5')
    .update(Buffer.concat([md5('hello'), md5('world'), md5('!')]))
    .digest('hex')}-3"`;
  const xml = text(done);
  assert.match(
    xml,
    /<CompleteMultipartUploadResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
  );
  assert.match(
    xml,
    /<Location>http:\/\/localhost\/bucket\/big<\/Location><Bucket>bucket<\/Bucket><Key>big<\/Key>/,
  );
  assert.equal(/<ETag>([^<]+)<\/ETag>/.exec(xml)?.[1], expectedEtag.replace(/"/g, '&quot;'));

  const get = await send(service, { target: '/bucket/big' });
  assert.equal(text(get), 'helloworld!');
  assert.equal(get.headers?.etag, expectedEtag);
  assert.equal(get.headers?.['content-type'], 'text/plain');
  assert.equal(get.headers?.['x-amz-meta-origin'], 'multipart');
  // The upload is gone once complete.
  assert.equal(
    (await completeError(service, uploadId, completion([[1, etag1]]))).code,
    'NoSuchUpload',
  );
});

test('parts other than the last must reach the minimum size', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  const small = await uploadPart(service, uploadId, 1, 'tiny');
  const last = await uploadPart(service, uploadId, 2, 'x');
  const error = await completeError(
    service,
    uploadId,
    completion([
      [1, small],
      [2, last],
    ]),
  );
  assert.equal(error.code, 'EntityTooSmall');
  assert.equal(error.status, 400);
  // A single small part is also the last part, and fine.
  assert.equal((await complete(service, uploadId, [[1, small]])).status, 200);
});

test('the minimum part size is 5 MiB by default', async () => {
  const { service } = await serviceWithBucket();
  const uploadId = await start(service);
  const big = await uploadPart(service, uploadId, 1, 'x'.repeat(5 * 1024 * 1024 - 1));
  const last = await uploadPart(service, uploadId, 2, 'y');
  assert.equal(
    (
      await completeError(
        service,
        uploadId,
        completion([
          [1, big],
          [2, last],
        ]),
      )
    ).code,
    'EntityTooSmall',
  );
});

test('unknown parts, wrong ETags and unordered lists are refused', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  const one = await uploadPart(service, uploadId, 1, 'aaaaa');
  const two = await uploadPart(service, uploadId, 2, 'bbbbb');
  const cases: [[number, string][], string][] = [
    [
      [
        [1, one],
        [3, two],
      ],
      'InvalidPart',
    ],
    [
      [
        [1, two],
        [2, two],
      ],
      'InvalidPart',
    ],
    [
      [
        [2, two],
        [1, one],
      ],
      'InvalidPartOrder',
    ],
    [
      [
        [1, one],
        [1, one],
      ],
      'InvalidPartOrder',
    ],
  ];
  for (const [parts, code] of cases) {
    const error = await completeError(service, uploadId, completion(parts));
    assert.equal(error.code, code, JSON.stringify(parts));
    assert.equal(error.status, 400);
  }
  for (const body of [
    '',
    '<CompleteMultipartUpload/>',
    '<CompleteMultipartUpload><Part>',
    '<Other/>',
  ]) {
    assert.equal((await completeError(service, uploadId, body)).code, 'MalformedXML', body);
  }
  // ETags are accepted with or without quotes.
  const done = await complete(service, uploadId, [
    [1, one.replace(/"/g, '')],
    [2, two],
  ]);
  assert.equal(done.status, 200);
});

test('UploadPart checks the part number and the upload', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  for (const partNumber of ['0', '10001', 'one', '']) {
    const error = await sendError(service, {
      method: 'PUT',
      target: `/bucket/big?partNumber=${partNumber}&uploadId=${uploadId}`,
    });
    assert.equal(error.code, 'InvalidArgument', partNumber);
  }
  const unknown = await sendError(service, {
    method: 'PUT',
    target: '/bucket/big?partNumber=1&uploadId=nope',
  });
  assert.equal(unknown.code, 'NoSuchUpload');
  assert.equal(unknown.status, 404);
  // An upload id is only good for its own key.
  const otherKey = await sendError(service, {
    method: 'PUT',
    target: `/bucket/other?partNumber=1&uploadId=${uploadId}`,
  });
  assert.equal(otherKey.code, 'NoSuchUpload');
});

test('AbortMultipartUpload discards the upload with 204', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  await uploadPart(service, uploadId, 1, 'data');
  const aborted = await send(service, {
    method: 'DELETE',
    target: `/bucket/big?uploadId=${uploadId}`,
  });
  assert.equal(aborted.status, 204);
  const again = await sendError(service, {
    method: 'DELETE',
    target: `/bucket/big?uploadId=${uploadId}`,
  });
  assert.equal(again.code, 'NoSuchUpload');
  assert.equal((await sendError(service, { target: '/bucket/big' })).code, 'NoSuchKey');
});

test('ListMultipartUploads lists the open uploads by key, under a prefix, a page at a time', async () => {
  const { service } = await serviceWithBucket(MIN);
  const first = await start(service);
  const second = await start(service);
  const other = /<UploadId>([^<]+)</.exec(
    text(await send(service, { method: 'POST', target: '/bucket/bigger?uploads' })),
  )![1];
  const list = async (query = '') =>
    text(await send(service, { target: `/bucket?uploads${query}` }));
  const ids = (xml: string) => [...xml.matchAll(/<UploadId>([^<]+)<\/UploadId>/g)].map((m) => m[1]);
  const all = await list();
  assert.match(all, /^<\?xml[^>]*\?>\n?<ListMultipartUploadsResult[^>]*><Bucket>bucket<\/Bucket>/);
  assert.deepEqual(ids(all), [first, second, other]);
  assert.match(all, /<IsTruncated>false<\/IsTruncated>/);
  assert.deepEqual(ids(await list('&prefix=bigg')), [other]);
  const page = await list('&max-uploads=1');
  assert.deepEqual(ids(page), [first]);
  assert.match(page, /<IsTruncated>true<\/IsTruncated>/);
  const next = `&key-marker=big&upload-id-marker=${first}`;
  assert.deepEqual(ids(await list(next)), [second, other]);
  assert.deepEqual(ids(await list('&key-marker=big')), [other]);
  await send(service, { method: 'DELETE', target: `/bucket/big?uploadId=${first}` });
  assert.deepEqual(ids(await list()), [second, other], 'an aborted upload is gone');
});

test('ETags may be quoted raw, as &quot; or as character references, as S3 reads XML', async () => {
  const { service } = await serviceWithBucket(MIN);
  const uploadId = await start(service);
  const etag1 = await uploadPart(service, uploadId, 1, 'hello');
  const etag2 = await uploadPart(service, uploadId, 2, 'world');
  const etag3 = await uploadPart(service, uploadId, 3, '!');
  const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${etag2.replace(/"/g, '&#34;')}</ETag></Part><Part><PartNumber>3</PartNumber><ETag>${etag3.replace(/"/g, '&#x22;')}</ETag></Part></CompleteMultipartUpload>`;
  const done = await send(service, {
    method: 'POST',
    target: `/bucket/big?uploadId=${uploadId}`,
    body,
  });
  assert.equal(done.status, 200);
  assert.equal(text(await send(service, { target: '/bucket/big' })), 'helloworld!');
});
