/**
 * Deliberately wrong requests, signed with @smithy/signature-v4 (not Signet's
 * signer), sent to `signet local` for every protocol it speaks — JSON (logs),
 * REST-XML (s3), query XML (sts), EC2 XML, REST-JSON (aps remote_write,
 * execute-api) — and parseAwsError classifies each answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'undici';
import {
  clockSkewOffset,
  isRefreshableAuthError,
  parseAwsError,
  type AwsError,
  type AwsErrorKind,
} from '../../../src/aws/errors/index.js';
import { parseLocalConfig } from '../../../src/local/config/load.js';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { assertSafe } from './assert-safe.js';

const WRITER_KEY = 'AKIAWRITEREXAMPLE001';
const WRITER_SECRET = 'writer/secret/EXAMPLEKEYEXAMPLEKEYEXAMPL';
const RESTRICTED_KEY = 'AKIARESTRICTEDEXAMP1';
const RESTRICTED_SECRET = 'restricted/secret/EXAMPLEKEYEXAMPLEKEYEX';
const UNKNOWN_KEY = 'AKIAUNKNOWNEXAMPLE01';
const WRONG_SECRET = 'wrong/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLE';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/Shipper';

const CONFIG = `
credential_duration_seconds: 60
principals:
  - name: writer
    account_id: '123456789012'
    access_key_id: ${WRITER_KEY}
    secret_access_key: ${WRITER_SECRET}
    policy: admin
  - name: restricted
    account_id: '123456789012'
    access_key_id: ${RESTRICTED_KEY}
    secret_access_key: ${RESTRICTED_SECRET}
    policy:
      - effect: Allow
        actions: ['sts:GetCallerIdentity']
        resources: '*'
policies:
  admin:
    - effect: Allow
      actions: '*'
      resources: '*'
roles:
  - arn: ${ROLE_ARN}
    trust:
      principals: ['arn:aws:iam::123456789012:user/writer']
    policy: admin
execute_api:
  /metrics: "up 1\\n"
`;

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

interface Call {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The IAM action the request needs, as the access-denied answer names it. */
  readonly action: string;
}

const CALLS: Record<string, Call> = {
  logs: {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Logs_20140328.DescribeLogGroups',
    },
    body: '{}',
    action: 'logs:DescribeLogGroups',
  },
  s3: {
    method: 'GET',
    path: '/signet-errors-bucket',
    query: { 'list-type': '2' },
    headers: { 'x-amz-content-sha256': EMPTY_SHA256 },
    body: '',
    action: 's3:ListBucket',
  },
  sts: {
    method: 'POST',
    path: '/',
    headers: FORM,
    body: new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: ROLE_ARN,
      RoleSessionName: 'errors-test',
    }).toString(),
    action: 'sts:AssumeRole',
  },
  ec2: {
    method: 'POST',
    path: '/',
    headers: FORM,
    body: 'Action=DescribeInstances&Version=2016-11-15',
    action: 'ec2:DescribeInstances',
  },
  aps: {
    method: 'POST',
    path: '/workspaces/ws-0a1b2c3d/api/v1/remote_write',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: 'not reached: refused before the body is read',
    action: 'aps:RemoteWrite',
  },
  'execute-api': {
    method: 'GET',
    path: '/execute-api/metrics',
    headers: {},
    body: '',
    action: 'execute-api:Invoke',
  },
};

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

