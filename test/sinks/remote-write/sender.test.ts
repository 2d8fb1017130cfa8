import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../../src/aws/errors/index.js';
import { NetworkError } from '../../../src/aws/http/request.js';
import {
  DEFAULT_QUEUE_CONFIG,
  QueueConfigError,
  resolveQueueConfig,
} from '../../../src/sinks/remote-write/options.js';
import {
  RemoteWriteClient,
  RemoteWriteHttpError,
  classifySendError,
  retryAfterMs,
} from '../../../src/sinks/remote-write/sender.js';

function awsError(status: number, code: string, retryable: boolean): AwsError {
  return new AwsError({
    message: `${code}`,
    hint: `hint for ${code}`,
    code,
    status,
    awsMessage: '',
    requestId: undefined,
    kind: retryable ? 'throttling' : 'invalid-request',
    retryable,
    serverDate: undefined,
  });
}

test('recoverable: network errors, 5xx, 429 when enabled, retryable AWS errors, the unexpected', () => {
  const c = (e: unknown, retry429 = true) => classifySendError(e, retry429).recoverable;
  assert.equal(c(new NetworkError('http://x', 'ECONNREFUSED', 'refused')), true);
  assert.equal(c(new RemoteWriteHttpError('u', 503, '', undefined)), true);
  assert.equal(c(new RemoteWriteHttpError('u', 429, '', undefined)), true);
  assert.equal(c(new RemoteWriteHttpError('u', 429, '', undefined), false), false);
  assert.equal(c(new RemoteWriteHttpError('u', 400, '', undefined)), false);
  assert.equal(c(new RemoteWriteHttpError('u', 404, '', undefined)), false);
  assert.equal(c(awsError(500, 'InternalServerException', true)), true);
  assert.equal(c(awsError(400, 'ThrottlingException', true)), true);
  assert.equal(c(awsError(429, 'ThrottlingException', true), false), false);
  assert.equal(c(awsError(403, 'AccessDeniedException', false)), false);
  assert.equal(c(awsError(400, 'ValidationException', false)), false);
  assert.equal(c(new Error('credentials not ready')), true);
  const failure = classifySendError(awsError(403, 'AccessDeniedException', false), true);
  assert.equal(failure.key, 'HTTP 403 AccessDeniedException');
  assert.equal(failure.hint, 'hint for AccessDeniedException');
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

test('a URL that is not http(s) is refused up front, not retried forever', () => {
  assert.throws(
    () => new RemoteWriteClient({ url: 'localhost:9090', timeoutMs: 1 }),
    /http\(s\) URL/,
  );
  assert.throws(() => new RemoteWriteClient({ url: 'ftp://x/y', timeoutMs: 1 }), /http\(s\) URL/);
});

test('authorization settings that cannot both apply are refused', () => {
  assert.throws(
    () =>
      new RemoteWriteClient({
        url: 'http://x',
        timeoutMs: 1,
        basicAuth: { username: 'a', password: 'b' },
        bearerToken: 't',
      }),
    /both set the Authorization header/,
  );
});

test('queue_config defaults are Prometheus 2.42 except retry_on_http_429; bad values are refused', () => {
  assert.deepEqual(resolveQueueConfig(), {
    capacity: 2500,
    maxShards: 200,
    minShards: 1,
    maxSamplesPerSend: 500,
    batchSendDeadlineMs: 5000,
    minBackoffMs: 30,
    maxBackoffMs: 5000,
    retryOnHttp429: true,
  });
  assert.equal(resolveQueueConfig({ capacity: undefined }).capacity, DEFAULT_QUEUE_CONFIG.capacity);
  assert.throws(() => resolveQueueConfig({ minShards: 5, maxShards: 2 }), QueueConfigError);
  assert.throws(() => resolveQueueConfig({ maxSamplesPerSend: 0 }), /positive/);
  assert.throws(() => resolveQueueConfig({ capacity: 1.5 }), /whole number/);
  assert.throws(() => resolveQueueConfig({ minBackoffMs: 10, maxBackoffMs: 5 }), /min_backoff/);
});
