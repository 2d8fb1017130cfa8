/** Expired and unknown credentials: hints name the source, the masked key and the likely cause. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

describe('expired-token hints', () => {
  test('a refreshing source: Signet refreshes; what to check if it keeps happening', () => {
    const error = parseAwsError(f.STS_EXPIRED_TOKEN, {
      accessKeyId: f.TEMP_KEY_ID,
      credentialSource: 'web-identity',
    });
    assert.equal(error.kind, 'expired-token');
    assert.match(
      error.hint,
      /The session token from the web identity token has expired\. Signet fetches fresh credentials/,
    );
    assert.match(error.hint, /AWS_WEB_IDENTITY_TOKEN_FILE\) is being rotated/);
    for (const [source, words] of [
      ['imds', /EC2 instance profile.*hop limit/],
      ['assume-role', /assumed role.*MaxSessionDuration/],
      ['ecs', /container credentials endpoint/],
      ['sso', /aws sso login/],
      ['vault-plugin', /'vault-plugin'.*check where the credentials come from/],
    ] as const) {
      assert.match(parseAwsError(f.STS_EXPIRED_TOKEN, { credentialSource: source }).hint, words);
    }
  });

  test('a static source: Signet cannot renew what it was handed', () => {
    const error = parseAwsError(f.STS_EXPIRED_TOKEN, { credentialSource: 'env' });
    assert.match(error.hint, /from the environment variables has expired, and Signet cannot renew/);
  });

  test('a wrong clock is mentioned when the Date header shows it', () => {
    const error = parseAwsError(
      { ...f.STS_EXPIRED_TOKEN, headers: { date: 'Mon, 01 Jan 2024 00:00:00 GMT' } },
      { credentialSource: 'imds', localNow: new Date('2024-01-01T00:30:00Z') },
    );
    assert.match(error.hint, /Your clock is also 30 minutes ahead/);
  });
});

describe('unknown-key hints', () => {
  test('a long-term key: deleted, deactivated or another partition', () => {
    const error = parseAwsError(f.STS_INVALID_CLIENT_TOKEN, {
      accessKeyId: f.KEY_ID,
      credentialSource: 'profile',
      region: 'cn-north-1',
    });
    assert.equal(error.kind, 'unknown-key');
    assert.match(
      error.hint,
      /AWS does not know key AKIA…MPLE \(from the shared credentials file\) in the China partition \(aws-cn\) \(region cn-north-1\)/,
    );
    assert.match(error.hint, /deleted or deactivated/);
    assert.match(error.hint, /GovCloud/);
  });

  test('a temporary key: it needs its session token', () => {
    const error = parseAwsError(
      {
        status: 403,
        headers: {},
        body: '<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>ASIAQWERTYUIOPEXAMPL</AWSAccessKeyId><RequestId>R</RequestId></Error>',
      },
      { accessKeyId: f.TEMP_KEY_ID, region: 'us-gov-west-1' },
    );
    assert.match(error.hint, /key ASIA…AMPL in the GovCloud partition/);
    assert.match(error.hint, /ASIA… keys are temporary and need their session token/);
  });

  test("S3's InvalidToken: the session token does not go with the key", () => {
    const error = parseAwsError(
      {
        status: 400,
        headers: {},
        body: '<Error><Code>InvalidToken</Code><Message>The provided token is malformed or otherwise invalid.</Message><RequestId>R</RequestId></Error>',
      },
      { accessKeyId: f.TEMP_KEY_ID },
    );
    assert.equal(error.kind, 'unknown-key');
    assert.match(error.hint, /does not accept the session token sent with key ASIA…AMPL/);
  });
});
