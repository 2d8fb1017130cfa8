/**
 * Where scraped samples land: each new series is numbered and logged to the
 * WAL, each batch is written to the WAL before any sender sees it, and then
 * offered to every delivery. A WAL that cannot be written (full disk) is
 * reported and retried; samples still flow to the senders from memory.
 *
 * Series that stop getting samples are forgotten at WAL truncation, as
 * Prometheus's agent garbage-collects its series: once none of their samples
 * is left in the WAL and none arrived for a while, their labels leave the
 * table and every queue, so memory follows the active series under churn.
 */
import { WalWriteError, type WalPosition, type WalWriter } from '../../buffer/wal/index.js';
import { labelsKey, type Labels } from '../../model/labels.js';
import type { SampleBatch, SeriesTable } from '../../model/series.js';
import type { SampleAppender } from '../../sources/scrape/appender.js';
import { SAMPLES_RECORD } from './records/samples.js';
import { SERIES_RECORD } from './records/series.js';

/** A consumer of appended samples (a remote_write delivery). */
export interface SampleConsumer {
  /** `highestMs`: the batch's newest timestamp, computed once for all consumers. */
  offer(batch: SampleBatch, end: WalPosition, highestMs: number): void;
  /** These series are gone for good: no sample of theirs will be offered again. */
  forget(ids: readonly number[]): void;
}

export interface StorageEvents {
  walError(error: WalWriteError): void;
  walRecovered(): void;
}

/** How long a series must go without samples before it can be forgotten, at least. */
export const DEFAULT_FORGET_AFTER_MS = 5 * 60_000;

export class Storage implements SampleAppender {
  /** Per series id, the WAL segment holding its latest definition. */
  private readonly definedIn: number[] = [];
  /** Per series id, the WAL segment of its latest sample. */
  private lastSegment = new Int32Array(1024);
  /** Per series id, when its latest sample was appended (ms since the epoch). */
  private lastAppend = new Float64Array(1024);
  private readonly consumers: SampleConsumer[] = [];
  private walFailing = false;
  samplesAppended = 0;
  highestTimestampMs = 0;
  walErrors = 0;

  constructor(
    readonly table: SeriesTable,
    private readonly wal: WalWriter,
    private readonly events: StorageEvents,
    private readonly forgetAfterMs = DEFAULT_FORGET_AFTER_MS,
    private readonly now: () => number = Date.now,
  ) {
    // Series restored from the WAL may have unsent samples anywhere in it.
    this.ensureCapacity(table.nextId);
    this.lastSegment.fill(wal.head.segment);
    this.lastAppend.fill(this.now());
  }

  addConsumer(consumer: SampleConsumer): void {
    this.consumers.push(consumer);
  }

  get seriesCount(): number {
    return this.table.size;
  }

  series(labels: Labels): number {
    const key = labelsKey(labels);
    let id = this.table.idOf(key);
    if (id === undefined) {
      const created = this.table.add(key);
      this.ensureCapacity(created + 1);
      const at = this.guard(() => this.wal.append(SERIES_RECORD, [{ id: created, labels }]));
      this.definedIn[created] = at?.segment ?? -1;
      id = created;
    }
    return id;
  }

  append(batch: SampleBatch): void {
    if (batch.count === 0) return;
    this.samplesAppended += batch.count;
    const ts = batch.timestamps;
    let highest = 0;
    for (let i = 0; i < batch.count; i++) if (ts[i]! > highest) highest = ts[i]!;
    if (highest > this.highestTimestampMs) this.highestTimestampMs = highest;
    const end = this.guard(() => this.wal.append(SAMPLES_RECORD, batch)) ?? this.wal.head;
    const { ids, count } = batch;
    const { lastSegment, lastAppend } = this;
    const now = this.now();
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      lastSegment[id] = end.segment;
      lastAppend[id] = now;
    }
    for (const c of this.consumers) c.offer(batch, end, highest);
  }

  /**
   * Forgets the series with no sample in segment `segment` or later (those
   * before it are about to be deleted, every endpoint having sent them) and
   * none appended for forgetAfterMs. A scrape target samples each series it
   * holds every interval, so such a series is gone from every target; if it
   * comes back it gets a new id. Returns how many were forgotten.
   */
  forgetIdle(segment: number): number {
    const cutoff = this.now() - this.forgetAfterMs;
    const gone: number[] = [];
    for (const id of this.table.liveIds()) {
      if (this.lastSegment[id]! < segment && this.lastAppend[id]! < cutoff) gone.push(id);
    }
    if (gone.length === 0) return 0;
    for (const id of gone) this.table.delete(id);
    for (const c of this.consumers) c.forget(gone);
    return gone.length;
  }

  /**
   * Re-logs into the head segment every series defined before `segment`, so
   * the segments before it can be deleted without losing the definitions that
   * later samples refer to. Without `segment`, every series.
   */
  checkpointSeries(segment = Number.POSITIVE_INFINITY): void {
    const due: number[] = [];
    for (const id of this.table.liveIds()) if ((this.definedIn[id] ?? -1) < segment) due.push(id);
    for (let i = 0; i < due.length; i += 10_000) {
      const chunk = due.slice(i, i + 10_000);
      const at = this.guard(() =>
        this.wal.append(
          SERIES_RECORD,
          chunk.map((id) => ({ id, labels: this.table.labels(id)! })),
        ),
      );
      if (at) for (const id of chunk) this.definedIn[id] = at.segment;
    }
  }

  private ensureCapacity(size: number): void {
    if (size <= this.lastSegment.length) return;
    const length = Math.max(size, this.lastSegment.length * 2);
    const segments = new Int32Array(length);
    segments.set(this.lastSegment);
    const appends = new Float64Array(length);
    appends.set(this.lastAppend);
    this.lastSegment = segments;
    this.lastAppend = appends;
  }

  private guard<T>(write: () => T): T | undefined {
    try {
      const out = write();
      if (this.walFailing) {
        this.walFailing = false;
        this.events.walRecovered();
        // Series created while the WAL failed were never logged: log them all again.
        this.checkpointSeries();
      }
      return out;
    } catch (error) {
      if (!(error instanceof WalWriteError)) throw error;
      this.walErrors++;
      if (!this.walFailing) {
        this.walFailing = true;
        this.events.walError(error);
      }
      return undefined;
    }
  }
}
