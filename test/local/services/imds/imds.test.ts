import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { defaultLocalConfig } from '../../../../src/local/config/defaults.js';
import type { LocalConfig } from '../../../../src/local/config/types.js';
import { IdentityStore } from '../../../../src/local/iam/identity-store.js';
import type { LocalResponse } from '../../../../src/local/service.js';
import { createImdsService } from '../../../../src/local/services/imds/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { NOW, localRequest } from '../../iam/request.js';

function setup(config: LocalConfig = fixtureConfig()) {
  const identities = new IdentityStore(config);
  const imds = createImdsService(identities, config);
  const send = async (
    method: string,
    path: string,
    headers: IncomingHttpHeaders = {},
    now = NOW,
  ): Promise<LocalResponse> => {
    const req = localRequest({ method, path, headers, now });
    const op = imds.operation(req);
    assert.ok(op, `IMDS claims ${path}`);
    return imds.handle(req, op);
  };
  const token = async (ttl = '21600', now = NOW): Promise<string> => {
    const res = await send(
      'PUT',
      '/latest/api/token',
      { 'x-aws-ec2-metadata-token-ttl-seconds': ttl },
      now,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers?.['x-aws-ec2-metadata-token-ttl-seconds'], ttl);
    return String(res.body);
  };
  const get = async (path: string, now = NOW): Promise<LocalResponse> =>
    send('GET', path, { 'x-aws-ec2-metadata-token': await token('21600', now) }, now);
  return { identities, imds, send, token, get };
}

describe('IMDSv2 tokens', () => {
  test('a PUT with a TTL of 1..21600 seconds gets a token', async () => {
    const { send, token } = setup();
    assert.ok((await token('1')).length >= 40);
    await token('21600');
    for (const ttl of ['0', '21601', 'abc', '-5', '']) {
      const res = await send('PUT', '/latest/api/token', {
        'x-aws-ec2-metadata-token-ttl-seconds': ttl,
      });
      assert.equal(res.status, 400, `ttl ${JSON.stringify(ttl)}`);
    }
    assert.equal((await send('PUT', '/latest/api/token')).status, 400, 'no TTL header');
    assert.equal((await send('GET', '/latest/api/token')).status, 405);
  });

  test('reads without a token (IMDSv1) or with a bad or expired one get 401', async () => {
    const { send, token } = setup();
    const no = await send('GET', '/latest/meta-data/instance-id');
    assert.equal(no.status, 401);
    assert.match(String(no.body), /<title>401 - Unauthorized<\/title>/);
    assert.equal(
      (await send('GET', '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': 'forged' }))
        .status,
      401,
    );
    const short = await token('2');
    assert.equal(
      (
        await send(
          'GET',
          '/latest/meta-data/instance-id',
          { 'x-aws-ec2-metadata-token': short },
          NOW + 1999,
        )
      ).status,
      200,
    );
    assert.equal(
      (
        await send(
          'GET',
          '/latest/meta-data/instance-id',
          { 'x-aws-ec2-metadata-token': short },
          NOW + 2000,
        )
      ).status,
      401,
    );
  });

  test('a request that went through a proxy (X-Forwarded-For) gets 403', async () => {
    const { send, token } = setup();
    const put = await send('PUT', '/latest/api/token', {
      'x-aws-ec2-metadata-token-ttl-seconds': '60',
      'x-forwarded-for': '10.1.1.1',
    });
    assert.equal(put.status, 403);
    const t = await token();
    assert.equal(
      (
        await send('GET', '/latest/meta-data/', {
          'x-aws-ec2-metadata-token': t,
          'x-forwarded-for': '10.1.1.1',
        })
      ).status,
      403,
    );
  });
});

