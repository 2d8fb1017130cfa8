import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoCredentialsError } from '../../../src/aws/credentials/errors.js';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import { NetworkError } from '../../../src/aws/http/request.js';
import { classifySendError, dropReasonOf } from '../../../src/sinks/shared/classify.js';
import { EndpointHttpError, retryAfterMs } from '../../../src/sinks/shared/http.js';
import type { Verdict } from '../../../src/sinks/shared/verdict.js';

const ON = { retryOnHttp429: true };
const OFF = { retryOnHttp429: false };

/** An AWS JSON-protocol error answer, parsed as the AwsClient parses it. */
function aws(status: number, code: string, message: string) {
  return parseAwsError(
    {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' },
      body: JSON.stringify({ __type: code, message }),
    },
    {
      service: 'aps',
      region: 'us-east-1',
      url: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
    },
  );
}

function pick(v: Verdict) {
  return [v.action, v.blocked ?? v.dropReason ?? null];
}

test('transient failures are retried: 5xx, 429 when enabled, throttling, network errors, timeouts', () => {
  const http = (status: number, body = '') => new EndpointHttpError('u', status, body, undefined);
  assert.deepEqual(pick(classifySendError(http(503), ON)), ['retry', null]);
  assert.deepEqual(pick(classifySendError(http(500), ON)), ['retry', null]);
  assert.deepEqual(pick(classifySendError(http(429), ON)), ['retry', null]);
  assert.deepEqual(pick(classifySendError(http(429), OFF)), ['drop', 'rate-limited']);
  assert.deepEqual(pick(classifySendError(aws(400, 'ThrottlingException', 'Rate exceeded'), ON)), [
    'retry',
    null,
  ]);
  assert.deepEqual(pick(classifySendError(aws(500, 'InternalServerException', 'x'), ON)), [
    'retry',
    null,
  ]);
  const refused = classifySendError(
    new NetworkError('http://h/x', 'ECONNREFUSED', 'connect ECONNREFUSED'),
    ON,
  );
  assert.deepEqual([refused.action, refused.cause], ['retry', 'network ECONNREFUSED']);
  // The unforeseen is retried: losing data is worse than waiting.
  assert.equal(classifySendError(new Error('bug'), ON).action, 'retry');
});

test('a timeout is named as a timeout, not as an unreachable endpoint', () => {
  const v = classifySendError(
    new NetworkError('http://h/x', 'TIMEOUT', 'no answer within 50 ms'),
    ON,
  );
  assert.equal(v.cause, 'timeout');
  assert.equal(v.message, 'timed out: http://h/x did not answer in time (no answer within 50 ms)');
  assert.doesNotMatch(v.message, /Could not reach/);
});

test('what credentials, IAM, region or clock can fix is held or refreshed, never dropped', () => {
  const cases: [ReturnType<typeof aws>, string, string][] = [
    [
      aws(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
      'refresh-and-retry',
      'credentials',
    ],
    [
      aws(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
      'hold',
      'credentials',
    ],
    [
      aws(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
      'hold',
      'credentials',
    ],
    [
      aws(
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      ),
      'hold',
      'signature',
    ],
    [
      aws(
        403,
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/w is not authorized to perform: aps:RemoteWrite',
      ),
      'hold',
      'access-denied',
    ],
    [aws(403, 'AccessDenied', 'Access Denied'), 'hold', 'access-denied'],
    [
      aws(
        400,
        'InvalidSignatureException',
        "Credential should be scoped to a valid region. the region 'eu-west-1' is wrong; expecting 'us-east-1'",
      ),
      'hold',
      'region',
    ],
    [
      aws(
        400,
        'InvalidSignatureException',
        'Signature expired: 20240101T000000Z is now earlier than 20240101T001600Z (20240101T003100Z - 15 min.)',
      ),
      'refresh-and-retry',
      'clock',
    ],
    [aws(404, 'ResourceNotFoundException', 'Workspace not found'), 'hold', 'not-found'],
  ];
  for (const [error, action, reason] of cases) {
    assert.deepEqual(pick(classifySendError(error, ON)), [action, reason], error.code);
  }
  const none = classifySendError(new NoCredentialsError([]), ON);
  assert.deepEqual(pick(none), ['refresh-and-retry', 'credentials']);
  const http = (status: number, body = '') => new EndpointHttpError('u', status, body, undefined);
  assert.deepEqual(pick(classifySendError(http(401), ON)), ['hold', 'credentials']);
  assert.deepEqual(pick(classifySendError(http(403), ON)), ['hold', 'access-denied']);
  assert.deepEqual(pick(classifySendError(http(404), ON)), ['hold', 'not-found']);
});

test('a body the endpoint can never accept is dropped, with the reason, and may be split', () => {
  const http = (status: number, body: string) =>
    new EndpointHttpError('u', status, body, undefined);
  const outOfOrder = classifySendError(http(400, 'out of order sample'), ON);
  assert.deepEqual(pick(outOfOrder), ['drop', 'out-of-order']);
  assert.equal(outOfOrder.splittable, true);
  assert.deepEqual(pick(classifySendError(http(413, 'body too large'), ON)), ['drop', 'too-large']);
  assert.deepEqual(pick(classifySendError(http(400, 'snappy: corrupt input'), ON)), [
    'drop',
    'invalid',
  ]);
  const validation = aws(
    400,
    'ValidationException',
    'err: out of order sample. timestamp=2024-01-01',
  );
  assert.deepEqual(pick(classifySendError(validation, ON)), ['drop', 'out-of-order']);
  assert.equal(dropReasonOf('err: out of bounds'), 'too-old');
  assert.equal(dropReasonOf('duplicate sample for timestamp'), 'duplicate');
  assert.equal(classifySendError(http(429, ''), OFF).splittable, false);
});

test('Retry-After in seconds or as a date', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs(' 0 ', now), 0);
  assert.equal(retryAfterMs('Mon, 01 Jan 2024 00:00:10 GMT', now), 10_000);
  assert.equal(retryAfterMs('Sun, 31 Dec 2023 23:00:00 GMT', now), undefined);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});
