/** What a scrape loop writes into: the storage side of the pipeline. */
import type { Labels } from '../../model/labels.js';
import type { SampleBatch } from '../../model/series.js';

export interface SampleAppender {
  /** The series id for these final labels, created (and logged to the WAL) on first sight. */
  series(labels: Labels): number;
  /** Hands one scrape's samples on: to the WAL, then to the senders. */
  append(batch: SampleBatch): void;
}

/** Columns that grow as a scrape is parsed, copied out once it is complete. */
export class BatchBuilder {
  private ids = new Uint32Array(1024);
  private timestamps = new Float64Array(1024);
  private values = new Float64Array(1024);
  count = 0;

  push(id: number, timestampMs: number, value: number): void {
    if (this.count === this.ids.length) this.grow();
    this.ids[this.count] = id;
    this.timestamps[this.count] = timestampMs;
    this.values[this.count] = value;
    this.count++;
  }

  /** Index of the next sample, for writing a staleness marker into it. */
  pushStale(
    id: number,
    timestampMs: number,
    mark: (values: Float64Array, index: number) => void,
  ): void {
    if (this.count === this.ids.length) this.grow();
    this.ids[this.count] = id;
    this.timestamps[this.count] = timestampMs;
    mark(this.values, this.count);
    this.count++;
  }

  /** The batch so far, in arrays of its own; the builder starts again empty. */
  take(): SampleBatch {
    const n = this.count;
    const batch: SampleBatch = {
      count: n,
      ids: this.ids.slice(0, n),
      timestamps: this.timestamps.slice(0, n),
      values: this.values.slice(0, n),
    };
    this.count = 0;
    return batch;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    const ts = new Float64Array(size);
    ts.set(this.timestamps);
    const values = new Float64Array(size);
    values.set(this.values);
    this.ids = ids;
    this.timestamps = ts;
    this.values = values;
  }
}
