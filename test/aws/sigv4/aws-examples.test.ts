/**
 * AWS's own published example signatures, as literal expected values, so the
 * suite does not depend on ../shared. Sources: the AWS General Reference
 * SigV4 walk-through (IAM ListUsers, 2015-08-30) and the Amazon S3 API
 * Reference "Examples: Signature Calculations in AWS Signature Version 4"
 * (2013-05-24); the SigV4a public key is the aws-c-auth suite's
 * public-key.json for its example credentials.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSigV4aKeyPair, SigV4Signer } from '../../../src/aws/sigv4/index.js';
import { sigV4SigningKey } from '../../../src/aws/sigv4/signing-key.js';

const S3_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const GENERAL_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const S3_DATE = new Date('2013-05-24T00:00:00Z');
const S3_HOST = 'examplebucket.s3.amazonaws.com';
// The S3 examples sign every header the request has (Range, Date…), so use the `all` policy.
const s3 = new SigV4Signer({ service: 's3', region: 'us-east-1', headerPolicy: 'all' });

test('General Reference: the derived signing key for 20150830/us-east-1/iam', () => {
  const key = sigV4SigningKey(GENERAL_CREDENTIALS.secretAccessKey, '20150830', 'us-east-1', 'iam');
  assert.equal(
    key.key.toString('hex'),
    'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
  );
});

test('General Reference: IAM ListUsers', () => {
  const iam = new SigV4Signer({ service: 'iam', region: 'us-east-1' });
  const signed = iam.sign(
    {
      method: 'GET',
      host: 'iam.amazonaws.com',
      path: '/',
      query: 'Action=ListUsers&Version=2010-05-08',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    },
    GENERAL_CREDENTIALS,
    { signingDate: new Date('2015-08-30T12:36:00Z') },
  );
  assert.equal(
    signed.canonicalRequest,
    'GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.equal(
    signed.stringToSign,
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
  );
  assert.equal(
    signed.headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  );
});

test('S3: GET object with Range', () => {
  const signed = s3.sign(
    { method: 'GET', host: S3_HOST, path: '/test.txt', headers: { Range: 'bytes=0-9' } },
    S3_CREDENTIALS,
    { signingDate: S3_DATE },
  );
  assert.equal(
    signed.headers['x-amz-content-sha256'],
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.equal(
    signed.headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
});

test('S3: PUT object, a `$` in the key encoded once', () => {
  const signed = s3.sign(
    {
      method: 'PUT',
      host: S3_HOST,
      path: '/test$file.text',
      headers: {
        Date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      },
      body: 'Welcome to Amazon S3.',
    },
    S3_CREDENTIALS,
    { signingDate: S3_DATE },
  );
  assert.match(signed.canonicalRequest, /^PUT\n\/test%24file\.text\n/);
  assert.equal(
    signed.headers['x-amz-content-sha256'],
    '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
  );
  assert.equal(
    signed.signature,
    '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
  );
});

test('S3: GET bucket lifecycle, a query key without a value', () => {
  const signed = s3.sign(
    { method: 'GET', host: S3_HOST, path: '/', query: 'lifecycle' },
    S3_CREDENTIALS,
    { signingDate: S3_DATE },
  );
  assert.match(signed.canonicalRequest, /^GET\n\/\nlifecycle=\n/);
  assert.equal(
    signed.signature,
    'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
  );
});

test('S3: list objects', () => {
  const signed = s3.sign(
    { method: 'GET', host: S3_HOST, path: '/', query: { 'max-keys': 2, prefix: 'J' } },
    S3_CREDENTIALS,
    { signingDate: S3_DATE },
  );
  assert.equal(
    signed.signature,
    '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
  );
});

test('S3: presigned GET valid for a day', () => {
  const signed = s3.presign({ method: 'GET', host: S3_HOST, path: '/test.txt' }, S3_CREDENTIALS, {
    signingDate: S3_DATE,
    expiresIn: 86400,
  });
  assert.equal(
    signed.query,
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  );
  assert.equal(
    signed.headers['x-amz-date'],
    undefined,
    'a presigned request carries its date in the query',
  );
});

test('SigV4a: the key pair derived from the example credentials is the published public key', () => {
  const pair = deriveSigV4aKeyPair(
    GENERAL_CREDENTIALS.accessKeyId,
    GENERAL_CREDENTIALS.secretAccessKey,
  );
  assert.equal(
    pair.x.toString('hex'),
    'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1',
  );
  assert.equal(
    pair.y.toString('hex'),
    '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518',
  );
});
