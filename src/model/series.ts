/**
 * Series and samples between the stages. A series gets a number when first
 * seen; samples then travel as columns of numbers, so a scrape of 100,000
 * samples is three typed arrays, not 100,000 objects.
 */
import type { Labels } from './labels.js';

export interface Series {
  /** Unique for the life of the WAL; also the WAL's series reference. */
  readonly id: number;
  /** Final labels: target labels added, metric relabeling applied, sorted. */
  readonly labels: Labels;
}

/** id → series, for every stage that holds ids (WAL reader, remote-write queues). */
export class SeriesTable {
  private readonly byId: (Series | undefined)[] = [];
  private next = 1;

  /** A new series with the next id. */
  create(labels: Labels): Series {
    const series = { id: this.next++, labels };
    this.byId[series.id] = series;
    return series;
  }

  /** Restores a series read back from the WAL, keeping its id. */
  restore(id: number, labels: Labels): Series {
    const series = { id, labels };
    this.byId[id] = series;
    if (id >= this.next) this.next = id + 1;
    return series;
  }

  get(id: number): Series | undefined {
    return this.byId[id];
  }

  /** Forgets series no longer written (after WAL truncation), so memory follows active series. */
  delete(id: number): void {
    this.byId[id] = undefined;
  }

  get nextId(): number {
    return this.next;
  }
}

/**
 * Prometheus's staleness marker is the NaN 0x7ff0000000000002. V8 may quiet a
 * signalling NaN whenever it becomes a JS number, so the marker is written and
 * read only through an integer view of the value column, and stages that copy
 * values (WAL, remote-write encoder) copy their 8 bytes, never the number.
 */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;

/** Writes the staleness marker into `values[index]` (little-endian host, as Node's platforms are). */
export function markStale(values: Float64Array, index: number): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  words[index * 2] = STALE_NAN_LO;
  words[index * 2 + 1] = STALE_NAN_HI;
}

export function isStaleAt(values: Float64Array, index: number): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  return words[index * 2] === STALE_NAN_LO && words[index * 2 + 1] === STALE_NAN_HI;
}

/** Samples of one append (one scrape, or one WAL record), as columns. */
export interface SampleBatch {
  readonly count: number;
  readonly ids: Uint32Array;
  /** Milliseconds since the epoch. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}
