/**
 * SigV4a checked without Signet's own canonicalization and without AWS's test
 * suite on disk: this file derives the ECDSA key from the access key pair as
 * the SigV4a spec says (NIST SP 800-108 counter-mode KDF, HMAC-SHA256, key
 * "AWS4A" + secret), builds the canonical request and string to sign by the
 * spec's rules, and verifies Signet's signature with Node's crypto.verify.
 */
import type { KeyObject } from 'node:crypto';
import { createECDH, createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Signer, type SignedRequest } from '../../../src/aws/sigv4/index.js';
import { runSignet } from '../../helpers/run-cli.js';

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const LABEL = 'AWS4-ECDSA-P256-SHA256';

/** The SigV4a key pair's public half, derived here from the spec, not by Signet. */
function sigV4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  for (let counter = 1; counter <= 254; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]), // the KDF's iteration counter i = 1: one 256-bit block
      Buffer.from(LABEL),
      Buffer.from([0]),
      Buffer.from(accessKeyId),
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]), // L = 256 bits
    ]);
    const candidate = createHmac('sha256', `AWS4A${secretAccessKey}`).update(fixedInput).digest();
    const c = BigInt(`0x${candidate.toString('hex')}`);
    if (c > P256_ORDER - 2n) continue;
    const d = Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 04 || X || Y
    return createPublicKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
    });
  }
  throw new Error('no key in 254 tries: the spec says this cannot happen');
}

/** RFC 3986 unreserved characters stay; everything else is %XX in upper case. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

interface SpecRequest {
  readonly method: string;
  readonly host: string;
  /** Decoded path segments, e.g. ['workspaces', 'ws 1']. */
  readonly segments: readonly string[];
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The string to sign by the spec's rules, from what the test knows was sent. */
function specStringToSign(
  request: SpecRequest,
  service: string,
  amzDate: string,
  sent: Readonly<Record<string, string>>,
  signedHeaderNames: readonly string[],
): string {
  const isS3 = service === 's3';
  // Non-S3 services encode each segment twice: once on the wire, once for the canonical URI.
  const path =
    '/' +
    request.segments
      .map((s) => uriEncode(s))
      .map((s) => (isS3 ? s : uriEncode(s)))
      .join('/');
  const query = request.query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const lower = new Map(Object.entries(sent).map(([k, v]) => [k.toLowerCase(), v]));
  const headerBlock = [...signedHeaderNames]
    .sort()
    .map((name) => `${name}:${(lower.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = lower.get('x-amz-content-sha256') ?? sha256(request.body);
  const canonical = [
    request.method,
    path,
    query,
    headerBlock,
    [...signedHeaderNames].sort().join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${amzDate.slice(0, 8)}/${service}/aws4_request`;
  return [LABEL, amzDate, scope, sha256(canonical)].join('\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function assertVerifies(stringToSign: string, signatureHex: string, key: KeyObject): void {
  assert.ok(
    verify('sha256', Buffer.from(stringToSign, 'utf8'), key, Buffer.from(signatureHex, 'hex')),
    `the signature does not verify over the spec's string to sign:\n${stringToSign}`,
  );
}

const AT = new Date(Date.UTC(2026, 2, 4, 5, 6, 7));
const AMZ_DATE = '20260304T050607Z';

test('the key derivation written here from the spec gives the public key AWS publishes', () => {
  // aws-c-auth's v4a test suite, get-vanilla/public-key.json, for AKIDEXAMPLE.
  const jwk = sigV4aPublicKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY').export({
    format: 'jwk',
  });
  assert.equal(
    Buffer.from(jwk.x!, 'base64url').toString('hex'),
    'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1',
  );
  assert.equal(
    Buffer.from(jwk.y!, 'base64url').toString('hex'),
    '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518',
  );
});

