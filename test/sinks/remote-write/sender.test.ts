import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_QUEUE_CONFIG,
  QueueConfigError,
  resolveQueueConfig,
} from '../../../src/sinks/remote-write/options.js';
import { RemoteWriteClient } from '../../../src/sinks/remote-write/sender.js';

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
