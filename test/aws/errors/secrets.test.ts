/** No message, hint or field of an AwsError carries a secret, a session token or an unmasked key id. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import { assertSafe } from './assert-safe.js';
import * as f from './fixtures.js';

const CONTEXT = {
  accessKeyId: f.KEY_ID,
  credentialSource: 'env',
  service: 's3',
  region: 'us-east-1',
  url: `https://user:${f.FAKE_SECRET}@bucket.s3.amazonaws.com/k?X-Amz-Security-Token=${encodeURIComponent(f.FAKE_SESSION_TOKEN)}&X-Amz-Signature=abc`,
  canonicalRequest: `GET\n/k\n\nhost:bucket.s3.amazonaws.com\nx-amz-security-token:${f.FAKE_SESSION_TOKEN}\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD`,
  stringToSign: 'AWS4-HMAC-SHA256\n20190814T102134Z\n20190814/us-east-1/s3/aws4_request\nabc',
};

describe('secrets stay out', () => {
  test('every fixture, with a context full of secrets', () => {
    for (const [name, fixture] of Object.entries(f)) {
      if (typeof fixture !== 'object') continue;
      const error = parseAwsError(fixture, CONTEXT);
      assertSafe(error, [f.FAKE_SECRET, f.FAKE_SESSION_TOKEN, f.KEY_ID]);
      assert.ok(!error.message.includes('X-Amz-Signature'), name);
    }
  });

  test("the session token S3 echoes in <CanonicalRequest> is redacted; AWS's key id is masked", () => {
    const error = parseAwsError(f.S3_MISMATCH_WITH_TOKEN, {
      ...CONTEXT,
      accessKeyId: 'ASIA4PCWGNV57TQ5DMFB',
    });
    assertSafe(error, [f.FAKE_SESSION_TOKEN, 'ASIA4PCWGNV57TQ5DMFB']);
    assert.match(error.awsCanonicalRequest ?? '', /x-amz-security-token:<redacted>/);
  });

  test('the session token AMP quotes in its message is redacted', () => {
    const error = parseAwsError(f.AMP_SIGNATURE_MISMATCH, CONTEXT);
    assertSafe(error, [f.FAKE_SESSION_TOKEN]);
    assert.match(error.awsMessage, /x-amz-security-token:<redacted>/);
  });

  test('key ids AWS echoes in messages are masked', () => {
    const error = parseAwsError(
      {
        status: 403,
        headers: {},
        body: `<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id AKIAZZZZZZZZZZZZZZZZ you provided (or ${f.KEY_ID}) does not exist; token ${f.FAKE_SESSION_TOKEN}</Message></Error>`,
      },
      CONTEXT,
    );
    assertSafe(error, [f.KEY_ID, 'AKIAZZZZZZZZZZZZZZZZ', f.FAKE_SESSION_TOKEN]);
    assert.match(error.awsMessage, /AKIA…ZZZZ/);
  });

  test('URLs lose user info, query and fragment', () => {
    const error = parseAwsError(f.S3_SLOW_DOWN, CONTEXT);
    assert.equal(error.url, 'https://bucket.s3.amazonaws.com/k');
    assert.ok(!error.message.includes('user'));
  });
});
