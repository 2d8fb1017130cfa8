/**
 * The CloudWatch Logs client: entries in, PutLogEvents out, as a LogClient
 * of the logs pipeline. Each entry goes to the stream its labels name (the
 * stream name template), becomes one event or, over the per-event limit,
 * several (or one truncated); events AWS would reject for their time (older
 * than 14 days or the retention this client sets, more than 2 hours ahead)
 * and empty lines are counted and dropped here, never sent. Each stream
 * fills a batch that is sealed at a PutLogEvents limit or after batch_wait;
 * up to max_parallel_streams streams send at once, one batch each, so a
 * stream's events arrive in order. A batch is retried through the shared
 * RetryingSender (throttling and 5xx with backoff and jitter; credential and
 * access refusals refreshed or held, never dropped); a refusal of the batch
 * itself (InvalidParameterException) drops it with the reason logged; events
 * AWS reports in rejectedLogEventsInfo are counted as dropped. Progress is
 * the newest token behind which every event is sent or dropped for good.
 */
import type { LogEntry } from '../../model/log-entry.js';
import { classifySendError } from '../shared/classify.js';
import { FailureLog, type SinkLog } from '../shared/failure-log.js';
import type { LogClient, LogClientProgress } from '../shared/log-client.js';
import { ProgressTracker } from '../shared/progress.js';
import { RetryingSender } from '../shared/retry.js';
import type { BlockedState, DropReason, Verdict } from '../shared/verdict.js';
import { within } from '../shared/within.js';
import { rejectedCounts } from './api.js';
import { StreamQueue, type Batch, type BatchLimits } from './batch.js';
import { EventFormatter, eventSize, timestampMs } from './events.js';
import { DAY_MS, MAX_AGE_MS, MAX_FUTURE_MS } from './limits.js';
import type { CloudWatchLogsDropReason, CloudWatchLogsMetrics } from './metrics.js';
import {
  resolveCloudWatchLogsOptions,
  type CloudWatchLogsOptions,
  type ResolvedCloudWatchLogsOptions,
} from './options.js';
import { LogResourceError, PutLogEventsTarget, type PutPayload } from './target.js';

export interface CloudWatchLogsClientDeps<Token> {
  readonly progress: LogClientProgress<Token>;
  /** From createCloudWatchLogsMetrics, once per agent. */
  readonly metrics: CloudWatchLogsMetrics;
  readonly log: SinkLog;
  /** AWS's time in milliseconds, for the age checks; the AwsClient's corrected clock by default. */
  readonly now?: (() => number) | undefined;
}

/** The shared verdict vocabulary's reason for each of ours, for the failure log. */
const VERDICT_REASON: Record<CloudWatchLogsDropReason, DropReason> = {
  too_old: 'too-old',
  expired: 'too-old',
  too_new: 'too-new',
  empty: 'invalid',
  too_large: 'too-large',
  invalid_parameter: 'invalid',
  invalid: 'invalid',
};

