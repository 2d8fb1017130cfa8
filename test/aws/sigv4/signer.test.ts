import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigningError, SigV4Signer, UNSIGNED_PAYLOAD } from '../../../src/aws/sigv4/index.js';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const WITH_TOKEN = { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN/+=' };
const AT = new Date('2024-02-29T23:59:59Z');
const HOST = 'aps-workspaces.us-east-1.amazonaws.com';

const signedList = (authorization: string | undefined) =>
  /SignedHeaders=([^,]+)/.exec(authorization ?? '')?.[1];

test('the minimal policy signs host, x-amz-* and content headers, and nothing a proxy rewrites', () => {
  const signer = new SigV4Signer({ service: 'aps', region: 'us-east-1' });
  const signed = signer.sign(
    {
      method: 'POST',
      host: HOST,
      path: '/workspaces/ws-1/api/v1/remote_write',
      headers: {
        'Content-Type': 'application/x-protobuf',
        'Content-Encoding': 'snappy',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
        'User-Agent': 'signet/0.1',
        'Accept-Encoding': 'gzip',
        'X-Forwarded-For': '10.0.0.1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'X-Amz-Target': 'Logs_20140328.PutLogEvents',
        Connection: 'keep-alive',
      },
      body: 'x',
    },
    CREDENTIALS,
    { signingDate: AT },
  );
  assert.equal(
    signedList(signed.headers.authorization),
    'content-encoding;content-type;host;x-amz-date;x-amz-target',
  );
  // Unsigned headers are still sent.
  assert.equal(signed.headers['User-Agent'], 'signet/0.1');
  assert.equal(signed.headers.host, HOST);
});

test('signHeaders adds to the minimal policy; unsignedHeaders and hop-by-hop headers stay out', () => {
  const request = {
    method: 'GET',
    host: HOST,
    path: '/',
    headers: {
      'X-Custom': 'a',
      'User-Agent': 'b',
      'Transfer-Encoding': 'chunked',
      'x-amz-meta-a': 'c',
    },
  };
  const minimal = new SigV4Signer({
    service: 'aps',
    region: 'us-east-1',
    signHeaders: ['x-custom', 'transfer-encoding'],
  });
  assert.equal(
    signedList(minimal.sign(request, CREDENTIALS).headers.authorization),
    'host;x-amz-date;x-amz-meta-a;x-custom',
  );
  const all = new SigV4Signer({
    service: 'aps',
    region: 'us-east-1',
    headerPolicy: 'all',
    unsignedHeaders: ['User-Agent'],
  });
  assert.equal(
    signedList(all.sign(request, CREDENTIALS).headers.authorization),
    'host;x-amz-date;x-amz-meta-a;x-custom',
  );
});

test('header values are trimmed, inner white space folded, repeats joined with commas', () => {
  const signer = new SigV4Signer({ service: 'service', region: 'us-east-1', headerPolicy: 'all' });
  const signed = signer.sign(
    {
      method: 'GET',
      host: 'example.amazonaws.com',
      path: '/',
      headers: { 'My-Header': ['  a \t b ', 'c'], 'my-header': 'd   e' },
    },
    CREDENTIALS,
    { signingDate: AT },
  );
  assert.match(signed.canonicalRequest, /\nmy-header:a b,c,d e\n/);
});

test('a session token is sent and signed, or sent unsigned on request', () => {
  const signer = new SigV4Signer({ service: 'aps', region: 'us-east-1' });
  const signed = signer.sign({ method: 'GET', host: HOST, path: '/' }, WITH_TOKEN, {
    signingDate: AT,
  });
  assert.equal(signed.headers['x-amz-security-token'], WITH_TOKEN.sessionToken);
  assert.equal(signedList(signed.headers.authorization), 'host;x-amz-date;x-amz-security-token');
  const after = signer.sign({ method: 'GET', host: HOST, path: '/' }, WITH_TOKEN, {
    signingDate: AT,
    signSessionToken: false,
  });
  assert.equal(after.headers['x-amz-security-token'], WITH_TOKEN.sessionToken);
  assert.equal(signedList(after.headers.authorization), 'host;x-amz-date');
});

test("headers the signer owns replace the caller's, whatever their case", () => {
  const signer = new SigV4Signer({ service: 'aps', region: 'us-east-1' });
  const signed = signer.sign(
    {
      method: 'GET',
      host: HOST,
      path: '/',
      headers: { 'X-Amz-Date': '19990101T000000Z', Authorization: 'Bearer x' },
    },
    CREDENTIALS,
    { signingDate: AT },
  );
  assert.equal(signed.headers['x-amz-date'], '20240229T235959Z');
  assert.equal(signed.headers['X-Amz-Date'], undefined);
  assert.equal(signed.headers.Authorization, undefined);
  assert.match(
    signed.headers.authorization!,
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240229\/us-east-1\/aps\/aws4_request, /,
  );
});

test('S3 sends x-amz-content-sha256, honours UNSIGNED-PAYLOAD and a hash the caller computed', () => {
  const signer = new SigV4Signer({ service: 's3', region: 'us-west-2' });
  const request = {
    method: 'PUT',
    host: 'bucket.s3.us-west-2.amazonaws.com',
    path: '/a%20b/c~d',
    body: new Uint8Array([1, 2, 3]),
  };
  const hashed = signer.sign(request, CREDENTIALS, { signingDate: AT });
  assert.equal(
    hashed.headers['x-amz-content-sha256'],
    '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
  );
  assert.match(hashed.canonicalRequest, /^PUT\n\/a%20b\/c~d\n/);
  const unsigned = signer.sign(request, CREDENTIALS, { signingDate: AT, unsignedPayload: true });
  assert.equal(unsigned.headers['x-amz-content-sha256'], UNSIGNED_PAYLOAD);
  assert.ok(unsigned.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD'));
  const given = signer.sign(
    { ...request, headers: { 'X-Amz-Content-Sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } },
    CREDENTIALS,
  );
  assert.ok(given.canonicalRequest.endsWith('\nSTREAMING-AWS4-HMAC-SHA256-PAYLOAD'));
});

test('paths: normalised and encoded twice by default, as given for S3, both switchable', () => {
  const path = '/a/./b/../c//d%3A e';
  const uriOf = (signer: SigV4Signer) =>
    signer.sign({ method: 'GET', host: HOST, path }, CREDENTIALS).canonicalRequest.split('\n')[1];
  assert.equal(uriOf(new SigV4Signer({ service: 'logs', region: 'us-east-1' })), '/a/c/d%253A%20e');
  assert.equal(
    uriOf(new SigV4Signer({ service: 's3', region: 'us-east-1' })),
    '/a/./b/../c//d%3A%20e',
  );
  assert.equal(
    uriOf(new SigV4Signer({ service: 'logs', region: 'us-east-1', normalizePath: false })),
    '/a/./b/../c//d%253A%20e',
  );
  assert.equal(
    uriOf(new SigV4Signer({ service: 's3', region: 'us-east-1', normalizePath: true })),
    '/a/c/d%3A%20e',
  );
  assert.equal(
    uriOf(new SigV4Signer({ service: 'logs', region: 'us-east-1', uriEscapePath: false })),
    '/a/c/d%3A%20e',
  );
});

test('query: RFC 3986 encoding, sorted by key then value, repeated and valueless keys', () => {
  const signer = new SigV4Signer({ service: 'aps', region: 'us-east-1' });
  const fromObject = signer.sign(
    {
      method: 'GET',
      host: HOST,
      path: '/',
      query: { b: ['2', '1'], a: null, 'c d': "!'()*+~", é: '' },
    },
    CREDENTIALS,
  );
  assert.equal(fromObject.query, '%C3%A9=&a=&b=1&b=2&c%20d=%21%27%28%29%2A%2B~');
  const fromString = signer.sign(
    { method: 'GET', host: HOST, path: '/', query: "b=2&b=1&a&c%20d=!'()*+~&%C3%A9=" },
    CREDENTIALS,
  );
  assert.equal(fromString.query, fromObject.query);
});

test('the clock is injectable and an explicit signing date wins', () => {
  const signer = new SigV4Signer({
    service: 'aps',
    region: 'us-east-1',
    clock: () => Date.UTC(2030, 0, 2, 3, 4, 5),
  });
  assert.equal(
    signer.sign({ method: 'GET', host: HOST, path: '/' }, CREDENTIALS).headers['x-amz-date'],
    '20300102T030405Z',
  );
  assert.equal(
    signer.sign({ method: 'GET', host: HOST, path: '/' }, CREDENTIALS, { signingDate: AT }).headers[
      'x-amz-date'
    ],
    '20240229T235959Z',
  );
});

test('presigned URLs carry the token, expire in 1 s to 7 days, and refuse anything else', () => {
  const signer = new SigV4Signer({ service: 'execute-api', region: 'eu-west-1' });
  const url = signer.presign(
    { method: 'GET', host: 'abc.execute-api.eu-west-1.amazonaws.com', path: '/prod/metrics' },
    WITH_TOKEN,
    { signingDate: AT, expiresIn: 604800 },
  );
  const params = new URLSearchParams(url.query);
  assert.equal(params.get('X-Amz-Expires'), '604800');
  assert.equal(params.get('X-Amz-Security-Token'), WITH_TOKEN.sessionToken);
  assert.equal(params.get('X-Amz-Signature'), url.signature);
  assert.match(url.canonicalRequest, /X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D/);
  for (const expiresIn of [0, 604801, 1.5, Number.NaN]) {
    assert.throws(
      () => signer.presign({ method: 'GET', host: HOST, path: '/' }, CREDENTIALS, { expiresIn }),
      (e: unknown) => e instanceof SigningError && /7 days/.test(e.hint ?? ''),
    );
  }
});

test('bad input is a SigningError with a hint, never a crash', () => {
  const signer = new SigV4Signer({ service: 'aps', region: 'us-east-1' });
  assert.throws(
    () => signer.sign({ method: 'GET', path: '/' }, CREDENTIALS),
    (e: unknown) => e instanceof SigningError && /Host/.test(e.hint ?? ''),
  );
  assert.throws(
    () =>
      signer.sign(
        { method: 'GET', host: HOST, path: '/' },
        { accessKeyId: 'AKID', secretAccessKey: '' },
      ),
    SigningError,
  );
  assert.throws(() => new SigV4Signer({ service: 'aps', region: '' }), SigningError);
  assert.throws(
    () =>
      signer.sign({ method: 'GET', host: HOST, path: '/' }, CREDENTIALS, {
        signingDate: new Date('nope'),
      }),
    SigningError,
  );
});

test('SigV4a: region set in header and query form, signature verifies with the published public key', () => {
  const publicKey = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(
        'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1',
        'hex',
      ).toString('base64url'),
      y: Buffer.from(
        '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518',
        'hex',
      ).toString('base64url'),
    },
  });
  const signer = new SigV4Signer({
    service: 's3',
    region: 'us-east-1',
    algorithm: 'sigv4a',
    regionSet: ['us-east-1', 'eu-west-1'],
  });
  const request = {
    method: 'GET',
    host: 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com',
    path: '/key',
  };
  const signed = signer.sign(request, CREDENTIALS, { signingDate: AT });
  assert.equal(signed.headers['x-amz-region-set'], 'us-east-1,eu-west-1');
  assert.match(
    signed.headers.authorization!,
    /^AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE\/20240229\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, /,
  );
  assert.ok(
    verify(
      'sha256',
      Buffer.from(signed.stringToSign),
      publicKey,
      Buffer.from(signed.signature, 'hex'),
    ),
  );
  const url = signer.presign(request, CREDENTIALS, { signingDate: AT });
  const params = new URLSearchParams(url.query);
  assert.equal(params.get('X-Amz-Region-Set'), 'us-east-1,eu-west-1');
  assert.equal(params.get('X-Amz-Algorithm'), 'AWS4-ECDSA-P256-SHA256');
  assert.ok(
    verify(
      'sha256',
      Buffer.from(url.stringToSign),
      publicKey,
      Buffer.from(params.get('X-Amz-Signature')!, 'hex'),
    ),
  );
});