const CASES: ReadonlyArray<{
  readonly name: string;
  readonly service: string;
  readonly regionSet: readonly string[];
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly request: SpecRequest;
}> = [
  {
    name: 'a POST to CloudWatch Logs with a session token, for all regions',
    service: 'logs',
    regionSet: ['*'],
    credentials: {
      accessKeyId: 'ASIAEXAMPLE1234567890',
      secretAccessKey: 'fK9d/2mXq+PzR7uQeL0vT8sWbN4cYjH3aG6iE1oA',
      sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=',
    },
    request: {
      method: 'POST',
      host: 'logs.us-east-1.amazonaws.com',
      segments: [''],
      query: [],
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'Logs_20140328.PutLogEvents',
        'User-Agent': 'not signed under the minimal policy',
      },
      body: '{"logGroupName":"g","logStreamName":"s","logEvents":[]}',
    },
  },
  {
    name: 'a GET with an encoded path and repeated, unsorted query keys, for two regions',
    service: 'execute-api',
    regionSet: ['us-east-1', 'eu-west-1'],
    credentials: { accessKeyId: 'AKIAEXAMPLEKEY000001', secretAccessKey: 'a'.repeat(40) },
    request: {
      method: 'GET',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      segments: ['prod', 'items', 'ሴ x:y'],
      query: [
        ['z', '1'],
        ['a b', 'c&d'],
        ['a', '2'],
        ['a', '1'],
      ],
      headers: { 'Content-Type': '  text/plain   charset  ' },
      body: '',
    },
  },
  {
    name: 'an S3 PUT, whose path is encoded once and payload hash is sent',
    service: 's3',
    regionSet: ['us-east-1', 'us-west-2'],
    credentials: { accessKeyId: 'AKIAEXAMPLEKEY000002', secretAccessKey: 'Zz9/+'.repeat(8) },
    request: {
      method: 'PUT',
      host: 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com',
      segments: ['logs', '2026', 'file name.txt'],
      query: [],
      headers: { 'X-Amz-Meta-Owner': 'team a' },
      body: 'hello',
    },
  },
];

for (const c of CASES) {
  test(`SigV4a: ${c.name} verifies against the spec's string to sign`, () => {
    const signer = new SigV4Signer({
      service: c.service,
      region: c.regionSet[0]!,
      algorithm: 'sigv4a',
      regionSet: c.regionSet,
    });
    const wirePath = '/' + c.request.segments.map(uriEncode).join('/');
    const signed: SignedRequest = signer.sign(
      {
        method: c.request.method,
        host: c.request.host,
        path: wirePath,
        query: Object.fromEntries(
          Object.entries(
            c.request.query.reduce<Record<string, string[]>>((all, [k, v]) => {
              (all[k] ??= []).push(v);
              return all;
            }, {}),
          ),
        ),
        headers: c.request.headers,
        body: c.request.body,
      },
      c.credentials,
      { signingDate: AT },
    );
    assert.equal(signed.headers['x-amz-date'], AMZ_DATE);
    assert.equal(signed.headers['x-amz-region-set'], c.regionSet.join(','));
    // What the spec requires signed, plus what this file chose to send; never user-agent.
    const expectedSigned = [
      'host',
      'x-amz-date',
      'x-amz-region-set',
      ...Object.keys(c.request.headers)
        .map((n) => n.toLowerCase())
        .filter((n) => n !== 'user-agent'),
      ...(c.credentials.sessionToken ? ['x-amz-security-token'] : []),
      ...(c.service === 's3' ? ['x-amz-content-sha256'] : []),
    ].sort();
    const sent = { host: c.request.host, ...c.request.headers, ...signed.headers };
    const stringToSign = specStringToSign(c.request, c.service, AMZ_DATE, sent, expectedSigned);
    const authorization = signed.headers.authorization ?? '';
    assert.equal(
      authorization,
      `${LABEL} Credential=${c.credentials.accessKeyId}/${AMZ_DATE.slice(0, 8)}/${c.service}/aws4_request, SignedHeaders=${expectedSigned.join(';')}, Signature=${signed.signature}`,
    );
    const key = sigV4aPublicKey(c.credentials.accessKeyId, c.credentials.secretAccessKey);
    assertVerifies(stringToSign, signed.signature, key);
    // The same signature over a string to sign one byte off must fail: the check has teeth.
    assert.ok(
      !verify('sha256', Buffer.from(stringToSign + ' '), key, Buffer.from(signed.signature, 'hex')),
    );
  });
}

