import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IdentityStore } from '../../../../src/local/iam/identity-store.js';
import { ServiceError } from '../../../../src/local/service.js';
import { createStsService } from '../../../../src/local/services/sts/index.js';
import { fixtureConfig } from '../../config/fixture.js';
import { NOW, localRequest } from '../../iam/request.js';
import { SDK_CREDENTIALS, inProcess } from './sdk.js';

const WEB_APP = 'arn:aws:iam::123456789012:role/WebApp';
const VALID = {
  iss: 'https://oidc.example.com',
  aud: 'sts.amazonaws.com',
  sub: 'system:serviceaccount:default:collector',
  exp: NOW / 1000 + 600,
};

function jwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

function setup() {
  const config = fixtureConfig();
  const identities = new IdentityStore(config);
  const sts = createStsService(identities, config);
  const call = async (token: string, extra: Record<string, string> = {}): Promise<string> => {
    const req = localRequest({
      form: {
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: WEB_APP,
        RoleSessionName: 'pod',
        WebIdentityToken: token,
        ...extra,
      },
    });
    const res = await sts.handle(req, sts.operation(req)!);
    return String(res.body);
  };
  return { identities, sts, call };
}

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('AssumeRoleWithWebIdentity', () => {
  test('exchanges a valid token without a signature, as the SDK parses it', async () => {
    const { sts, identities } = setup();
    const client = new STSClient({
      region: 'us-east-1',
      credentials: SDK_CREDENTIALS,
      requestHandler: inProcess(sts, undefined, () => NOW),
    });
    const out = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: WEB_APP,
        RoleSessionName: 'pod',
        WebIdentityToken: jwt(VALID),
      }),
    );
    assert.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789012:assumed-role/WebApp/pod');
    assert.equal(out.SubjectFromWebIdentityToken, VALID.sub);
    assert.equal(out.Audience, 'sts.amazonaws.com');
    assert.equal(out.Provider, 'https://oidc.example.com');
    const record = identities.lookup(out.Credentials!.AccessKeyId!)!;
    assert.equal(record.roleArn, WEB_APP);
    assert.equal(identities.checkToken(record, out.Credentials?.SessionToken, NOW), 'ok');
  });

  test('accepts an audience list and an issuer written without the scheme', async () => {
    const { call } = setup();
    const xml = await call(
      jwt({ ...VALID, iss: 'oidc.example.com/', aud: ['other', 'sts.amazonaws.com'] }),
    );
    assert.match(xml, /<Audience>sts\.amazonaws\.com<\/Audience>/);
  });

  test('a token that is not a JWT is InvalidIdentityToken', async () => {
    const { call } = setup();
    await rejects(call('not-a-jwt'), 'InvalidIdentityToken', /not a valid JWT/);
    await rejects(call('a.b.c'), 'InvalidIdentityToken', /not a valid JWT/);
    await rejects(call(jwt({ ...VALID, exp: undefined })), 'InvalidIdentityToken', /exp/);
  });

  test('an expired token is ExpiredTokenException', async () => {
    const { call } = setup();
    await rejects(
      call(jwt({ ...VALID, exp: NOW / 1000 })),
      'ExpiredTokenException',
      /^Token expired: current date\/time 2025-01-15T10:00:00Z must be before the expiration date\/time 2025-01-15T10:00:00Z$/,
    );
  });

  test('issuer and audience must be the trusted ones', async () => {
    const { call } = setup();
    await rejects(
      call(jwt({ ...VALID, iss: 'https://evil.example.com' })),
      'InvalidIdentityToken',
      /No OpenIDConnect provider found in your account for https:\/\/evil\.example\.com/,
    );
    await rejects(
      call(jwt({ ...VALID, aud: 'someone-else' })),
      'InvalidIdentityToken',
      /Incorrect token audience/,
    );
  });

  test('a subject outside the trusted pattern, or a role without web identity trust, is AccessDenied', async () => {
    const { call } = setup();
    await rejects(
      call(jwt({ ...VALID, sub: 'system:serviceaccount:kube-system:admin' })),
      'AccessDenied',
      /sts:AssumeRoleWithWebIdentity/,
    );
    await rejects(
      call(jwt(VALID), { RoleArn: 'arn:aws:iam::123456789012:role/Reader' }),
      'AccessDenied',
    );
    await rejects(
      call(jwt(VALID), { RoleArn: 'arn:aws:iam::123456789012:role/Missing' }),
      'AccessDenied',
    );
  });

  test('validation never echoes the token', async () => {
    const { call } = setup();
    await rejects(
      call('abc', { RoleSessionName: 'p' }),
      'ValidationError',
      /Value '\*\*\*' at 'webIdentityToken'.*; Value 'p' at 'roleSessionName'|Value 'p' at 'roleSessionName'.*Value '\*\*\*' at 'webIdentityToken'/,
    );
    await rejects(
      call(jwt(VALID), { DurationSeconds: '3601' }),
      'ValidationError',
      /MaxSessionDuration/,
    );
  });
});