describe('parseAwsError against signet local', () => {
  let local: LocalStack;
  let offsetMs = 0;
  const clock = () => Date.now() + offsetMs;

  before(async () => {
    local = await startLocal({ config: parseLocalConfig(CONFIG, 'errors-test.yaml'), clock });
  });
  after(() => local.close());

  async function send(
    service: string,
    credentials: Credentials,
    options: { region?: string; signedAt?: Date } = {},
  ): Promise<{ error: AwsError; status: number; context: { signedAt: Date } }> {
    const call = CALLS[service]!;
    const { host, port } = new URL(local.url);
    const region = options.region ?? 'us-east-1';
    const signedAt = options.signedAt ?? new Date(clock());
    const signer = new SignatureV4({
      service,
      region,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: service !== 's3',
      applyChecksum: false,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: call.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(port),
        path: call.path,
        ...(call.query ? { query: call.query } : {}),
        headers: { host, ...call.headers },
        body: call.body,
      }),
      { signingDate: signedAt },
    );
    const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    const url = `${local.url}${call.path}${query}`;
    const response = await request(url, {
      method: call.method as 'GET' | 'POST',
      headers: signed.headers,
      ...(call.body ? { body: call.body } : {}),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const context = {
      url,
      method: call.method,
      service,
      region,
      signedAt,
      localNow: new Date(),
      accessKeyId: credentials.accessKeyId,
      credentialSource: credentials.sessionToken ? 'assume-role' : 'env',
      expectedRegion: 'us-east-1',
      expectedService: service,
    };
    const error = parseAwsError(
      { status: response.statusCode, headers: response.headers, body },
      context,
    );
    return { error, status: response.statusCode, context };
  }

  const writer = { accessKeyId: WRITER_KEY, secretAccessKey: WRITER_SECRET };
  const SECRETS = [
    WRITER_SECRET,
    RESTRICTED_SECRET,
    WRONG_SECRET,
    WRITER_KEY,
    UNKNOWN_KEY,
    RESTRICTED_KEY,
  ];

  function check(error: AwsError, code: string, kind: AwsErrorKind, extraSecrets: string[] = []) {
    assert.equal(error.code, code, error.toUserString());
    assert.equal(error.kind, kind, error.toUserString());
    assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(error.message.includes(`request id ${error.requestId}`));
    assertSafe(error, [...SECRETS, ...extraSecrets]);
  }

  const services = Object.keys(CALLS);
  const expected: Record<string, Record<string, [string, AwsErrorKind]>> = {
    'wrong region': {
      logs: ['InvalidSignatureException', 'signature'],
      s3: ['AuthorizationHeaderMalformed', 'signature'],
      sts: ['SignatureDoesNotMatch', 'signature'],
      ec2: ['AuthFailure', 'signature'],
      aps: ['InvalidSignatureException', 'signature'],
      'execute-api': ['InvalidSignatureException', 'signature'],
    },
    'wrong secret': {
      logs: ['InvalidSignatureException', 'signature'],
      s3: ['SignatureDoesNotMatch', 'signature'],
      sts: ['SignatureDoesNotMatch', 'signature'],
      ec2: ['AuthFailure', 'signature'],
      aps: ['InvalidSignatureException', 'signature'],
      'execute-api': ['InvalidSignatureException', 'signature'],
    },
    'stale date': {
      logs: ['InvalidSignatureException', 'clock-skew'],
      s3: ['RequestTimeTooSkewed', 'clock-skew'],
      sts: ['SignatureDoesNotMatch', 'clock-skew'],
      ec2: ['RequestExpired', 'clock-skew'],
      aps: ['InvalidSignatureException', 'clock-skew'],
      'execute-api': ['InvalidSignatureException', 'clock-skew'],
    },
    'unknown key': {
      logs: ['UnrecognizedClientException', 'unknown-key'],
      s3: ['InvalidAccessKeyId', 'unknown-key'],
      sts: ['InvalidClientTokenId', 'unknown-key'],
      ec2: ['AuthFailure', 'signature'],
      aps: ['UnrecognizedClientException', 'unknown-key'],
      'execute-api': ['UnrecognizedClientException', 'unknown-key'],
    },
    'denied action': {
      logs: ['AccessDeniedException', 'access-denied'],
      s3: ['AccessDenied', 'access-denied'],
      sts: ['AccessDenied', 'access-denied'],
      ec2: ['UnauthorizedOperation', 'access-denied'],
      aps: ['AccessDeniedException', 'access-denied'],
      'execute-api': ['AccessDeniedException', 'access-denied'],
    },
    'expired session token': {
      logs: ['ExpiredTokenException', 'expired-token'],
      s3: ['ExpiredToken', 'expired-token'],
      sts: ['ExpiredToken', 'expired-token'],
      ec2: ['RequestExpired', 'expired-token'],
      aps: ['ExpiredTokenException', 'expired-token'],
      'execute-api': ['ExpiredTokenException', 'expired-token'],
    },
  };

  for (const service of services) {
    test(`${service}: signed for the wrong region`, async () => {
      const { error } = await send(service, writer, { region: 'eu-west-1' });
      check(error, ...expected['wrong region']![service]!);
      assert.match(
        error.hint,
        /signed for region eu-west-1 but the endpoint is in us-east-1: set region: us-east-1/,
      );
    });

    test(`${service}: signed with the wrong secret`, async () => {
      const { error } = await send(service, {
        accessKeyId: WRITER_KEY,
        secretAccessKey: WRONG_SECRET,
      });
      check(error, ...expected['wrong secret']![service]!);
      assert.equal(error.retryable, false);
      assert.match(error.hint, /AKIA…E001/);
    });

    test(`${service}: signed 20 minutes ago`, async () => {
      const { error, context } = await send(service, writer, {
        signedAt: new Date(Date.now() - 20 * 60 * 1000),
      });
      check(error, ...expected['stale date']![service]!);
      assert.equal(error.retryable, true);
      const offset = clockSkewOffset(error, context.signedAt);
      assert.ok(offset !== undefined && Math.abs(offset - 20 * 60 * 1000) < 5000, String(offset));
      assert.ok(Math.abs(clockSkewOffset(error, new Date())!) < 5000);
      assert.match(error.hint, /signed 20 minutes before it reached AWS/);
    });

    test(`${service}: a key AWS does not know`, async () => {
      const { error } = await send(service, {
        accessKeyId: UNKNOWN_KEY,
        secretAccessKey: WRONG_SECRET,
      });
      check(error, ...expected['unknown key']![service]!);
      assert.match(error.hint, /AKIA…LE01/);
    });

    test(`${service}: an action the principal's policy does not allow`, async () => {
      const { error } = await send(service, {
        accessKeyId: RESTRICTED_KEY,
        secretAccessKey: RESTRICTED_SECRET,
      });
      check(error, ...expected['denied action']![service]!);
      assert.equal(error.deniedAction, CALLS[service]!.action);
      assert.equal(error.deniedPrincipal, 'arn:aws:iam::123456789012:user/restricted');
      assert.ok(
        error.deniedResource === '*' || error.deniedResource?.startsWith('arn:aws:'),
        error.deniedResource,
      );
      assert.match(
        error.hint,
        new RegExp(`may not perform ${CALLS[service]!.action} .*to user restricted`),
      );
    });
  }

  test('every service: a session token past its expiry', async () => {
    offsetMs = 0;
    const assumed = await assumeRole();
    offsetMs = 2 * 60 * 1000; // the credentials last 60 s
    try {
      for (const service of services) {
        const { error } = await send(service, assumed);
        check(error, ...expected['expired session token']![service]!, [
          assumed.secretAccessKey,
          assumed.sessionToken,
          assumed.accessKeyId,
        ]);
        assert.equal(isRefreshableAuthError(error), true, service);
        assert.match(error.hint, /Signet fetches fresh credentials/);
      }
    } finally {
      offsetMs = 0;
    }
  });

  async function assumeRole(): Promise<Required<Credentials>> {
    const call = CALLS.sts!;
    const signer = new SignatureV4({
      service: 'sts',
      region: 'us-east-1',
      credentials: writer,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        headers: { host: new URL(local.url).host, ...call.headers },
        body: call.body,
      }),
      { signingDate: new Date(clock()) },
    );
    const response = await request(`${local.url}/`, {
      method: 'POST',
      headers: signed.headers,
      body: call.body,
    });
    const xml = await response.body.text();
    assert.equal(response.statusCode, 200, xml);
    const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1] ?? '';
    return {
      accessKeyId: field('AccessKeyId'),
      secretAccessKey: field('SecretAccessKey'),
      sessionToken: field('SessionToken'),
    };
  }
});