export class CloudWatchLogsClient<Token> implements LogClient<Token> {
  readonly name: string;
  readonly options: ResolvedCloudWatchLogsOptions;
  private readonly tracker: ProgressTracker<Token>;
  private readonly formatter: EventFormatter;
  private readonly limits: BatchLimits;
  private readonly streams = new Map<string, StreamQueue>();
  /** Streams with a sealed batch and none in flight, in the order they became ready. */
  private readonly waiting = new Set<StreamQueue>();
  private readonly sender: RetryingSender<PutPayload>;
  private readonly failures: FailureLog;
  private readonly now: () => number;
  private inFlight = 0;
  private bufferedBytes = 0;
  /** Events taken and not yet sent or dropped. */
  private unfinished = 0;
  private closing = false;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    given: CloudWatchLogsOptions,
    private readonly deps: CloudWatchLogsClientDeps<Token>,
  ) {
    this.options = resolveCloudWatchLogsOptions(given);
    this.name = this.options.name;
    this.now = deps.now ?? (() => given.aws.clock.now());
    this.tracker = new ProgressTracker<Token>(deps.progress.compare);
    this.formatter = new EventFormatter(this.options.logFormat, this.options.oversize);
    this.limits = { maxEvents: this.options.maxBatchEvents, maxBytes: this.options.maxBatchBytes };
    this.failures = new FailureLog({
      destination: `cloudwatch logs client ${this.name}`,
      log: deps.log,
      intervalMs: this.options.failureLogIntervalMs,
    });
    const target = new PutLogEventsTarget(given.aws, this.options, deps.metrics, deps.log);
    this.sender = new RetryingSender<PutPayload>(
      target,
      (error) => {
        const verdict = classifyCloudWatchLogsError(error);
        if (verdict.action !== 'drop') {
          deps.metrics.failedRequests.labels(this.options.host, verdict.cause).inc();
        }
        return verdict;
      },
      {
        minBackoffMs: this.options.minBackoffMs,
        maxBackoffMs: this.options.maxBackoffMs,
        holdMaxBackoffMs: this.options.holdMaxBackoffMs,
        jitter: 0.5,
      },
      this.failures,
    );
  }

  /** Why the destination cannot deliver (credentials, access, a missing group it may not create). */
  get blocked(): BlockedState | undefined {
    return this.sender.blocked;
  }

  enqueue(entries: readonly LogEntry[], token: Token): boolean {
    if (this.closing || this.bufferedBytes >= this.options.maxBufferedBytes) return false;
    const seq = this.tracker.open(token);
    let units = 0;
    const now = this.now();
    const oldest = now - MAX_AGE_MS;
    const kept =
      this.options.retentionInDays === undefined
        ? -Infinity
        : now - this.options.retentionInDays * DAY_MS;
    const newest = now + MAX_FUTURE_MS;
    const touched = new Set<StreamQueue>();
    let lastNs: bigint | undefined;
    let timestamp = 0;
    for (const entry of entries) {
      // Entries read together share a timestamp: converted once per run of them.
      if (entry.timestampNs !== lastNs) {
        lastNs = entry.timestampNs;
        timestamp = timestampMs(entry);
      }
      const late =
        timestamp < oldest
          ? 'too_old'
          : timestamp < kept
            ? 'expired'
            : timestamp > newest
              ? 'too_new'
              : undefined;
      if (late) {
        this.dropBeforeSending(late, entry, timestamp, now);
        continue;
      }
      // The usual entry is one event as it is: no outcome object built for it.
      const single = this.formatter.single(entry);
      const formatted = single === undefined ? this.formatter.messages(entry) : undefined;
      if (formatted !== undefined && formatted.kind !== 'events') {
        const reason = formatted.kind === 'empty' ? 'empty' : 'too_large';
        this.dropBeforeSending(reason, entry, timestamp, now);
        continue;
      }
      if (formatted?.cut) {
        this.deps.metrics.oversizedEntries.labels(this.options.host, formatted.cut).inc();
      }
      const stream = this.streamOf(this.options.streamName(entry.labels));
      if (single !== undefined) units += this.addEvent(stream, timestamp, single, seq);
      else for (const m of formatted!.messages) units += this.addEvent(stream, timestamp, m, seq);
      touched.add(stream);
    }
    this.tracker.add(seq, units);
    this.unfinished += units;
    for (const stream of touched) this.armTimer(stream);
    this.advance();
    this.pump();
    return true;
  }

  /** One event into its stream's open batch; answers 1, the unit it adds. */
  private addEvent(stream: StreamQueue, timestamp: number, message: string, seq: number): number {
    const bytes = eventSize(message);
    if (stream.add(timestamp, message, bytes, seq, this.limits)) this.ready(stream);
    this.bufferedBytes += bytes;
    return 1;
  }

  waitForRoom(): Promise<unknown> {
    if (this.closing || this.bufferedBytes < this.options.maxBufferedBytes)
      return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  async close(options: { drainMs: number }): Promise<{ unsent: number }> {
    this.closing = true;
    this.wakeRoomWaiters();
    for (const stream of this.streams.values()) if (stream.cut()) this.ready(stream);
    this.pump();
    const deadline = Date.now() + options.drainMs;
    while (this.unfinished > 0 && this.inFlight > 0 && Date.now() < deadline) {
      await within(this.nextSendDone(), deadline - Date.now());
    }
    this.sender.stop();
    // Sends under way return 'stopped' now; wait for them so the count below is final.
    while (this.inFlight > 0) await this.nextSendDone();
    for (const stream of this.streams.values()) if (stream.timer) clearTimeout(stream.timer);
    return { unsent: this.unfinished };
  }

  /** Resolves when a send under way ends. */
  private nextSendDone(): Promise<void> {
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private streamOf(name: string): StreamQueue {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = new StreamQueue(name, this.options.logGroupName);
      this.streams.set(name, stream);
    }
    return stream;
  }

  private armTimer(stream: StreamQueue): void {
    if (!stream.open || stream.timer) return;
    if (this.options.batchWaitMs === 0) {
      if (stream.cut()) this.ready(stream);
      return;
    }
    stream.timer = setTimeout(() => {
      stream.timer = undefined;
      if (stream.cut()) this.ready(stream);
      this.pump();
    }, this.options.batchWaitMs);
  }

  private ready(stream: StreamQueue): void {
    if (!stream.inFlight) this.waiting.add(stream);
  }

  /** Starts sends while a stream is waiting and fewer than max_parallel_streams are under way. */
  private pump(): void {
    for (const stream of this.waiting) {
      if (this.inFlight >= this.options.maxParallelStreams) return;
      this.waiting.delete(stream);
      const batch = stream.ready.shift();
      if (!batch) continue;
      stream.inFlight = true;
      this.inFlight++;
      void this.send(stream, batch).finally(() => {
        stream.inFlight = false;
        this.inFlight--;
        if (stream.ready.length > 0) this.waiting.add(stream);
        if (stream.idle && !this.closing) this.streams.delete(stream.name);
        this.pump();
        this.wakeIdleWaiters();
      });
    }
  }

  private async send(stream: StreamQueue, batch: Batch): Promise<void> {
    const { host } = this.options;
    const count = batch.count;
    const payload: PutPayload = { stream: stream.name, body: batch.body() };
    const retriedBefore = this.sender.unitsRetried;
    const result = await this.sender.send(payload, count);
    this.deps.metrics.retriedEntries.labels(host).inc(this.sender.unitsRetried - retriedBefore);
    if (result.attempts > 1) this.deps.metrics.batchRetries.labels(host).inc(result.attempts - 1);
    if (result.outcome === 'stopped') return; // left to the WAL: not finished, progress stays short of it
    if (result.outcome === 'sent') {
      this.deps.metrics.batchEvents.labels(host).observe(count);
      this.deps.metrics.batchBytes.labels(host).observe(batch.bytes);
      const rejected = rejectedCounts(payload.rejected, count);
      const storedEnd = count - rejected.tooNew;
      const storedStart = Math.max(rejected.tooOld + rejected.expired, 0);
      this.deps.metrics.sentEntries.labels(host).inc(Math.max(storedEnd - storedStart, 0));
      this.deps.metrics.sentBytes.labels(host).inc(batch.bytesBetween(storedStart, storedEnd));
      this.dropRange(batch, 0, rejected.tooOld, 'too_old', 'older than 14 days');
      this.dropRange(
        batch,
        rejected.tooOld,
        rejected.tooOld + rejected.expired,
        'expired',
        "older than the log group's retention",
      );
      this.dropRange(batch, storedEnd, count, 'too_new', 'more than 2 hours ahead');
    } else {
      const reason: CloudWatchLogsDropReason =
        result.verdict.cause === 'AWS InvalidParameterException' ? 'invalid_parameter' : 'invalid';
      this.countDrop(reason, count, batch.bytes);
      this.failures.dropped(result.verdict, count, count, 'event');
    }
    this.finish(batch);
  }

  /** Events AWS reported in rejectedLogEventsInfo: stored no more than a drop. */
  private dropRange(
    batch: Batch,
    from: number,
    to: number,
    reason: CloudWatchLogsDropReason,
    why: string,
  ): void {
    if (to <= from) return;
    this.countDrop(reason, to - from, batch.bytesBetween(from, to));
    this.failures.dropped(
      this.dropVerdict(
        reason,
        `CloudWatch Logs rejected ${to - from} of ${batch.count} events as ${why} (rejectedLogEventsInfo)`,
      ),
      to - from,
      batch.count,
      'event',
    );
  }

  private dropBeforeSending(
    reason: CloudWatchLogsDropReason,
    entry: LogEntry,
    timestamp: number,
    now: number,
  ): void {
    const bytes = eventSize(entry.line);
    this.countDrop(reason, 1, bytes);
    const at = Number.isFinite(timestamp) ? new Date(timestamp).toISOString() : String(timestamp);
    const message =
      reason === 'empty'
        ? 'an empty line is not a CloudWatch Logs event (its message must have at least one character)'
        : reason === 'too_large'
          ? 'the labels alone exceed the 1 MiB event limit in log_format json'
          : `an entry at ${at} is ${reason === 'too_new' ? 'more than 2 hours ahead of' : reason === 'expired' ? "older than the log group's retention before" : 'more than 14 days before'} ${new Date(now).toISOString()}; CloudWatch Logs would reject it`;
    this.failures.dropped(this.dropVerdict(reason, message), 1, 1, 'entry');
  }

  private dropVerdict(reason: CloudWatchLogsDropReason, message: string): Verdict {
    return { action: 'drop', cause: reason, dropReason: VERDICT_REASON[reason], message };
  }

  private countDrop(reason: CloudWatchLogsDropReason, count: number, bytes: number): void {
    this.deps.metrics.droppedEntries.labels(this.options.host, reason).inc(count);
    this.deps.metrics.droppedBytes.labels(this.options.host, reason).inc(bytes);
  }

  /** The batch's events are sent or dropped for good. */
  private finish(batch: Batch): void {
    for (const [seq, count] of batch.countsBySeq()) this.tracker.finish(seq, count);
    this.unfinished -= batch.count;
    this.bufferedBytes -= batch.bytes;
    this.advance();
    if (this.bufferedBytes < this.options.maxBufferedBytes) this.wakeRoomWaiters();
  }

  private advance(): void {
    const token = this.tracker.advance();
    if (token !== undefined) this.deps.progress.onProgress(token);
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** The shared classification, and a group or stream that cannot be created held like a missing one. */
export function classifyCloudWatchLogsError(error: unknown): Verdict {
  if (error instanceof LogResourceError) {
    return {
      action: 'hold',
      blocked: 'not-found',
      cause: `AWS ${error.refusal.code} creating a ${error.resource}`,
      status: error.refusal.status,
      message: error.message,
      hint: error.hint,
    };
  }
  return classifySendError(error, { retryOnHttp429: true });
}
