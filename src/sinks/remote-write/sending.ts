/**
 * How a remote-write queue is wired to the shared sink plumbing: its client
 * (with its own connection pool when unsigned and none was given), the
 * retrying sender with remote write's classification and backoffs, the
 * failure log, and the encoder that turns a run of shard samples into a body.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { classifySendError } from '../shared/classify.js';
import { FailureLog, type SinkLog } from '../shared/failure-log.js';
import { DEFAULT_HOLD_MAX_BACKOFF_MS, RetryingSender, type SendTarget } from '../shared/retry.js';
import type { LabelCache } from './label-cache.js';
import { DEFAULT_REMOTE_TIMEOUT_MS, type QueueConfig } from './options.js';
import type { SampleColumns } from './sample-columns.js';
import { RemoteWriteClient, createRemoteWriteAgent } from './sender.js';
import { SnappyWriteRequestEncoder, type EncodedRequest } from './snappy-encode.js';
import type { RemoteWriteQueueOptions } from './types.js';

/** Halves of up to 16 samples are not split further: a fully refused batch of 500 costs 62 requests, not 999. */
export const DEFAULT_SPLIT_MIN_SAMPLES = 16;

export interface Sending {
  readonly sender: RetryingSender<Buffer>;
  readonly failures: FailureLog;
  /** The pool this queue owns, to destroy when it closes. */
  readonly ownAgent: Dispatcher | undefined;
}

export function createSending<T>(
  options: RemoteWriteQueueOptions<T>,
  config: QueueConfig,
  log: SinkLog,
): Sending {
  // Unsigned requests get a keep-alive pool of their own, a connection per shard.
  const made =
    options.aws || options.dispatcher ? undefined : createRemoteWriteAgent(config.maxShards);
  const ownAgent = options.ownsDispatcher ? options.dispatcher : made;
  const client = new RemoteWriteClient({
    ...options,
    timeoutMs: options.remoteTimeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS,
    dispatcher: options.dispatcher ?? made,
  });
  const failures = new FailureLog({
    destination: `remote write to ${options.name ?? displayHost(options.url)}`,
    log,
    intervalMs: options.failureLogIntervalMs,
    now: options.now,
  });
  const retryOnHttp429 = config.retryOnHttp429;
  const sender = new RetryingSender<Buffer>(
    options.onAttempt ? timed(client, options.onAttempt) : client,
    (error) => classifySendError(error, { retryOnHttp429 }),
    {
      minBackoffMs: config.minBackoffMs,
      maxBackoffMs: config.maxBackoffMs,
      holdMaxBackoffMs: Math.max(
        options.holdMaxBackoffMs ?? DEFAULT_HOLD_MAX_BACKOFF_MS,
        config.minBackoffMs,
      ),
    },
    failures,
    options.now,
  );
  return { sender, failures, ownAgent };
}

/** Encodes `count` samples of `columns` from `offset` past its head into a body that lives through retries. */
export type ShardEncoder = (
  columns: SampleColumns,
  offset: number,
  count: number,
) => EncodedRequest;

export function createShardEncoder(cache: LabelCache): ShardEncoder {
  const encoder = new SnappyWriteRequestEncoder();
  return (c, offset, count) => {
    const from = c.head + offset;
    const encoded = encoder.encode(cache, c, from, from + count);
    // The encoder's buffer is reused by the next request; this body must live through retries.
    return { ...encoded, body: Buffer.from(encoded.body) };
  };
}

/**
 * The client, each attempt timed (one performance.now() pair per request).
 * Required<>: a method SendTarget gains fails to compile here until forwarded.
 */
function timed(
  client: RemoteWriteClient,
  observe: (seconds: number) => void,
): Required<SendTarget<Buffer>> {
  return {
    send: async (body) => {
      const began = performance.now();
      try {
        await client.send(body);
      } finally {
        observe((performance.now() - began) / 1000);
      }
    },
    // Everything else of the SendTarget, forwarded as it is.
    refresh: () => client.refresh(),
    changed: () => client.changed(),
  };
}

/** `host:port` of the URL, to name an unnamed destination in log lines. */
function displayHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
