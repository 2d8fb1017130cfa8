/**
 * Where scraped samples land: each new series is numbered and logged to the
 * WAL, each batch is written to the WAL before any sender sees it, and then
 * offered to every delivery. A WAL that cannot be written (full disk) is
 * reported and retried; samples still flow to the senders from memory.
 */
import { labelsKey, type Labels } from '../model/labels.js';
import type { SampleBatch, Series, SeriesTable } from '../model/series.js';
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
  private readonly byKey = new Map<string, Series>();
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
  ) {
    for (let id = 1; id < table.nextId; id++) {
      const s = table.get(id);
      if (s) this.byKey.set(labelsKey(s.labels), s);
    }
  }

  addConsumer(consumer: SampleConsumer): void {
    this.consumers.push(consumer);
  }

  get seriesCount(): number {
    return this.byKey.size;
  }

  series(labels: Labels): Series {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = this.table.create(labels);
      this.byKey.set(key, s);
      const at = this.guard(() => this.wal.appendSeries([{ id: s!.id, labels }]));
      this.definedIn[s.id] = at?.segment ?? -1;
    }
    return s;
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
    const due = [...this.byKey.values()].filter((s) => (this.definedIn[s.id] ?? -1) < segment);
    for (let i = 0; i < due.length; i += 10_000) {
      const chunk = due.slice(i, i + 10_000);
      const at = this.guard(() =>
        this.wal.appendSeries(chunk.map((s) => ({ id: s.id, labels: s.labels }))),
      );
      if (at) for (const s of chunk) this.definedIn[s.id] = at.segment;
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
