import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { decodeAwsChunked } from '../../../../src/local/services/s3/chunked.js';
import { signedChunkedBody, signingMaterial, unsignedTrailerBody } from './helpers.js';

// AWS's worked example of a chunked upload: 65536 + 1024 bytes of `a`, signed on 2013-05-24.
const EXAMPLE_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const EXAMPLE_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];

function awsExampleBody(): Buffer {
  const sizes = [65536, 1024, 0];
  return Buffer.concat(
    sizes.flatMap((size, i) => [
      Buffer.from(`${size.toString(16)};chunk-signature=${EXAMPLE_SIGNATURES[i]}\r\n`),
      Buffer.alloc(size, 'a'),
      Buffer.from('\r\n'),
    ]),
  );
}

const assertCode = (code: string, status?: number) => (error: unknown) => {
  assert.ok(error instanceof ServiceError, String(error));
  assert.equal(error.code, code);
  if (status !== undefined) assert.equal(error.status, status);
  return true;
};

test("AWS's documented chunked upload decodes and every chunk signature verifies", () => {
  const decoded = decodeAwsChunked(awsExampleBody(), 'signed', signingMaterial(EXAMPLE_SEED));
  assert.equal(decoded.body.length, 66560);
  assert.ok(decoded.body.equals(Buffer.alloc(66560, 'a')));
  assert.equal(decoded.trailers.size, 0);
});

test('chunks signed here with node:crypto decode to the original bytes', () => {
  const signing = signingMaterial('0'.repeat(64));
  const chunks = [Buffer.from('hello '), Buffer.from('chunked\r\nworld')];
  const decoded = decodeAwsChunked(signedChunkedBody(chunks, signing), 'signed', signing);
  assert.equal(decoded.body.toString(), 'hello chunked\r\nworld');
});

test('a tampered chunk, a wrong seed or a wrong key is SignatureDoesNotMatch', () => {
  const signing = signingMaterial(EXAMPLE_SEED);
  const tampered = awsExampleBody();
  tampered[70000 - 4000] = 'b'.charCodeAt(0);
  assert.throws(
    () => decodeAwsChunked(tampered, 'signed', signing),
    assertCode('SignatureDoesNotMatch', 403),
  );
  assert.throws(
    () => decodeAwsChunked(awsExampleBody(), 'signed', signingMaterial('1'.repeat(64))),
    assertCode('SignatureDoesNotMatch', 403),
  );
  const otherKey = { ...signing, signingKey: Buffer.alloc(32, 1) };
  assert.throws(
    () => decodeAwsChunked(awsExampleBody(), 'signed', otherKey),
    assertCode('SignatureDoesNotMatch'),
  );
});

test('a chunk moved, dropped or replayed breaks the signature chain', () => {
  const signing = signingMaterial('2'.repeat(64));
  const body = signedChunkedBody([Buffer.from('one'), Buffer.from('two')], signing).toString();
  const [first, second, final] = body.split(/(?<=\r\n)(?=[0-9a-f]+;)/);
  assert.ok(first && second && final);
  for (const reordered of [second + first + final, first + final, first + first + second + final]) {
    assert.throws(
      () => decodeAwsChunked(Buffer.from(reordered), 'signed', signing),
      assertCode('SignatureDoesNotMatch'),
    );
  }
});

test('signed chunks need the signing material of a header-signed request', () => {
  assert.throws(
    () => decodeAwsChunked(awsExampleBody(), 'signed', undefined),
    assertCode('InvalidRequest'),
  );
});

test('truncated and malformed framing is IncompleteBody', () => {
  const signing = signingMaterial(EXAMPLE_SEED);
  const body = awsExampleBody();
  for (const broken of [
    body.subarray(0, 1000),
    body.subarray(0, body.length - 2 - 88),
    Buffer.from('zz;chunk-signature=00\r\n'),
    Buffer.concat([body, Buffer.from('extra')]),
  ]) {
    assert.throws(() => decodeAwsChunked(broken, 'signed', signing), assertCode('IncompleteBody'));
  }
  assert.throws(
    () => decodeAwsChunked(Buffer.from('3\r\nabcX\r\n0\r\n\r\n'), 'unsigned-trailer', undefined),
    assertCode('IncompleteBody'),
  );
});

test('an unsigned body with trailers gives the data and the trailer headers', () => {
  const body = unsignedTrailerBody(
    [Buffer.from('abc'), Buffer.from('def')],
    ['x-amz-checksum-crc32:bTz5Iw=='],
  );
  const decoded = decodeAwsChunked(body, 'unsigned-trailer', undefined);
  assert.equal(decoded.body.toString(), 'abcdef');
  assert.deepEqual([...decoded.trailers], [['x-amz-checksum-crc32', 'bTz5Iw==']]);
  // Chunk signatures have no place in an unsigned body.
  const signing = signingMaterial(EXAMPLE_SEED);
  assert.throws(
    () => decodeAwsChunked(awsExampleBody(), 'unsigned-trailer', signing),
    assertCode('IncompleteBody'),
  );
});

// AWS's worked example of a signed body with a signed trailer (a CRC32C checksum).
const TRAILER_SEED = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
const TRAILER_CHUNK_SIGNATURES = [
  'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
  '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
  '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
];
const TRAILER_SIGNATURE = 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435';

function awsTrailerExample(checksum: string): Buffer {
  const [first, second, last] = TRAILER_CHUNK_SIGNATURES;
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${first}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${second}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(
      `\r\n0;chunk-signature=${last}\r\nx-amz-checksum-crc32c:${checksum}\r\n` +
        `x-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n\r\n`,
    ),
  ]);
}

test("AWS's documented signed body with a signed trailer verifies, trailer signature included", () => {
  const signing = signingMaterial(TRAILER_SEED);
  const decoded = decodeAwsChunked(awsTrailerExample('sOO8/Q=='), 'signed-trailer', signing);
  assert.equal(decoded.body.length, 66560);
  assert.deepEqual([...decoded.trailers], [['x-amz-checksum-crc32c', 'sOO8/Q==']]);
  // A trailer changed in flight no longer matches its signature.
  assert.throws(
    () => decodeAwsChunked(awsTrailerExample('AAAAAA=='), 'signed-trailer', signing),
    assertCode('SignatureDoesNotMatch'),
  );
  const unsignedTrailer = Buffer.from(
    awsTrailerExample('sOO8/Q==')
      .toString('latin1')
      .replace(/x-amz-trailer-signature:.*\r\n/, ''),
    'latin1',
  );
  assert.throws(
    () => decodeAwsChunked(unsignedTrailer, 'signed-trailer', signing),
    assertCode('IncompleteBody'),
  );
});
