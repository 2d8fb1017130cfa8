/**
 * The S3 client: entries in, objects out, as a LogClient of the logs
 * pipeline. Entries are encoded (ndjson or raw) into an open object per
 * partition (the `{{ .label }}` values of key_format); an object is sealed
 * when its entries reach batch_size bytes before compression, or batch_wait
 * after its first entry arrived, then compressed once and uploaded
 * (upload.ts: PutObject, or multipart above the threshold) through the
 * shared RetryingSender: SlowDown, 5xx and network failures retried with
 * backoff and jitter, credential and access refusals refreshed or held,
 * never dropped; the sealed object stays in this bounded buffer until S3
 * has stored it. Everything held (open, sealed, uploading) is counted in
 * bytes before compression; past max_buffered_bytes (4 × batch_size by
 * default) enqueue answers false. Progress is reported only for entries
 * whose object is stored (or, refused by S3 for good, dropped and counted).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LogEntry } from '../../model/log-entry.js';
import { FailureLog, type SinkLog } from '../shared/failure-log.js';
import type { LogClient, LogClientProgress } from '../shared/log-client.js';
import { ProgressTracker } from '../shared/progress.js';
import { RetryingSender } from '../shared/retry.js';
import type { BlockedState } from '../shared/verdict.js';
import { compress, EntryEncoder } from './encode.js';
import type { S3DropReason, S3Metrics } from './metrics.js';
import { resolveS3SinkOptions, type ResolvedS3SinkOptions, type S3SinkOptions } from './options.js';
import { classifyS3Error, S3UploadTarget, type SealedObject } from './upload.js';
import { UploadJournal } from './upload-journal.js';

export interface S3ClientDeps<Token> {
  readonly progress: LogClientProgress<Token>;
  /** From createS3Metrics, once per agent. */
  readonly metrics: S3Metrics;
  readonly log: SinkLog;
}

/** Entries gathering for one object. */
interface OpenObject {
  readonly partition: string;
  /** The first entry's time, in ms: the key's time. */
  readonly firstMs: number;
  readonly chunks: string[];
  bytes: number;
  entries: number;
  readonly countsBySeq: Map<number, number>;
  timer: NodeJS.Timeout | undefined;
}

