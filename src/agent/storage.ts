/**
 * Where scraped samples land: each new series is numbered and logged to the
 * WAL, each batch is written to the WAL before any sender sees it, and then
 * offered to every delivery. A WAL that cannot be written (full disk) is
 * reported and retried; samples still flow to the senders from memory.
 */
import { labelsKey, type Labels } from '../model/labels.js';
import type { SampleBatch, SeriesTable } from '../model/series.js';
import type { SampleAppender } from '../sources/scrape/appender.js';
import { WalWriteError, type WalPosition, type WalWriter } from '../buffer/wal/index.js';

/** A consumer of appended samples (a remote_write delivery). */
export interface SampleConsumer {
  /** `highestMs`: the batch's newest timestamp, computed once for all consumers. */
  offer(batch: SampleBatch, end: WalPosition, highestMs: number): void;
}

export interface StorageEvents {
  walError(error: WalWriteError): void;
  walRecovered(): void;
}

export class Storage implements SampleAppender {
  /** Per series id, the WAL segment holding its latest definition. */
  private readonly definedIn: number[] = [];
  private readonly consumers: SampleConsumer[] = [];
  private walFailing = false;
  samplesAppended = 0;
  highestTimestampMs = 0;
  walErrors = 0;

  constructor(
    readonly table: SeriesTable,
    private readonly wal: WalWriter,
    private readonly events: StorageEvents,
  ) {}

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
      const at = this.guard(() => this.wal.appendSeries([{ id: created, labels }]));
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
    const end = this.guard(() => this.wal.appendSamples(batch)) ?? this.wal.head;
    for (const c of this.consumers) c.offer(batch, end, highest);
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
        this.wal.appendSeries(chunk.map((id) => ({ id, labels: this.table.labels(id)! }))),
      );
      if (at) for (const id of chunk) this.definedIn[id] = at.segment;
    }
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
