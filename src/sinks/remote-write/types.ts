/**
 * What a remote-write queue is given and what it reports, apart from the
 * sending options (sender.ts) and queue_config (options.ts).
 */
import type { SinkLog } from '../shared/failure-log.js';
import type { BlockedState, DropReason } from '../shared/verdict.js';
import type { LabelsOf } from './label-cache.js';
import type { QueueConfig } from './options.js';
import type { SenderOptions } from './sender.js';

/**
 * Counters and gauges, for the caller to expose as Prometheus's
 * `prometheus_remote_storage_*` metrics (named alongside).
 */
export interface RemoteWriteStats {
  /** Samples the endpoint accepted (`samples_total` counts attempts; this counts successes). */
  readonly samplesSent: number;
  /** Samples dropped on a non-recoverable error (`samples_failed_total`). */
  readonly samplesFailed: number;
  /** `samplesFailed` by why the endpoint refused them (`samples_failed_total{reason}`). */
  readonly samplesFailedByReason: Readonly<Partial<Record<DropReason | 'bug', number>>>;
  /**
   * Set while the endpoint refuses in a way only a fix can cure (credentials,
   * IAM, region, clock…): batches are held, not dropped, and the WAL stops
   * advancing. Cleared by the first success. For
   * `signet_destination_blocked{destination,reason}`.
   */
  readonly blocked: BlockedState | undefined;
  /** Samples sent again after a recoverable error, once per retry (`samples_retried_total`). */
  readonly samplesRetried: number;
  /** Samples dropped before sending: write relabeling, or a series unknown (`samples_dropped_total`). */
  readonly samplesDropped: number;
  /** Accepted samples not yet sent or failed, in-flight ones included (`samples_pending`). */
  readonly samplesPending: number;
  /** Samples of enqueue calls refused for lack of room (left for the caller to re-read). */
  readonly samplesRefused: number;
  /** enqueue calls refused for lack of room, each retried by the caller (`enqueue_retries_total`). */
  readonly enqueueRetries: number;
  /** Running shards (`shards`). */
  readonly shards: number;
  /** The last unrounded estimate of shards needed (`shards_desired`). */
  readonly desiredShards: number;
  /** Newest timestamp the endpoint accepted, in ms; 0 before the first (`queue_highest_sent_timestamp_seconds` × 1000). */
  readonly highestSentTimestampMs: number;
  /** Compressed bytes the endpoint accepted (`bytes_total`). */
  readonly bytesSent: number;
  /** HTTP requests made, retries included. */
  readonly requests: number;
  /** Requests that failed, recoverably or not. */
  readonly requestsFailed: number;
  /** Metric metadata entries the endpoint accepted (`metadata_total`). */
  readonly metadataSent: number;
  /** Metadata entries dropped on a non-recoverable error (`metadata_failed_total`). */
  readonly metadataFailed: number;
  /** Compressed bytes of accepted metadata requests (`metadata_bytes_total`). */
  readonly metadataBytes: number;
}

/** A log line; `fields` are structured context (never credentials). */
export type RemoteWriteLog = SinkLog;

/** One finished send (all its attempts), e.g. for `sent_batch_duration_seconds`. */
export interface SendReport {
  readonly samples: number;
  readonly bytes: number;
  readonly attempts: number;
  readonly durationMs: number;
  /** `failed` when none of the samples was accepted. */
  readonly outcome: 'sent' | 'failed';
  /** Samples of the batch the endpoint refused for good (after splitting). */
  readonly failed: number;
}

export interface RemoteWriteQueueOptions<T> extends Omit<SenderOptions, 'timeoutMs'> {
  /**
   * A series' labels as sent: after write_relabel_configs and external labels,
   * sorted by name; undefined drops the series' samples. Asked once per series
   * (until forgetSeries).
   */
  readonly series: LabelsOf;
  /**
   * The queue owns `dispatcher` (and the AwsClient's, given here too): closing
   * the queue destroys it, abandoning requests still in flight so a shutdown
   * does not wait for remote_timeout. What they carried stays in the WAL.
   */
  readonly ownsDispatcher?: boolean | undefined;
  /** Orders WAL tokens; progress never moves to a token not after the last reported. */
  readonly compareTokens: (a: T, b: T) => number;
  /** Everything enqueued up to and including `token`'s call has been sent or dropped. */
  readonly onProgress?: ((token: T) => void) | undefined;
  readonly queueConfig?: Partial<QueueConfig> | undefined;
  /** Prometheus's remote_timeout, per attempt. Default 30 s. */
  readonly remoteTimeoutMs?: number | undefined;
  /** How often the desired shard count is recomputed. Default 10 s, as Prometheus. */
  readonly shardUpdateIntervalMs?: number | undefined;
  readonly log?: RemoteWriteLog | undefined;
  /** The least time between two log lines about one cause of failure. Default a minute. */
  readonly failureLogIntervalMs?: number | undefined;
  /** Clock of the failure log (ms); tests move it. */
  readonly now?: (() => number) | undefined;
  /**
   * The longest wait between two attempts while the endpoint refuses in a way
   * only a fix can cure (the batch is held, not dropped). Default 2 minutes.
   */
  readonly holdMaxBackoffMs?: number | undefined;
  /**
   * A refused batch (out-of-order samples, 400, 413) is halved and the halves
   * resent, so the samples not at fault are delivered; halves of at most this
   * many samples that are still refused are dropped. Default 16.
   */
  readonly splitMinSamples?: number | undefined;
  readonly onSend?: ((report: SendReport) => void) | undefined;
  /**
   * Each HTTP attempt (samples or metadata, retries included), with how long
   * it took in seconds, sent or not: Prometheus's sent_batch_duration_seconds.
   */
  readonly onAttempt?: ((seconds: number) => void) | undefined;
  /** Shown in log lines, e.g. the remote_write name. */
  readonly name?: string | undefined;
}

export interface CloseResult {
  /** Accepted samples neither sent nor failed when the queue stopped; the WAL still has them. */
  readonly unsent: number;
}
