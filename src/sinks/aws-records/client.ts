/**
 * The client both record-stream sinks are: a LogClient that encodes entries
 * into records (format.ts), packs them into calls at the API's exact limits
 * (batch.ts) and sends one call at a time, oldest first, signed through an
 * AwsClient.
 *
 * A call is a RetryingSender body whose records shrink as they are
 * delivered: when the answer reports some records failed (FailedPutCount /
 * FailedRecordCount and a per-record ErrorCode), the stored ones are
 * finished and counted, and only the failed ones are sent again, in their
 * order, after a backoff with jitter, before any later call; so every
 * record arrives once. Whole-call failures go through the shared
 * classification: throttling, 5xx and network errors are retried; an
 * expired or refused credential is refreshed and retried or held, never
 * dropped; a call refused for good is halved until the record at fault is
 * found, and only that record is dropped and counted.
 */
import { performance } from 'node:perf_hooks';
import type { AwsClient } from '../../aws/http/aws-client.js';
import { AwsError } from '../../aws/errors/index.js';
import type { LogEntry, LogLabels } from '../../model/log-entry.js';
import { FailureLog, type SinkLog } from '../shared/failure-log.js';
import type { LogClient, LogClientProgress } from '../shared/log-client.js';
import { ProgressTracker } from '../shared/progress.js';
import { RetryingSender, type RetryPolicy, type SendTarget } from '../shared/retry.js';
import type { Verdict } from '../shared/verdict.js';
import { within } from '../shared/within.js';
import type { RecordApi, RecordError } from './api.js';
import { RecordsFailedError, classifyRecordSend, tooLargeVerdict } from './verdicts.js';
import { RecordBatch, RecordBatcher, type OutRecord } from './batch.js';
import { encodeEntry, type RecordFormatOptions } from './format.js';
import type { RecordDropReason, RecordSinkMetrics } from './metrics.js';

/** How records are keyed: Kinesis's partition keys; Firehose has none. */
export interface PartitionKeys {
  /** The key for an entry's labels, or undefined to key its record by a hash of the data. */
  keyOf(labels: LogLabels): string | undefined;
  /** The bytes a key counts against the limits (the hash key's when undefined); 0 where keys do not count. */
  bytesOf(key: string | undefined): number;
  /** The hash key of a record's data (undefined where records have no key). */
  hashOf(data: Buffer): string | undefined;
}

export const NO_PARTITION_KEYS: PartitionKeys = {
  keyOf: () => undefined,
  bytesOf: () => 0,
  hashOf: () => undefined,
};

export interface RecordClientSettings {
  /** For messages: `firehose/<stream>`. */
  readonly name: string;
  /** The `stream` metric label: the delivery stream's or data stream's name. */
  readonly stream: string;
  /** The service's endpoint (requests are POSTed to it). */
  readonly url: string;
  readonly aws: AwsClient;
  readonly api: RecordApi;
  readonly keys: PartitionKeys;
  readonly format: RecordFormatOptions;
  readonly aggregate: boolean;
  readonly batchWaitMs: number;
  readonly maxBufferedBytes: number;
  readonly retry: RetryPolicy;
  /** How the destination is named in log lines: `firehose delivery stream logs`. */
  readonly destination: string;
}

export interface RecordClientDeps<Token> {
  readonly progress: LogClientProgress<Token>;
  readonly metrics: RecordSinkMetrics;
  readonly log: SinkLog;
  /** Milliseconds; tests move it. */
  readonly now?: (() => number) | undefined;
  readonly failureLogIntervalMs?: number | undefined;
}

