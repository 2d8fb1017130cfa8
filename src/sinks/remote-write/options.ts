/**
 * A remote-write queue's settings, named as Prometheus's `queue_config` names
 * them (camelCased, durations in milliseconds), with Prometheus 2.42's
 * defaults — except `retryOnHttp429`, see below.
 */
import { SignetError } from '../../errors.js';

export interface QueueConfig {
  /** Samples buffered per shard; the queue refuses batches beyond `capacity × shards`. */
  readonly capacity: number;
  readonly maxShards: number;
  readonly minShards: number;
  readonly maxSamplesPerSend: number;
  /** How long a sample may wait for a full batch before a partial one is sent. */
  readonly batchSendDeadlineMs: number;
  /** First wait after a recoverable error; doubles per retry up to `maxBackoffMs`. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /**
   * Retry (rather than drop) on HTTP 429. Prometheus 2.42 defaults to false
   * (and calls it experimental); Signet defaults to true, as Grafana Agent
   * does, because AMP answers 429 when an ingestion limit is hit, and
   * dropping throttled samples loses data that a later retry would deliver.
   */
  readonly retryOnHttp429: boolean;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = Object.freeze({
  capacity: 2500,
  maxShards: 200,
  minShards: 1,
  maxSamplesPerSend: 500,
  batchSendDeadlineMs: 5000,
  minBackoffMs: 30,
  maxBackoffMs: 5000,
  retryOnHttp429: true,
});

/** Prometheus's `remote_timeout` default. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;

/** Prometheus recomputes the desired shard count every 10 s (shardUpdateDuration). */
export const DEFAULT_SHARD_UPDATE_INTERVAL_MS = 10_000;

export class QueueConfigError extends SignetError {}

/** Fills in defaults and refuses settings that cannot work. */
export function resolveQueueConfig(partial: Partial<QueueConfig> = {}): QueueConfig {
  const config: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, ...definedOnly(partial) };
  const positive: (keyof QueueConfig)[] = [
    'capacity',
    'maxShards',
    'minShards',
    'maxSamplesPerSend',
    'batchSendDeadlineMs',
  ];
  for (const key of positive) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new QueueConfigError(`queue_config ${key} must be a positive number, got ${value}`);
    }
  }
  for (const key of ['capacity', 'maxShards', 'minShards', 'maxSamplesPerSend'] as const) {
    if (!Number.isInteger(config[key])) {
      throw new QueueConfigError(`queue_config ${key} must be a whole number, got ${config[key]}`);
    }
  }
  if (config.minShards > config.maxShards) {
    throw new QueueConfigError(
      `queue_config min_shards (${config.minShards}) is above max_shards (${config.maxShards})`,
    );
  }
  if (!(config.minBackoffMs >= 0) || !(config.maxBackoffMs >= config.minBackoffMs)) {
    throw new QueueConfigError(
      `queue_config needs 0 ≤ min_backoff ≤ max_backoff, got ${config.minBackoffMs} ms and ${config.maxBackoffMs} ms`,
    );
  }
  return config;
}

// `{ capacity: undefined }` from an optional config field must not erase the default.
function definedOnly(partial: Partial<QueueConfig>): Partial<QueueConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) out[key] = value;
  return out;
}
