/** Every body shape AWS (and things in front of it) answers with is read into code, message, request id and kind. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

describe('parseAwsError reads every shape', () => {
  const cases: Array<
    [string, f.Fixture, { code: string; kind: string; requestId?: string; message: RegExp }]
  > = [
    [
      'S3 REST-XML',
      f.S3_SIGNATURE_MISMATCH,
      {
        code: 'SignatureDoesNotMatch',
        kind: 'signature',
        requestId: 'F87AAA37990F40FD',
        message: /does not match/,
      },
    ],
    [
      'S3 RequestTimeTooSkewed',
      f.S3_TIME_TOO_SKEWED,
      {
        code: 'RequestTimeTooSkewed',
        kind: 'clock-skew',
        requestId: '2J8ZFVZVVRA4T7CF',
        message: /too large/,
      },
    ],
    [
      'S3 SlowDown (503)',
      f.S3_SLOW_DOWN,
      {
        code: 'SlowDown',
        kind: 'throttling',
        requestId: '5WYFY5P28HFWHTHX',
        message: /reduce your request rate/,
      },
    ],
    [
      'query XML with a namespace (STS)',
      f.STS_ASSUME_ROLE_DENIED,
      {
        code: 'AccessDenied',
        kind: 'access-denied',
        requestId: 'fa2bundlksjdlfjs0uw9ue9',
        message: /sts:AssumeRole/,
      },
    ],
    [
      'query XML, ExpiredToken',
      f.STS_EXPIRED_TOKEN,
      {
        code: 'ExpiredToken',
        kind: 'expired-token',
        requestId: '69d599e0-7b94-4cf4-a564-fc698225471f',
        message: /expired/,
      },
    ],
    [
      'query XML, InvalidClientTokenId',
      f.STS_INVALID_CLIENT_TOKEN,
      {
        code: 'InvalidClientTokenId',
        kind: 'unknown-key',
        requestId: '6f1b2c3d-0000-4000-8000-000000000001',
        message: /invalid/,
      },
    ],
    [
      'EC2 XML',
      f.EC2_UNAUTHORIZED,
      {
        code: 'UnauthorizedOperation',
        kind: 'access-denied',
        requestId: 'b38d2eb9-5905-4af1-9759-3765b762dac9',
        message: /not authorized/,
      },
    ],
    [
      'JSON 1.1',
      f.LOGS_ACCESS_DENIED,
      {
        code: 'AccessDeniedException',
        kind: 'access-denied',
        requestId: '504cb041-a4e8-4e81-a408-b3d3b9ec272d',
        message: /logs:PutLogEvents/,
      },
    ],
    [
      'JSON with a namespaced __type and URI',
      f.LOGS_NOT_FOUND_NAMESPACED,
      {
        code: 'ResourceNotFoundException',
        kind: 'not-found',
        requestId: 'e1f2',
        message: /does not exist/,
      },
    ],
    [
      'JSON stale signature',
      f.JSON_SIGNATURE_EXPIRED,
      { code: 'InvalidSignatureException', kind: 'clock-skew', message: /Signature expired/ },
    ],
    [
      'Kinesis throughput',
      f.KINESIS_THROUGHPUT,
      {
        code: 'ProvisionedThroughputExceededException',
        kind: 'throttling',
        message: /Rate exceeded/,
      },
    ],
    [
      'REST-JSON with x-amzn-ErrorType (AMP)',
      f.AMP_SIGNATURE_MISMATCH,
      {
        code: 'InvalidSignatureException',
        kind: 'signature',
        requestId: 'c7d1e5a0-aaaa-4bbb-8ccc-000000002973',
        message: /does not match/,
      },
    ],
    [
      'AMP without a code',
      f.AMP_MISSING_TOKEN,
      { code: 'HTTP403', kind: 'signature', message: /Missing Authentication Token/ },
    ],
    [
      'AMP mangled denial, no code',
      f.AMP_MANGLED_DENIAL,
      { code: 'HTTP403', kind: 'access-denied', message: /not authorized/ },
    ],
    [
      'API Gateway {"Message"}',
      f.APIGW_ANONYMOUS,
      { code: 'AccessDeniedException', kind: 'access-denied', message: /anonymous/ },
    ],
    [
      'x-amzn-query-error wins over __type',
      f.QUERY_COMPATIBLE,
      { code: 'Customized', kind: 'invalid-request', message: /^Hi$/ },
    ],
    [
      "a proxy's HTML page",
      f.NGINX_502,
      { code: 'HTTP502', kind: 'server', message: /502 Bad Gateway/ },
    ],
  ];
  for (const [name, fixture, expected] of cases) {
    test(name, () => {
      const error = parseAwsError(fixture);
      assert.equal(error.code, expected.code);
      assert.equal(error.kind, expected.kind);
      assert.equal(error.status, fixture.status);
      if (expected.requestId) assert.equal(error.requestId, expected.requestId);
      assert.match(error.awsMessage, expected.message);
      assert.equal(error.name, 'AwsError');
      assert.ok(error.hint.length > 20);
    });
  }

  test('the body may be bytes; a Headers object works as well as a record', () => {
    const error = parseAwsError({
      status: f.STS_EXPIRED_TOKEN.status,
      headers: new Headers(f.STS_EXPIRED_TOKEN.headers),
      body: new TextEncoder().encode(f.STS_EXPIRED_TOKEN.body),
    });
    assert.equal(error.code, 'ExpiredToken');
    assert.equal(error.requestId, '69d599e0-7b94-4cf4-a564-fc698225471f');
  });

  test('x-amzn-ErrorType with a URI and a namespace, over a message-only body', () => {
    // smithy-lang/smithy protocol test RestJsonFooErrorUsingXAmznErrorTypeWithUriAndNamespace.
    const error = parseAwsError({
      status: 429,
      headers: {
        'x-amzn-errortype':
          'aws.protocoltests.restjson#ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.validate/',
        'x-amzn-requestid': ['r-1', 'r-2'],
      },
      body: '{"message":"Rate exceeded"}',
    });
    assert.equal(error.code, 'ThrottlingException');
    assert.equal(error.kind, 'throttling');
    assert.equal(error.requestId, 'r-1, r-2');
  });

  test('a JSON body with "code" (Glacier style) and {"errors": [...]} wrappers', () => {
    assert.equal(
      parseAwsError({ status: 400, headers: {}, body: '{"code":"aws#ValidationException"}' }).code,
      'ValidationException',
    );
    const wrapped = parseAwsError({
      status: 403,
      headers: {},
      body: '{"errors":[{"code":"InvalidSignature","message":"The request signature we calculated does not match"}]}',
    });
    assert.equal(wrapped.code, 'InvalidSignature');
    assert.equal(wrapped.kind, 'signature');
  });

  test('request ids: x-amz-request-id, then the body, then x-amz-id-2', () => {
    const noHeader = { ...f.S3_SLOW_DOWN, headers: { 'x-amz-id-2': 'ext-id' } };
    assert.equal(parseAwsError(noHeader).requestId, '5WYFY5P28HFWHTHX');
    assert.equal(
      parseAwsError({ status: 403, headers: { 'x-amz-id-2': 'ext-id' }, body: '' }).requestId,
      'ext-id',
    );
    assert.equal(parseAwsError({ status: 403, headers: {}, body: '' }).requestId, undefined);
  });

  test('an empty body takes its code from the status and says so', () => {
    const error = parseAwsError({
      status: 403,
      headers: { 'x-amz-request-id': 'HEAD1' },
      body: '',
    });
    assert.equal(error.code, 'HTTP403');
    assert.equal(error.kind, 'access-denied');
    assert.match(error.hint, /no error body/);
    const unavailable = parseAwsError({ status: 503, headers: {}, body: new Uint8Array() });
    assert.equal(unavailable.code, 'HTTP503');
    assert.equal(unavailable.kind, 'server');
    assert.equal(unavailable.retryable, true);
  });

  test('plain-text AMP bodies', () => {
    const denied = parseAwsError(
      {
        status: 403,
        headers: { 'content-type': 'text/plain' },
        body: 'User: arn:aws:sts::123456789012:assumed-role/amp-ingest/i-0abc is not authorized to perform: aps:RemoteWrite on resource: arn:aws:aps:us-east-1:123456789012:workspace/ws-0a1b2c3d',
      },
      { service: 'aps' },
    );
    assert.equal(denied.kind, 'access-denied');
    assert.equal(denied.deniedAction, 'aps:RemoteWrite');
    assert.equal(denied.deniedResource, 'arn:aws:aps:us-east-1:123456789012:workspace/ws-0a1b2c3d');
    const stale = parseAwsError({
      status: 403,
      headers: {},
      body: 'Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)',
    });
    assert.equal(stale.kind, 'clock-skew');
    assert.equal(stale.reportedServerTime?.toISOString(), '2024-01-01T00:30:00.000Z');
  });

  test('the message is one line naming code, service, method, URL, status and request id', () => {
    const error = parseAwsError(f.LOGS_ACCESS_DENIED, {
      service: 'logs',
      method: 'post',
      url: 'https://logs.us-east-1.amazonaws.com/?X-Amz-Signature=abc#frag',
    });
    assert.ok(!error.message.includes('\n'));
    assert.match(
      error.message,
      /^AccessDeniedException from logs POST https:\/\/logs\.us-east-1\.amazonaws\.com\/ \(status 400, request id 504cb041-a4e8-4e81-a408-b3d3b9ec272d\): User: /,
    );
    assert.equal(error.url, 'https://logs.us-east-1.amazonaws.com/');
    assert.equal(error.toUserString(), `${error.message} (${error.hint})`);
  });
});
