/** Each failure lands in its kind, whatever the protocol calls it, and retryable follows the kind. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isRefreshableAuthError,
  parseAwsError,
  type AwsErrorKind,
} from '../../../src/aws/errors/index.js';

function json(status: number, code: string, message = 'm') {
  return { status, headers: { 'x-amzn-errortype': code }, body: JSON.stringify({ message }) };
}

describe('kinds by code', () => {
  const table: Record<AwsErrorKind, Array<[string, number]>> = {
    signature: [
      ['SignatureDoesNotMatch', 403],
      ['IncompleteSignature', 400],
      ['InvalidSignatureException', 400],
      ['AuthorizationHeaderMalformed', 400],
      ['AuthFailure', 401],
      ['MissingAuthenticationTokenException', 403],
    ],
    'clock-skew': [
      ['RequestTimeTooSkewed', 403],
      ['RequestExpired', 400],
      ['RequestInTheFuture', 403],
    ],
    'expired-token': [
      ['ExpiredToken', 400],
      ['ExpiredTokenException', 400],
      ['TokenRefreshRequired', 400],
    ],
    'unknown-key': [
      ['InvalidClientTokenId', 403],
      ['UnrecognizedClientException', 400],
      ['InvalidAccessKeyId', 403],
      ['InvalidToken', 400],
    ],
    'access-denied': [
      ['AccessDenied', 403],
      ['AccessDeniedException', 400],
      ['UnauthorizedOperation', 403],
      ['ForbiddenException', 403],
    ],
    throttling: [
      ['Throttling', 400],
      ['ThrottlingException', 400],
      ['ThrottledException', 400],
      ['TooManyRequestsException', 429],
      ['RequestLimitExceeded', 503],
      ['SlowDown', 503],
      ['ProvisionedThroughputExceededException', 400],
      ['RequestThrottled', 400],
      ['LimitExceededException', 400],
    ],
    server: [
      ['InternalFailure', 500],
      ['InternalError', 500],
      ['ServiceUnavailable', 503],
      ['ServiceUnavailableException', 503],
      ['SomethingNew', 502],
    ],
    'not-found': [
      ['ResourceNotFoundException', 400],
      ['NoSuchBucket', 404],
      ['NoSuchKey', 404],
      ['InvalidInstanceID.NotFound', 400],
    ],
    'invalid-request': [
      ['ValidationException', 400],
      ['InvalidParameterValue', 400],
      ['OptInRequired', 403],
      ['SerializationException', 400],
    ],
  };
  for (const [kind, codes] of Object.entries(table)) {
    for (const [code, status] of codes) {
      test(`${code} (${status}) → ${kind}`, () => {
        const error = parseAwsError(json(status, code));
        assert.equal(error.code, code);
        assert.equal(error.kind, kind);
        const retryable = ['throttling', 'server', 'clock-skew', 'expired-token'].includes(kind);
        assert.equal(error.retryable, retryable);
      });
    }
  }
});

describe('kinds by message, status and context', () => {
  test('a signature error whose message says the time is off is clock skew', () => {
    for (const message of [
      'Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T002500Z - 15 min.)',
      'Signature not yet current: 20240101T003000Z is still later than 20240101T001000Z (20231231T235500Z + 15 min.)',
      'The request time is too skewed',
    ]) {
      assert.equal(parseAwsError(json(403, 'SignatureDoesNotMatch', message)).kind, 'clock-skew');
    }
    assert.equal(
      parseAwsError(json(403, 'SignatureDoesNotMatch', 'The request signature we calculated…'))
        .kind,
      'signature',
    );
  });

  test('without a code, the message decides, then the status', () => {
    const text = (status: number, body: string) => parseAwsError({ status, headers: {}, body });
    assert.equal(
      text(400, 'The security token included in the request is expired').kind,
      'expired-token',
    );
    assert.equal(
      text(403, 'The security token included in the request is invalid.').kind,
      'unknown-key',
    );
    assert.equal(text(400, 'Rate exceeded').kind, 'throttling');
    assert.equal(text(429, 'slow').kind, 'throttling');
    assert.equal(text(404, 'nope').kind, 'not-found');
    assert.equal(text(401, 'who?').kind, 'signature');
    assert.equal(text(413, 'too big').kind, 'invalid-request');
    assert.equal(text(408, 'timeout').kind, 'server');
    assert.equal(text(504, '').kind, 'server');
  });

  test('LimitExceededException is throttling for Logs and Kinesis, a quota elsewhere', () => {
    const limit = json(400, 'LimitExceededException');
    assert.equal(parseAwsError(limit, { service: 'logs' }).kind, 'throttling');
    assert.equal(parseAwsError(limit, { service: 'kinesis' }).kind, 'throttling');
    assert.equal(parseAwsError(limit, { service: 'iam' }).kind, 'invalid-request');
  });

  test("EC2's RequestExpired is an expired token when the request time agreed with AWS's", () => {
    const body = {
      status: 400,
      headers: { date: 'Mon, 01 Jan 2024 00:00:30 GMT' },
      body: '<Response><Errors><Error><Code>RequestExpired</Code><Message>Request has expired.</Message></Error></Errors><RequestID>r</RequestID></Response>',
    };
    const fresh = new Date('2024-01-01T00:00:00Z');
    const stale = new Date('2023-12-31T23:40:00Z');
    const temp = parseAwsError(body, { signedAt: fresh, accessKeyId: 'ASIAQWERTYUIOPEXAMPL' });
    assert.equal(temp.kind, 'expired-token');
    assert.equal(isRefreshableAuthError(temp), true);
    assert.equal(
      parseAwsError(body, { signedAt: stale, accessKeyId: 'ASIAQWERTYUIOPEXAMPL' }).kind,
      'clock-skew',
    );
    assert.equal(
      parseAwsError(body, { signedAt: fresh, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }).kind,
      'clock-skew',
    );
    assert.equal(parseAwsError(body).kind, 'clock-skew');
  });

  test('isRefreshableAuthError: expired or unknown credentials, nothing else', () => {
    for (const code of [
      'ExpiredToken',
      'ExpiredTokenException',
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'TokenRefreshRequired',
      'InvalidToken',
    ]) {
      assert.equal(isRefreshableAuthError(parseAwsError(json(403, code))), true, code);
    }
    for (const code of [
      'AccessDenied',
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId',
      'ThrottlingException',
    ]) {
      assert.equal(isRefreshableAuthError(parseAwsError(json(403, code))), false, code);
    }
  });
});
