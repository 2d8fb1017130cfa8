/** Throttling, server, not-found, invalid requests, and answers that did not come from AWS. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAwsError, parseAwsError } from '../../../src/aws/errors/index.js';
import * as f from './fixtures.js';

describe('other hints', () => {
  test('throttling and server errors say Signet retries', () => {
    assert.match(parseAwsError(f.KINESIS_THROUGHPUT).hint, /retries with backoff.*add shards/);
    assert.match(parseAwsError(f.S3_SLOW_DOWN).hint, /retries with backoff.*prefixes/);
    const amp = parseAwsError(
      {
        status: 429,
        headers: { 'x-amzn-errortype': 'ThrottlingException' },
        body: '{"message":"Limit exceeded"}',
      },
      { service: 'aps', region: 'us-east-1' },
    );
    assert.match(
      amp.hint,
      /throttling requests to aps in us-east-1: Signet retries with backoff.*active-series/,
    );
    const server = parseAwsError(
      { status: 500, headers: {}, body: '{"__type":"InternalFailure","message":"oops"}' },
      { service: 'logs', region: 'eu-west-1' },
    );
    assert.equal(server.retryable, true);
    assert.match(
      server.hint,
      /logs in eu-west-1 had a temporary failure \(status 500\): Signet retries/,
    );
  });

  test("an empty 503: AWS's when it carries a request id, a gateway's otherwise", () => {
    const aws = parseAwsError({ status: 503, headers: { 'x-amz-request-id': 'R1' }, body: '' });
    assert.match(aws.hint, /temporary failure \(status 503\)/);
    const gateway = parseAwsError({ status: 503, headers: {}, body: '' });
    assert.match(gateway.hint, /an empty answer, not an AWS error/);
    assert.equal(gateway.retryable, true);
  });

  test('an HTML page from a proxy is called what it is', () => {
    const error = parseAwsError(f.NGINX_502, { viaProxy: true });
    assert.equal(error.code, 'HTTP502');
    assert.equal(error.requestId, undefined);
    assert.match(
      error.hint,
      /HTML page \("502 Bad Gateway"\), not an AWS error: the configured proxy answered/,
    );
    const portal = parseAwsError({
      status: 403,
      headers: {},
      body: '<!DOCTYPE html><html><head><title>Blocked by policy</title></head></html>',
    });
    assert.match(
      portal.hint,
      /HTML page \("Blocked by policy"\).*proxy, load balancer, firewall or captive portal/,
    );
  });

  test('not found names what to check', () => {
    assert.match(
      parseAwsError(f.LOGS_NOT_FOUND_NAMESPACED, { service: 'logs', region: 'eu-west-1' }).hint,
      /log group or log stream does not exist in eu-west-1/,
    );
    assert.match(
      parseAwsError({
        status: 404,
        headers: {},
        body: '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
      }).hint,
      /bucket does not exist/,
    );
    assert.match(
      parseAwsError(
        { status: 404, headers: {}, body: '{"message":"Not Found"}' },
        { service: 'aps' },
      ).hint,
      /workspace id/,
    );
  });

  test('invalid requests are not retryable and say what AWS objected to', () => {
    const error = parseAwsError({
      status: 400,
      headers: { 'x-amzn-errortype': 'ValidationException' },
      body: '{"message":"1 validation error detected: Value at \'logEvents\' failed"}',
    });
    assert.equal(error.retryable, false);
    assert.match(error.hint, /refused the request as invalid \("1 validation error detected/);
    assert.match(
      parseAwsError({ status: 413, headers: {}, body: '' }).hint,
      /lower the batch size/,
    );
    assert.match(
      parseAwsError({
        status: 400,
        headers: { 'x-amzn-errortype': 'SerializationException' },
        body: '{}',
      }).hint,
      /Signet bug/,
    );
  });

  test('describeAwsError gives code, kind, request id, AWS words, denial and hint', () => {
    const lines = describeAwsError(parseAwsError(f.LOGS_ACCESS_DENIED));
    assert.equal(lines[0], 'AccessDeniedException (access-denied, status 400)');
    assert.equal(lines[1], 'request id: 504cb041-a4e8-4e81-a408-b3d3b9ec272d');
    assert.match(lines[2]!, /^AWS said: User: /);
    assert.match(
      lines[3]!,
      /^denied: arn:aws:sts::123456789012:assumed-role\/Log4JAppenderTesting\/.* → logs:PutLogEvents on arn:aws:logs:/,
    );
    assert.match(lines[4]!, /^what to do: /);
    const throttled = describeAwsError(parseAwsError(f.S3_SLOW_DOWN));
    assert.equal(throttled[0], 'SlowDown (throttling, status 503, retryable)');
    assert.equal(
      describeAwsError(parseAwsError({ status: 502, headers: {}, body: '' }))[1],
      'request id: none (the answer may not be from AWS)',
    );
  });
});