describe('IMDS metadata', () => {
  test('describes the self instance', async () => {
    const { get } = setup();
    assert.equal(String((await get('/latest/meta-data/instance-id')).body), 'i-0123456789abcdef0');
    assert.equal(String((await get('/latest/meta-data/placement/region')).body), 'us-east-1');
    assert.equal(
      String((await get('/latest/meta-data/placement/availability-zone')).body),
      'us-east-1a',
    );
    assert.equal(String((await get('/latest/meta-data/local-ipv4')).body), '10.0.0.10');
    assert.equal(String((await get('/latest/meta-data/public-ipv4')).body), '203.0.113.10');
    const listing = String((await get('/latest/meta-data/')).body).split('\n');
    assert.ok(
      listing.includes('iam/') && listing.includes('placement/') && listing.includes('instance-id'),
      listing.join(','),
    );
    assert.equal((await get('/latest/meta-data/nothing-here')).status, 404);
    assert.equal((await get('/latest/user-data')).status, 404);
  });

  test('serves the identity document', async () => {
    const { get } = setup();
    const doc = JSON.parse(
      String((await get('/latest/dynamic/instance-identity/document')).body),
    ) as Record<string, unknown>;
    assert.equal(doc.instanceId, 'i-0123456789abcdef0');
    assert.equal(doc.region, 'us-east-1');
    assert.equal(doc.accountId, '123456789012');
    assert.equal(doc.availabilityZone, 'us-east-1a');
    assert.equal(doc.instanceType, 't3.micro');
    assert.equal(doc.imageId, 'ami-0abcdef1234567890');
    assert.equal(doc.privateIp, '10.0.0.10');
    assert.equal(doc.pendingTime, '2024-05-01T12:00:00Z');
  });

  test("hands out the instance role's credentials, reissued as they age", async () => {
    const { get, identities } = setup();
    assert.equal(
      String((await get('/latest/meta-data/iam/security-credentials/')).body),
      'InstanceRole',
    );
    const read = async (now: number): Promise<Record<string, string>> => {
      const res = await get('/latest/meta-data/iam/security-credentials/InstanceRole', now);
      assert.equal(res.status, 200);
      return JSON.parse(String(res.body)) as Record<string, string>;
    };
    const first = await read(NOW);
    assert.equal(first.Code, 'Success');
    assert.equal(first.Type, 'AWS-HMAC');
    assert.equal(first.LastUpdated, '2025-01-15T10:00:00Z');
    assert.equal(first.Expiration, '2025-01-15T10:01:00Z', 'credential_duration_seconds: 60');
    assert.match(first.AccessKeyId ?? '', /^ASIA/);
    const record = identities.lookup(first.AccessKeyId!)!;
    assert.equal(record.secretAccessKey, first.SecretAccessKey);
    assert.equal(identities.checkToken(record, first.Token, NOW), 'ok');
    assert.equal(
      record.principal.arn,
      'arn:aws:sts::123456789012:assumed-role/InstanceRole/i-0123456789abcdef0',
    );
    assert.equal((await read(NOW + 30_000)).AccessKeyId, first.AccessKeyId);
    const later = await read(NOW + 45_000);
    assert.notEqual(later.AccessKeyId, first.AccessKeyId);
    assert.equal(later.Expiration, '2025-01-15T10:01:45Z');
    assert.equal((await get('/latest/meta-data/iam/security-credentials/OtherRole')).status, 404);
    const info = JSON.parse(String((await get('/latest/meta-data/iam/info')).body)) as Record<
      string,
      string
    >;
    assert.equal(
      info.InstanceProfileArn,
      'arn:aws:iam::123456789012:instance-profile/InstanceRole',
    );
  });

  test('without a self instance, only tokens are served', async () => {
    const { get, token } = setup({ ...defaultLocalConfig(), instances: [] });
    await token();
    assert.equal((await get('/latest/meta-data/instance-id')).status, 404);
    assert.equal((await get('/latest/meta-data/iam/security-credentials/')).status, 404);
  });

  test('claims only /latest paths, unsigned', () => {
    const { imds } = setup();
    assert.equal(imds.signingName, '');
    assert.equal(imds.operation(localRequest({ path: '/' })), undefined);
    assert.equal(imds.operation(localRequest({ path: '/latestx' })), undefined);
  });
});