export class RecordStreamClient<Token> implements LogClient<Token> {
  readonly name: string;
  private readonly tracker: ProgressTracker<Token>;
  private readonly batcher: RecordBatcher;
  /** Closed calls, oldest first; the first is being sent. */
  private readonly ready: RecordBatch[] = [];
  private bufferedBytes = 0;
  private closing = false;
  private stopped = false;
  private pumping: Promise<void> | undefined;
  private roomWaiters: (() => void)[] = [];
  private readonly ticker: NodeJS.Timeout;
  private readonly sender: RetryingSender<RecordBatch>;
  private readonly failures: FailureLog;
  private readonly now: () => number;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    private readonly settings: RecordClientSettings,
    private readonly deps: RecordClientDeps<Token>,
  ) {
    this.name = settings.name;
    this.now = deps.now ?? Date.now;
    this.tracker = new ProgressTracker<Token>(deps.progress.compare);
    this.batcher = new RecordBatcher(settings.api.limits, settings.aggregate, (data) =>
      settings.keys.hashOf(data),
    );
    this.headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': settings.api.target,
    };
    this.failures = new FailureLog({
      destination: settings.destination,
      log: deps.log,
      intervalMs: deps.failureLogIntervalMs,
      now: deps.now,
    });
    this.sender = new RetryingSender<RecordBatch>(
      this.target(),
      (error) => this.classify(error),
      settings.retry,
      this.failures,
      deps.now,
    );
    this.ticker = setInterval(
      () => this.closeOldBatch(),
      Math.max(5, Math.min(settings.batchWaitMs / 10, 100)),
    );
    this.ticker.unref();
  }

  enqueue(entries: readonly LogEntry[], token: Token): boolean {
    if (this.closing) return false;
    if (this.bufferedBytes >= this.settings.maxBufferedBytes) return false;
    const seq = this.tracker.open(token);
    const { api, keys, format } = this.settings;
    const { metrics } = this.deps;
    const stream = this.settings.stream;
    const now = this.now();
    for (const entry of entries) {
      const key = keys.keyOf(entry.labels);
      const keyBytes = keys.bytesOf(key);
      const encoded = encodeEntry(entry, format, api.limits.maxRecordBytes - keyBytes);
      if (encoded.pieces === undefined) {
        this.dropUnsendable(entry);
        continue;
      }
      if (encoded.cut) {
        const action = format.oversized === 'split' ? 'split' : 'truncated';
        metrics.oversizedEntries.inc({ stream, action });
      }
      this.tracker.add(seq, encoded.pieces.length);
      encoded.pieces.forEach((data, i) => {
        const closed = this.batcher.add(
          { data, key, keyBytes, seq, last: i === encoded.pieces.length - 1 },
          now,
        );
        this.bufferedBytes += data.length + keyBytes;
        if (closed) this.pushReady(closed);
      });
    }
    // A chunk of nothing sendable is finished at once (once those before it are).
    this.advance();
    return true;
  }

  waitForRoom(): Promise<unknown> {
    if (this.closing || this.bufferedBytes < this.settings.maxBufferedBytes)
      return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  async close(options: { drainMs: number }): Promise<{ unsent: number }> {
    if (!this.closing) {
      this.closing = true;
      clearInterval(this.ticker);
      const last = this.batcher.cut();
      if (last) this.pushReady(last);
      this.wakeRoomWaiters();
    }
    await within(this.pumping, options.drainMs);
    this.stopped = true;
    this.sender.stop();
    await this.pumping;
    let unsent = 0;
    for (const batch of this.ready) for (const record of batch.records) unsent += record.entries;
    return { unsent };
  }

  /** For stats: bytes held, calls waiting, and why sending is blocked if it is. */
  get stats(): {
    bufferedBytes: number;
    batches: number;
    blocked: RetryingSender<RecordBatch>['blocked'];
  } {
    return {
      bufferedBytes: this.bufferedBytes,
      batches: this.ready.length + (this.batcher.filling ? 1 : 0),
      blocked: this.sender.blocked,
    };
  }

  private dropUnsendable(entry: LogEntry): void {
    const { metrics } = this.deps;
    const stream = this.settings.stream;
    const reason: RecordDropReason = 'too_large';
    metrics.oversizedEntries.inc({ stream, action: 'dropped' });
    metrics.droppedEntries.inc({ stream, reason });
    metrics.droppedRecords.inc({ stream, reason });
    metrics.droppedBytes.inc({ stream, reason }, Buffer.byteLength(entry.line));
    const { format, oversized } = this.settings.format;
    const verdict = tooLargeVerdict(
      Buffer.byteLength(entry.line),
      this.settings.api.limits.maxRecordBytes,
      format === 'json',
      oversized === 'drop',
    );
    this.failures.dropped(verdict, 1, 1, 'entry');
  }

  private pushReady(batch: RecordBatch): void {
    this.ready.push(batch);
    this.pump();
  }

  private closeOldBatch(): void {
    const filling = this.batcher.filling;
    if (filling && this.now() - filling.createdAt >= this.settings.batchWaitMs) {
      const closed = this.batcher.cut();
      if (closed) this.pushReady(closed);
    }
  }

  private pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.sendReady().finally(() => {
      this.pumping = undefined;
    });
  }

  private async sendReady(): Promise<void> {
    while (!this.stopped) {
      const batch = this.ready[0];
      if (!batch) return;
      const { metrics } = this.deps;
      const stream = this.settings.stream;
      metrics.batchRecords.observe({ stream }, batch.records.length);
      metrics.batchBytes.observe({ stream }, batch.bytes);
      const result = await this.sender.send(batch, batch.records.length);
      if (result.outcome === 'stopped') return;
      this.ready.shift();
      if (result.outcome === 'dropped' && batch.records.length > 0) {
        this.refused(batch, result.verdict);
      }
      this.wakeRoomWaiters();
    }
  }

  /**
   * A call refused for good. Every record was sized to the limits, so a
   * refusal is about some record's content: halve the call and send each
   * half on its own, until the single record at fault is dropped.
   */
  private refused(batch: RecordBatch, verdict: Verdict): void {
    const records = batch.records;
    if (records.length > 1 && verdict.splittable !== false) {
      const middle = Math.ceil(records.length / 2);
      const halves = [records.slice(0, middle), records.slice(middle)].map((part) => {
        const half = new RecordBatch(batch.createdAt);
        half.records.push(...part);
        half.bytes = part.reduce((sum, record) => sum + record.size, 0);
        return half;
      });
      this.ready.unshift(...halves);
      return;
    }
    const { metrics } = this.deps;
    const stream = this.settings.stream;
    const reason: RecordDropReason = verdict.dropReason === 'too-large' ? 'too_large' : 'invalid';
    let entries = 0;
    for (const record of records) {
      entries += record.entries;
      metrics.droppedRecords.inc({ stream, reason });
      metrics.droppedBytes.inc({ stream, reason }, record.size);
      this.finish(record);
    }
    if (entries > 0) metrics.droppedEntries.inc({ stream, reason }, entries);
    this.failures.dropped(verdict, records.length, records.length, 'record');
    batch.records.length = 0;
    this.advance();
  }

  private finish(record: OutRecord): void {
    for (const run of record.runs) this.tracker.finish(run.seq, run.count);
    this.bufferedBytes -= record.size;
  }

  private advance(): void {
    const token = this.tracker.advance();
    if (token !== undefined) this.deps.progress.onProgress(token);
  }

  private wakeRoomWaiters(): void {
    if (!this.closing && this.bufferedBytes >= this.settings.maxBufferedBytes) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private classify(error: unknown): Verdict {
    const verdict = classifyRecordSend(error);
    if (verdict.action === 'drop') return verdict;
    const stream = this.settings.stream;
    this.deps.metrics.batchRetries.inc({ stream });
    // Records that failed one by one are counted where the answer is read.
    if (!(error instanceof RecordsFailedError)) {
      this.deps.metrics.retriedRecords.inc({ stream }, this.ready[0]?.records.length ?? 0);
    }
    return verdict;
  }

  /** One call with what is left of the batch; finishes what was stored, throws if any record failed. */
  private target(): SendTarget<RecordBatch> {
    const { aws, api, url, stream } = this.settings;
    const { metrics } = this.deps;
    return {
      send: async (batch) => {
        const records = batch.records;
        const began = performance.now();
        let status = -1;
        let answer: unknown;
        try {
          const response = await aws.send({
            method: 'POST',
            url,
            headers: this.headers,
            body: api.body(records),
          });
          status = response.status;
          answer = JSON.parse(response.body.toString('utf8'));
        } catch (error) {
          if (error instanceof AwsError) status = error.status;
          throw error;
        } finally {
          metrics.requestDuration.observe(
            { stream, status_code: String(status) },
            (performance.now() - began) / 1000,
          );
        }
        const results = api.results(answer, records.length);
        const failed: OutRecord[] = [];
        let first: RecordError | undefined;
        let sentRecords = 0;
        let sentEntries = 0;
        let sentBytes = 0;
        records.forEach((record, i) => {
          const problem = results[i];
          if (problem) {
            first ??= problem;
            failed.push(record);
            metrics.failedRecords.inc({ stream, code: problem.code });
            return;
          }
          sentRecords++;
          sentEntries += record.entries;
          sentBytes += record.data.length;
          this.finish(record);
        });
        metrics.sentRecords.inc({ stream }, sentRecords);
        metrics.sentEntries.inc({ stream }, sentEntries);
        metrics.sentBytes.inc({ stream }, sentBytes);
        batch.records.length = 0;
        batch.records.push(...failed);
        batch.bytes = failed.reduce((sum, record) => sum + record.size, 0);
        this.advance();
        if (first) {
          metrics.retriedRecords.inc({ stream }, failed.length);
          throw new RecordsFailedError(failed.length, sentRecords, first);
        }
      },
      refresh: () => aws.refreshCredentials(),
      changed: () => aws.credentialsChanged(),
    };
  }
}