export class S3LogClient<Token> implements LogClient<Token> {
  readonly name: string;
  readonly options: ResolvedS3SinkOptions;
  private readonly tracker: ProgressTracker<Token>;
  private readonly encoder: EntryEncoder;
  private readonly target: S3UploadTarget;
  private readonly sender: RetryingSender<SealedObject>;
  private readonly failures: FailureLog;
  private readonly open = new Map<string, OpenObject>();
  private readonly ready: SealedObject[] = [];
  private sealing = 0;
  private inFlight = 0;
  /** Bytes before compression of every entry held: open, sealed, or uploading. */
  private bufferedBytes = 0;
  /** Entries taken and not yet stored or dropped. */
  private unfinished = 0;
  private closing = false;
  private stopped = false;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    given: S3SinkOptions,
    private readonly deps: S3ClientDeps<Token>,
  ) {
    this.options = resolveS3SinkOptions(given);
    this.name = this.options.name;
    this.tracker = new ProgressTracker<Token>(deps.progress.compare);
    this.encoder = new EntryEncoder(this.options.format);
    this.failures = new FailureLog({
      destination: `s3 client ${this.name}`,
      log: deps.log,
      intervalMs: this.options.failureLogIntervalMs,
    });
    const journalPath = this.options.uploadJournalPath;
    const journal =
      journalPath === undefined
        ? undefined
        : new UploadJournal(journalPath, (error) =>
            deps.log('warn', 's3 client cannot record its multipart uploads', {
              client: this.name,
              path: journalPath,
              error: error.message,
            }),
          );
    this.target = new S3UploadTarget(given.aws, this.options, deps.metrics, journal);
    if (journal && journal.leftovers.length > 0) void this.abortLeftovers(journal);
    const { host } = this.options;
    this.sender = new RetryingSender<SealedObject>(
      this.target,
      (error) => {
        const verdict = classifyS3Error(error);
        deps.metrics.failedUploads.labels(host, verdict.cause).inc();
        if (verdict.action !== 'drop')
          deps.metrics.retriedUploads.labels(host, verdict.cause).inc();
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

  /** Aborts the multipart uploads a previous run began and never finished (it was killed). */
  private async abortLeftovers(journal: UploadJournal): Promise<void> {
    let aborted = 0;
    for (const { key, uploadId } of journal.leftovers) {
      if (await this.target.abort(key, uploadId)) aborted++;
    }
    this.deps.log(
      aborted === journal.leftovers.length ? 'info' : 'warn',
      'aborted the multipart uploads a previous run left unfinished',
      { client: this.name, aborted, left: journal.leftovers.length - aborted },
    );
  }

  /** Why the bucket cannot be written (credentials, access, a setting S3 refuses). */
  get blocked(): BlockedState | undefined {
    return this.sender.blocked;
  }

  enqueue(entries: readonly LogEntry[], token: Token): boolean {
    if (this.closing || this.bufferedBytes >= this.options.maxBufferedBytes) return false;
    const seq = this.tracker.open(token);
    const { keyFormat, batchSizeBytes } = this.options;
    const touched = new Set<OpenObject>();
    for (const entry of entries) {
      const object = this.objectFor(keyFormat.partition(entry.labels), entry);
      const text = this.encoder.encode(entry);
      const bytes = Buffer.byteLength(text);
      object.chunks.push(text);
      object.bytes += bytes;
      object.entries++;
      object.countsBySeq.set(seq, (object.countsBySeq.get(seq) ?? 0) + 1);
      this.bufferedBytes += bytes;
      if (object.bytes >= batchSizeBytes) this.seal(object);
      else touched.add(object);
    }
    this.tracker.add(seq, entries.length);
    this.unfinished += entries.length;
    if (this.options.batchWaitMs === 0) for (const object of touched) this.seal(object);
    this.advance();
    return true;
  }

  waitForRoom(): Promise<unknown> {
    if (this.closing || this.bufferedBytes < this.options.maxBufferedBytes)
      return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  async close(options: { drainMs: number }): Promise<{ unsent: number }> {
    this.closing = true;
    this.wakeRoomWaiters();
    for (const object of [...this.open.values()]) this.seal(object);
    const deadline = Date.now() + options.drainMs;
    while (
      this.unfinished > 0 &&
      (this.inFlight > 0 || this.sealing > 0) &&
      Date.now() < deadline
    ) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.nextChange(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        }),
      ]);
      clearTimeout(timer);
    }
    this.stopped = true;
    this.sender.stop();
    // Uploads under way return 'stopped' now; wait for them (and their aborts) so the count is final.
    while (this.inFlight > 0 || this.sealing > 0) await this.nextChange();
    return { unsent: this.unfinished };
  }

  private objectFor(partition: string, entry: LogEntry): OpenObject {
    let object = this.open.get(partition);
    if (object === undefined) {
      object = {
        partition,
        firstMs: Number(entry.timestampNs / 1_000_000n),
        chunks: [],
        bytes: 0,
        entries: 0,
        countsBySeq: new Map(),
        timer: undefined,
      };
      this.open.set(partition, object);
      if (this.options.batchWaitMs > 0) {
        const sealing = object;
        object.timer = setTimeout(() => {
          sealing.timer = undefined;
          this.seal(sealing);
        }, this.options.batchWaitMs);
      }
    }
    return object;
  }

  /** Closes the object to new entries, compresses it and queues it for upload. */
  private seal(object: OpenObject): void {
    if (this.open.get(object.partition) !== object) return;
    this.open.delete(object.partition);
    if (object.timer) clearTimeout(object.timer);
    const key = this.options.keyFormat.render(object.partition, object.firstMs, randomUUID());
    this.sealing++;
    void compress(object.chunks, this.options.compression)
      .then(
        (body) => {
          this.ready.push({
            key,
            body,
            entries: object.entries,
            uncompressedBytes: object.bytes,
            countsBySeq: object.countsBySeq,
          });
        },
        (error: unknown) => {
          // zlib does not fail on a bounded buffer; if it ever does, the entries are counted, not lost silently.
          this.deps.log(
            'error',
            `${this.name}: could not compress an object; its entries are dropped`,
            {
              key,
              entries: object.entries,
              error: error instanceof Error ? error.message : String(error),
            },
          );
          const { host } = this.options;
          this.deps.metrics.dropped.labels(host, 'invalid').inc(object.entries);
          this.deps.metrics.droppedEntries.labels(host, 'invalid').inc(object.entries);
          this.deps.metrics.droppedBytes.labels(host, 'invalid').inc(object.bytes);
          this.finish({
            entries: object.entries,
            uncompressedBytes: object.bytes,
            countsBySeq: object.countsBySeq,
          });
        },
      )
      .finally(() => {
        this.sealing--;
        this.pump();
        this.wakeIdleWaiters();
      });
  }

  /** Starts uploads while objects are ready and fewer than max_parallel_uploads are under way. */
  private pump(): void {
    while (!this.stopped && this.inFlight < this.options.maxParallelUploads) {
      const object = this.ready.shift();
      if (!object) return;
      this.inFlight++;
      void this.upload(object).finally(() => {
        this.inFlight--;
        this.pump();
        this.wakeIdleWaiters();
      });
    }
  }

  private async upload(object: SealedObject): Promise<void> {
    const { host } = this.options;
    const { metrics } = this.deps;
    const result = await this.sender.send(object, object.entries);
    if (result.attempts > 1) metrics.batchRetries.labels(host).inc(result.attempts - 1);
    if (result.outcome === 'stopped') {
      // Left to the WAL (or reported unsent): no part of it may linger in the bucket.
      await this.target.abandon(object);
      return;
    }
    if (result.outcome === 'sent') {
      const upload = this.target.isMultipart(object) ? 'multipart' : 'put';
      metrics.objects.labels(host, upload).inc();
      metrics.entries.labels(host).inc(object.entries);
      metrics.uncompressedBytes.labels(host).inc(object.uncompressedBytes);
      metrics.storedBytes.labels(host).inc(object.body.length);
      metrics.sentEntries.labels(host).inc(object.entries);
      metrics.sentBytes.labels(host).inc(object.body.length);
      metrics.uploadDuration
        .labels(host, upload)
        .observe((performance.now() - (object.startedAt ?? performance.now())) / 1000);
    } else {
      await this.target.abandon(object);
      const reason: S3DropReason =
        result.verdict.dropReason === 'too-large' ? 'too_large' : 'invalid';
      metrics.dropped.labels(host, reason).inc(object.entries);
      metrics.droppedEntries.labels(host, reason).inc(object.entries);
      metrics.droppedBytes.labels(host, reason).inc(object.uncompressedBytes);
      this.failures.dropped(result.verdict, object.entries, object.entries, 'entry');
    }
    this.finish(object);
  }

  /** The object's entries are stored or dropped for good. */
  private finish(
    object: Pick<SealedObject, 'entries' | 'uncompressedBytes' | 'countsBySeq'>,
  ): void {
    for (const [seq, count] of object.countsBySeq) this.tracker.finish(seq, count);
    this.unfinished -= object.entries;
    this.bufferedBytes -= object.uncompressedBytes;
    this.advance();
    if (this.bufferedBytes < this.options.maxBufferedBytes) this.wakeRoomWaiters();
  }

  private advance(): void {
    const token = this.tracker.advance();
    if (token !== undefined) this.deps.progress.onProgress(token);
  }

  /** Resolves when an upload or a compression ends. */
  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
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
