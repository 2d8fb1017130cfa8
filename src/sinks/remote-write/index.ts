/**
 * Remote write 1.0 to AMP or any Prometheus remote-write endpoint: a queue
 * per endpoint (queue.ts) that encodes, compresses, shards, reshards and
 * splits refused batches; signing, retries, holds, failure logging and WAL
 * progress are the shared sink plumbing's (../shared).
 */
export { RemoteWriteQueue } from './queue.js';
export type {
  CloseResult,
  RemoteWriteLog,
  RemoteWriteQueueOptions,
  RemoteWriteStats,
  SendReport,
} from './types.js';
export {
  DEFAULT_QUEUE_CONFIG,
  DEFAULT_REMOTE_TIMEOUT_MS,
  DEFAULT_SHARD_UPDATE_INTERVAL_MS,
  QueueConfigError,
  resolveQueueConfig,
  type QueueConfig,
} from './options.js';
export {
  createRemoteWriteAgent,
  remoteWritePool,
  remoteWriteProbe,
  type BasicAuth,
} from './sender.js';
export type { BlockedReason, BlockedState, DropReason } from '../shared/verdict.js';
export type { LabelsOf } from './label-cache.js';
export { encodeMetadataRequest, type MetricMetadata } from './metadata.js';