test('SigV4a: `signet sign --sigv4a --explain --json` (a child process) verifies against the spec', async () => {
  const credentials = { accessKeyId: 'AKIAEXAMPLEKEY000003', secretAccessKey: 'b'.repeat(40) };
  const result = await runSignet(
    [
      'sign',
      '--sigv4a',
      '--explain',
      '--json',
      '--region',
      '*',
      '--service',
      'aps',
      '--date',
      AMZ_DATE,
      '-H',
      'Content-Type: application/x-protobuf',
      '--data',
      'samples',
      'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
    ],
    {
      env: {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    },
  );
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { signature: string; headers: Record<string, string> };
  const request: SpecRequest = {
    method: 'POST',
    host: 'aps-workspaces.us-east-1.amazonaws.com',
    segments: ['workspaces', 'ws-1', 'api', 'v1', 'remote_write'],
    query: [],
    headers: { 'Content-Type': 'application/x-protobuf' },
    body: 'samples',
  };
  const stringToSign = specStringToSign(request, 'aps', AMZ_DATE, json.headers, [
    'content-type',
    'host',
    'x-amz-date',
    'x-amz-region-set',
  ]);
  assert.equal(json.headers['x-amz-region-set'], '*');
  assertVerifies(
    stringToSign,
    json.signature,
    sigV4aPublicKey(credentials.accessKeyId, credentials.secretAccessKey),
  );
});

test('SigV4a: a presigned S3 URL verifies against the string to sign built from its own query', () => {
  const credentials = {
    accessKeyId: 'ASIAEXAMPLEKEY000004',
    secretAccessKey: 'c/d+'.repeat(10),
    sessionToken: 'FwoGZXIvYXdzEXAMPLE/token+value==',
  };
  const signer = new SigV4Signer({
    service: 's3',
    region: 'us-east-1',
    algorithm: 'sigv4a',
    regionSet: ['*'],
  });
  const host = 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com';
  const signed = signer.presign(
    {
      method: 'GET',
      host,
      path: '/reports/2026/q1.csv',
      query: { 'response-content-type': 'text/csv' },
    },
    credentials,
    { signingDate: AT, expiresIn: 900 },
  );
  // Everything the URL carries but the signature is signed, as the spec says.
  const params = [...new URLSearchParams(signed.query)].filter(([k]) => k !== 'X-Amz-Signature');
  const expected = new Map<string, string>([
    ['X-Amz-Algorithm', LABEL],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${AMZ_DATE.slice(0, 8)}/s3/aws4_request`],
    ['X-Amz-Date', AMZ_DATE],
    ['X-Amz-Expires', '900'],
    ['X-Amz-Region-Set', '*'],
    ['X-Amz-SignedHeaders', 'host'],
    ['X-Amz-Security-Token', credentials.sessionToken],
    ['response-content-type', 'text/csv'],
  ]);
  assert.deepEqual(new Map(params), expected);
  // Sorted by encoded name (no name here repeats, so values need no tie-break).
  const canonicalQuery = params
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/reports/2026/q1.csv',
    canonicalQuery,
    `host:${host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    LABEL,
    AMZ_DATE,
    `${AMZ_DATE.slice(0, 8)}/s3/aws4_request`,
    sha256(canonical),
  ].join('\n');
  const signature = new URLSearchParams(signed.query).get('X-Amz-Signature') ?? '';
  assertVerifies(
    stringToSign,
    signature,
    sigV4aPublicKey(credentials.accessKeyId, credentials.secretAccessKey),
  );
});
