/**
 * Presigned S3 URLs through the whole HTTP core: made by @smithy/signature-v4's
 * presign (the signer @aws-sdk/s3-request-presigner uses), honoured for GET and
 * PUT, refused once expired on the server's clock, and refused with S3's XML
 * error when any part of them is changed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { loggedRequests, TestClock } from '../../../helpers/local-stack.js';
import { smithyPresign, smithySignedHeaders } from '../../../helpers/smithy-sign.js';

const BUCKET = 'signet-presigned';

async function send(url: string, method = 'GET', body?: Buffer) {
  const answer = await request(url, { method, ...(body ? { body } : {}) });
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const code = /<Code>([^<]*)<\/Code>/.exec(bytes.toString('utf8'))?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(bytes.toString('utf8'))?.[1];
  return { status: answer.statusCode, bytes, code, message };
}

describe('presigned S3 URLs over HTTP', () => {
  const clock = new TestClock({ frozen: true });
  let local: LocalStack;
  const object = (key: string) => `${local.url}/${BUCKET}/${key}`;
  const presign = (method: string, key: string, expiresIn = 60) =>
    smithyPresign(
      { service: 's3', signingDate: new Date(clock.now()) },
      method,
      object(key),
      expiresIn,
    );

  before(async () => {
    local = await startLocal({ port: 0, clock: clock.now });
    const url = `${local.url}/${BUCKET}`;
    const headers = await smithySignedHeaders({ service: 's3' }, 'PUT', url);
    const created = await request(url, { method: 'PUT', headers });
    assert.equal(created.statusCode, 200, await created.body.text());
  });
  after(() => local.close());

  test('a presigned PUT stores the body; a presigned GET reads it back', async () => {
    const body = Buffer.from('presigned ✓\n\u0000\u00ff');
    const put = await send(await presign('PUT', 'dir/a b.txt'), 'PUT', body);
    assert.equal(put.status, 200, put.bytes.toString());
    const got = await send(await presign('GET', 'dir/a b.txt'));
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, body);
    const entries = (await loggedRequests(local)).filter((r) => r.path.includes('/dir/'));
    assert.deepEqual(
      entries.map((r) => [r.operation, r.signature]),
      [
        ['PutObject', 'verified (presigned)'],
        ['GetObject', 'verified (presigned)'],
      ],
    );
  });

  test('a URL is good until its expiry on the server clock, and refused after', async () => {
    await send(await presign('PUT', 'expiring'), 'PUT', Buffer.from('x'));
    const url = await presign('GET', 'expiring', 60);
    clock.advance(60_000);
    assert.equal((await send(url)).status, 200, 'still valid at exactly 60 s');
    clock.advance(1);
    const expired = await send(url);
    assert.equal(expired.status, 403);
    assert.equal(expired.code, 'AccessDenied');
    assert.equal(expired.message, 'Request has expired');
  });

  test('a tampered URL is refused with SignatureDoesNotMatch', async () => {
    await send(await presign('PUT', 'kept'), 'PUT', Buffer.from('kept'));
    const good = new URL(await presign('GET', 'kept'));
    const tampered: Array<[string, (u: URL) => void]> = [
      ['another key', (u) => (u.pathname = `/${BUCKET}/other`)],
      ['a longer expiry', (u) => u.searchParams.set('X-Amz-Expires', '3600')],
      ['an added parameter', (u) => u.searchParams.set('response-content-type', 'text/html')],
      ['another signature', (u) => u.searchParams.set('X-Amz-Signature', '0'.repeat(64))],
    ];
    for (const [what, change] of tampered) {
      const url = new URL(good);
      change(url);
      const answer = await send(url.toString());
      assert.equal(answer.status, 403, what);
      assert.equal(answer.code, 'SignatureDoesNotMatch', what);
    }
    // The method is signed too: the GET URL does not allow a PUT.
    const put = await send(good.toString(), 'PUT', Buffer.from('overwrite'));
    assert.equal(put.code, 'SignatureDoesNotMatch');
    assert.equal((await send(good.toString())).bytes.toString(), 'kept');
  });

  test('a URL signed for another region or with an unknown key is refused', async () => {
    const other = await smithyPresign(
      { service: 's3', region: 'eu-west-1', signingDate: new Date(clock.now()) },
      'GET',
      object('kept'),
      60,
    );
    const wrongRegion = await send(other);
    assert.equal(wrongRegion.status, 400);
    assert.equal(wrongRegion.code, 'AuthorizationHeaderMalformed');
    const unknown = await smithyPresign(
      {
        service: 's3',
        credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) },
        signingDate: new Date(clock.now()),
      },
      'GET',
      object('kept'),
      60,
    );
    assert.equal((await send(unknown)).code, 'InvalidAccessKeyId');
  });
});
