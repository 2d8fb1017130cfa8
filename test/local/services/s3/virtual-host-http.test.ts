/**
 * S3 virtual-host-style addressing through the whole HTTP core: the bucket
 * comes from the Host header (`{bucket}.s3.{region}.localhost`,
 * `{bucket}.s3.localhost`), which the signature covers. Driven by raw requests
 * signed with @smithy/signature-v4 and by the real S3 client with
 * `forcePathStyle: false`, whose `*.localhost` host names an agent resolves to
 * 127.0.0.1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startLocal, type LocalStack } from '../../../../src/local/index.js';
import { loggedRequests, sdkConfig } from '../../../helpers/local-stack.js';
import { smithySignedHeaders } from '../../../helpers/smithy-sign.js';

/** Sends to 127.0.0.1 whatever the Host header says. */
function send(
  local: LocalStack,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: local.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every `*.localhost` name is this machine, as RFC 6761 has it; the resolver need not know. */
const localhostLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

describe('S3 virtual-host style over HTTP', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal({ port: 0 });
  });
  after(() => local.close());

  test('raw requests signed for the bucket host create, write and read', async () => {
    const host = `signet-vhost.s3.us-east-1.localhost:${local.port}`;
    const base = `http://${host}`;
    const signed = (method: string, path: string, body?: Buffer) =>
      smithySignedHeaders({ service: 's3' }, method, `${base}${path}`, body ? { body } : {});
    const created = await send(local, 'PUT', '/', await signed('PUT', '/'));
    assert.equal(created.status, 200, created.text);
    const body = Buffer.from('virtual ✓');
    const put = await send(local, 'PUT', '/a/b.txt', await signed('PUT', '/a/b.txt', body), body);
    assert.equal(put.status, 200, put.text);
    const got = await send(local, 'GET', '/a/b.txt', await signed('GET', '/a/b.txt'));
    assert.equal(got.text, 'virtual ✓');
    // The same object, path style on the plain endpoint.
    const pathStyle = `${local.url}/signet-vhost/a/b.txt`;
    const viaPath = await send(
      local,
      'GET',
      '/signet-vhost/a/b.txt',
      await smithySignedHeaders({ service: 's3' }, 'GET', pathStyle),
    );
    assert.equal(viaPath.text, 'virtual ✓');
  });

  test('the Host header is signed: the same request sent for another bucket is refused', async () => {
    const headers = await smithySignedHeaders(
      { service: 's3' },
      'GET',
      `http://signet-vhost.s3.localhost:${local.port}/a/b.txt`,
    );
    assert.equal((await send(local, 'GET', '/a/b.txt', headers)).status, 200);
    const moved = { ...headers, host: `other-bucket.s3.localhost:${local.port}` };
    const refused = await send(local, 'GET', '/a/b.txt', moved);
    assert.equal(refused.status, 403);
    assert.match(refused.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  test('the S3 client with forcePathStyle false addresses buckets by host', async () => {
    const s3 = new S3Client(
      sdkConfig(local, {
        endpoint: `http://s3.us-east-1.localhost:${local.port}`,
        forcePathStyle: false,
        requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: localhostLookup }) }),
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: 'signet-sdk-vhost' }));
    const body = Buffer.from([0, 1, 2, 255]);
    await s3.send(new PutObjectCommand({ Bucket: 'signet-sdk-vhost', Key: 'k/1.bin', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'signet-sdk-vhost', Key: 'k/1.bin' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'signet-sdk-vhost' }));
    assert.deepEqual(
      list.Contents?.map((o) => o.Key),
      ['k/1.bin'],
    );
    // The client really used the bucket host: no request path names the bucket.
    const sdk = (await loggedRequests(local)).filter((r) => r.operation !== undefined).slice(-4);
    assert.deepEqual(
      sdk.map((r) => [r.operation, r.path, r.signature]),
      [
        ['CreateBucket', '/', 'verified'],
        ['PutObject', '/k/1.bin', 'verified'],
        ['GetObject', '/k/1.bin', 'verified'],
        ['ListObjectsV2', '/', 'verified'],
      ],
    );
  });
});
