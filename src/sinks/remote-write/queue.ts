/**
 * A remote-write queue for one endpoint, after Prometheus's QueueManager:
 * samples are spread over shards by series, batched up to
 * max_samples_per_send or the batch deadline, sent by the shards concurrently
 * (one request in flight per shard), retried with exponential backoff on
 * transient errors for as long as it takes, held (never dropped) while the
 * endpoint refuses in a way only a fix can cure, and split, then dropped and
 * counted, when the endpoint can never accept them (../shared/retry.ts,
 * split.ts). A held batch keeps its shard busy and is never finished, so
 * progress stops short of it, the queue fills and the WAL reader waits. The
 * shard count follows the desired-shards estimate (desired-shards.ts).
 *
 * The queue holds a bounded amount (capacity × shards samples). When full,
 * enqueue refuses the whole batch and the caller is expected to leave the data
 * in the WAL and re-feed it from there once `waitForRoom()` resolves. Progress
 * (the WAL token up to which everything is finished) is reported through
 * `onProgress`, for WAL truncation.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { compressSync } from 'snappy';
import type { SampleBatch } from '../../model/series.js';
import { ShardTuner } from './desired-shards.js';
import { LabelCache } from './label-cache.js';
import { encodeMetadataRequest, type MetricMetadata } from './metadata.js';
import {
  DEFAULT_SHARD_UPDATE_INTERVAL_MS,
  resolveQueueConfig,
  type QueueConfig,
} from './options.js';
import type { FailureLog, SinkLogLevel } from '../shared/failure-log.js';
import { ProgressTracker } from '../shared/progress.js';
import type { RetryingSender } from '../shared/retry.js';
import type { DropReason } from '../shared/verdict.js';
import {
  DEFAULT_SPLIT_MIN_SAMPLES,
  createSending,
  createShardEncoder,
  type ShardEncoder,
} from './sending.js';
import { Shard, redistribute, scatter } from './shards.js';
import { deliverSplitting } from './split.js';
import type {
  CloseResult,
  RemoteWriteQueueOptions,
  RemoteWriteStats,
  SendReport,
} from './types.js';

export class RemoteWriteQueue<T> {
  readonly config: QueueConfig;
  private readonly cache: LabelCache;
  private readonly sender: RetryingSender<Buffer>;
  private readonly failures: FailureLog;
  private readonly encode: ShardEncoder;
  private readonly progress: ProgressTracker<T>;
  private readonly ownAgent: Dispatcher | undefined;
  private shards: Shard[];
  /** Shards replaced by resharding whose last request is still in flight. */
  private readonly retiring = new Set<Shard>();
  private pending = 0;
  /** enqueue calls refused for lack of room; the caller retries each from the WAL. */
  private enqueueRefusals = 0;
  private closing = false;
  private stopped = false;
  private closed: Promise<CloseResult> | undefined;
  private roomWaiters: ((room: boolean) => void)[] = [];
  private drained: (() => void) | undefined;
  private readonly reshardTimer: NodeJS.Timeout;

  private readonly counts = {
    sent: 0,
    failed: 0,
    dropped: 0,
    refused: 0,
    bytes: 0,
    metadataSent: 0,
    metadataFailed: 0,
    metadataBytes: 0,
  };
  private readonly failedByReason: Partial<Record<DropReason | 'bug', number>> = {};
  private readonly tuner: ShardTuner;
  /** When a send last finished (sent or failed), ms since the epoch. */
  private lastSendDone = Date.now();

  constructor(private readonly options: RemoteWriteQueueOptions<T>) {
    this.config = resolveQueueConfig(options.queueConfig);
    this.cache = new LabelCache(options.series);
    this.progress = new ProgressTracker(options.compareTokens);
    const sending = createSending(options, this.config, (level, message, fields) =>
      this.log(level, message, fields),
    );
    this.sender = sending.sender;
    this.failures = sending.failures;
    this.ownAgent = sending.ownAgent;
    this.encode = createShardEncoder(this.cache);
    this.shards = this.newShards(this.config.minShards);
    this.tuner = new ShardTuner(this.config);
    const interval = options.shardUpdateIntervalMs ?? DEFAULT_SHARD_UPDATE_INTERVAL_MS;
    this.reshardTimer = setInterval(() => this.updateShards(), interval);
    // Housekeeping only: it must not keep a process alive on its own.
    this.reshardTimer.unref();
  }

  /**
   * Accepts all of `batch`, or nothing when the queue is full or closing
   * (false). `walEnd` is the WAL position just after the batch, reported
   * through onProgress once the batch and everything before it is finished.
   * The batch's arrays are copied; the caller may reuse them.
   */
  enqueue(batch: SampleBatch, walEnd: T): boolean {
    if (this.closing) return false;
    if (this.tuner.countsOffers) {
      const timestamps = batch.timestamps;
      let highest = -Infinity;
      for (let i = 0; i < batch.count; i++) if (timestamps[i]! > highest) highest = timestamps[i]!;
      this.tuner.incoming(batch.count, highest, false);
    }
    if (this.pending >= this.limit) {
      this.counts.refused += batch.count;
      this.enqueueRefusals++;
      return false;
    }
    const seq = this.progress.open(walEnd);
    const { kept, dropped } = scatter(batch, seq, this.shards, this.cache);
    this.progress.add(seq, kept);
    this.counts.dropped += dropped;
    this.tuner.dropped(dropped);
    this.pending += kept;
    if (kept === 0) this.reportProgress();
    else for (const shard of this.shards) this.schedule(shard);
    return true;
  }

  /** Whether enqueue would accept a batch now. */
  get hasRoom(): boolean {
    return !this.closing && this.pending < this.limit;
  }

  /**
   * Resolves with true when enqueue would accept a batch again, or with false
   * once the queue is closing (then it never will).
   */
  waitForRoom(): Promise<boolean> {
    if (this.closing) return Promise.resolve(false);
    if (this.pending < this.limit) return Promise.resolve(true);
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /**
   * What the source appended (all samples, including those this queue will
   * only read later from the WAL) and their newest timestamp. Drives
   * resharding; once called, the queue stops counting what it is offered.
   */
  noteIncoming(samples: number, highestTimestampMs: number): void {
    this.tuner.incoming(samples, highestTimestampMs, true);
  }

  /**
   * Sends metric metadata in requests of at most `perRequest` entries, with
   * the samples' signing and retries; resolves once each request is sent,
   * dropped (counted as failed) or the queue stops.
   */
  async sendMetadata(list: readonly MetricMetadata[], perRequest: number): Promise<void> {
    for (let i = 0; i < list.length && !this.closing; i += perRequest) {
      const chunk = list.slice(i, i + perRequest);
      const body = compressSync(encodeMetadataRequest(chunk));
      const result = await this.sender.send(body, 0);
      if (result.outcome === 'stopped') return;
      if (result.outcome === 'sent') {
        this.counts.metadataSent += chunk.length;
        this.counts.metadataBytes += body.length;
      } else {
        // Metadata is not split: a refused request's entries are dropped together.
        this.counts.metadataFailed += chunk.length;
        this.failures.dropped(result.verdict, chunk.length, chunk.length, 'metadata entry');
      }
    }
  }

  /** The series is gone from the table: free its cached labels. */
  forgetSeries(id: number): void {
    this.cache.forget(id);
  }

  get stats(): RemoteWriteStats {
    const c = this.counts;
    return {
      samplesSent: c.sent,
      samplesFailed: c.failed,
      samplesFailedByReason: { ...this.failedByReason },
      blocked: this.sender.blocked,
      samplesRetried: this.sender.unitsRetried,
      samplesDropped: c.dropped,
      samplesPending: this.pending,
      samplesRefused: c.refused,
      enqueueRetries: this.enqueueRefusals,
      shards: this.shards.length,
      desiredShards: this.tuner.desired,
      highestSentTimestampMs: Number.isFinite(this.tuner.highestSent) ? this.tuner.highestSent : 0,
      bytesSent: c.bytes,
      requests: this.sender.requests,
      requestsFailed: this.sender.requestsFailed,
      metadataSent: c.metadataSent,
      metadataFailed: c.metadataFailed,
      metadataBytes: c.metadataBytes,
    };
  }

  /**
   * Stops accepting, sends what is queued (partial batches at once) for up to
   * `drainMs`, then stops: retries end, in-flight requests are abandoned.
   * What was not sent stays in the WAL, as progress never covered it.
   */
  close(options: { drainMs?: number } = {}): Promise<CloseResult> {
    this.closed ??= this.shutDown(options.drainMs ?? 0);
    return this.closed;
  }

  private async shutDown(drainMs: number): Promise<CloseResult> {
    this.closing = true;
    clearInterval(this.reshardTimer);
    this.wakeRoomWaiters();
    for (const shard of this.shards) this.schedule(shard);
    if (this.pending > 0 && drainMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        timer = setTimeout(resolve, drainMs);
      });
      clearTimeout(timer);
    }
    this.stopped = true;
    for (const shard of [...this.shards, ...this.retiring]) shard.clearTimer();
    this.sender.stop();
    const unsent = this.pending;
    if (unsent > 0) this.log('warn', 'remote write stopped with samples unsent', { unsent });
    await this.ownAgent?.destroy();
    return { unsent };
  }

  private get limit(): number {
    return this.config.capacity * this.shards.length;
  }

  private newShards(count: number): Shard[] {
    const size = Math.min(this.config.capacity + this.config.maxSamplesPerSend, 4096);
    return Array.from({ length: count }, () => new Shard(size));
  }

  /** Sends from the shard if it is idle and has a full batch, a due one, or the queue is closing. */
  private schedule(shard: Shard): void {
    if (this.stopped || shard.sending > 0 || this.retiring.size > 0) return;
    const length = shard.columns.length;
    if (length === 0) {
      shard.clearTimer();
      return;
    }
    if (length >= this.config.maxSamplesPerSend || shard.due || this.closing) {
      this.send(shard);
      return;
    }
    shard.timer ??= setTimeout(() => {
      shard.timer = undefined;
      shard.due = true;
      this.schedule(shard);
    }, this.config.batchSendDeadlineMs);
  }

  private send(shard: Shard): void {
    shard.clearTimer();
    const count = Math.min(shard.columns.length, this.config.maxSamplesPerSend);
    shard.sending = count;
    void this.deliver(shard, count).catch((error: unknown) => {
      // A bug, not an endpoint's answer. Wedging the shard would stop every
      // series in it for good; dropping this one batch, loudly, does not.
      this.log('error', 'remote write: a batch could not be sent and is dropped', {
        error: String(error),
        samples: count,
      });
      if (this.stopped || shard.sending !== count) return;
      this.counts.failed += count;
      this.failedByReason.bug = (this.failedByReason.bug ?? 0) + count;
      this.finish(shard, count);
    });
  }

  private async deliver(shard: Shard, count: number): Promise<void> {
    const began = performance.now();
    const done = await deliverSplitting(
      (offset, length) => this.encode(shard.columns, offset, length),
      this.sender,
      count,
      this.splitMinSamples,
    );
    // Stopped: the batch is neither sent nor failed; the WAL still has it.
    if (done.stopped) return;
    const durationMs = performance.now() - began;
    this.lastSendDone = Date.now();
    this.counts.dropped += done.skipped;
    this.tuner.dropped(done.skipped);
    const samples = done.sent + done.failedTotal;
    this.tuner.sent(samples, durationMs / 1000, done.sent > 0 ? done.highestSentMs : undefined);
    this.counts.sent += done.sent;
    this.counts.bytes += done.bytes;
    this.counts.failed += done.failedTotal;
    for (const [reason, { samples: n, verdict }] of done.failed) {
      this.failedByReason[reason] = (this.failedByReason[reason] ?? 0) + n;
      this.failures.dropped(verdict, n, samples);
    }
    this.finish(shard, count);
    if (samples > 0) {
      this.report({
        samples,
        bytes: done.bytes,
        attempts: done.attempts,
        durationMs,
        outcome: done.sent > 0 ? 'sent' : 'failed',
        failed: done.failedTotal,
      });
    }
  }

  private get splitMinSamples(): number {
    return Math.max(1, this.options.splitMinSamples ?? DEFAULT_SPLIT_MIN_SAMPLES);
  }

  private report(report: SendReport): void {
    try {
      this.options.onSend?.(report);
    } catch (error) {
      this.log('error', 'remote write: the onSend callback threw', { error: String(error) });
    }
  }

  /** The first `count` samples of the shard are done with: sent, failed or skipped. */
  private finish(shard: Shard, count: number): void {
    const c = shard.columns;
    // Give each enqueue call back its samples, run by run: a request's samples mostly share a call.
    const end = c.head + count;
    let seq = c.seqs[c.head]!;
    let run = 0;
    for (let i = c.head; i < end; i++) {
      const s = c.seqs[i]!;
      if (s !== seq) {
        this.progress.finish(seq, run);
        seq = s;
        run = 0;
      }
      run++;
    }
    if (run > 0) this.progress.finish(seq, run);
    c.consume(count);
    shard.sending = 0;
    this.pending -= count;
    this.reportProgress();
    if (this.retiring.delete(shard)) {
      if (this.retiring.size === 0) for (const s of this.shards) this.schedule(s);
    } else {
      this.schedule(shard);
    }
    if (this.pending < this.limit) this.wakeRoomWaiters();
    if (this.pending === 0) this.drained?.();
  }

  private reportProgress(): void {
    const token = this.progress.advance();
    if (token === undefined || this.stopped) return;
    try {
      this.options.onProgress?.(token);
    } catch (error) {
      this.log('error', 'remote write: the progress callback threw', { error: String(error) });
    }
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake(!this.closing);
  }

  private updateShards(): void {
    const decision = this.tuner.tick(this.shards.length);
    if (decision.shards === this.shards.length || this.closing || this.retiring.size > 0) return;
    // As Prometheus: no resharding while the endpoint is not answering.
    if (Date.now() - this.lastSendDone > 2 * this.config.batchSendDeadlineMs) return;
    this.reshard(decision.shards);
  }

  private reshard(count: number): void {
    const from = this.shards.length;
    const next = this.newShards(count);
    for (const shard of redistribute(this.shards, next)) this.retiring.add(shard);
    this.shards = next;
    this.log('info', 'remote write resharding', { from, to: count, desired: this.tuner.desired });
    if (this.retiring.size === 0) for (const shard of next) this.schedule(shard);
    if (this.pending < this.limit) this.wakeRoomWaiters();
  }

  private log(level: SinkLogLevel, message: string, fields: object): void {
    const name = this.options.name;
    this.options.log?.(level, message, name === undefined ? { ...fields } : { name, ...fields });
  }
}
