/**
 * Series and samples between the stages. A series gets a number when first
 * seen; samples then travel as columns of numbers, so a scrape of 100,000
 * samples is three typed arrays, not 100,000 objects.
 */
import { labelsFromKey, labelsKey, type Labels } from './labels.js';

export interface Series {
  /** Unique for the life of the WAL; also the WAL's series reference. */
  readonly id: number;
  /** Final labels: target labels added, metric relabeling applied, sorted. */
  readonly labels: Labels;
}

/**
 * id → labels and labels → id, for every stage that holds ids (storage, WAL
 * reader, remote-write queues). Each series is kept as its labelsKey string,
 * and labels are rebuilt only when asked for (a queue's first sight of a
 * series, a WAL checkpoint): half a million series are then half a million
 * strings, not millions of label objects for the garbage collector to trace.
 */
export class SeriesTable {
  private readonly keys: (string | undefined)[] = [];
  private readonly ids = new Map<string, number>();
  private next = 1;

  /** A new series with the next id. */
  create(labels: Labels): Series {
    return { id: this.add(labelsKey(labels)), labels };
  }

  /** A new series with the next id, for labels already in labelsKey form. */
  add(key: string): number {
    const id = this.next++;
    this.keys[id] = key;
    this.ids.set(key, id);
    return id;
  }

  /** Restores a series read back from the WAL, keeping its id. */
  restore(id: number, labels: Labels): Series {
    const key = labelsKey(labels);
    const previous = this.keys[id];
    if (previous !== undefined && this.ids.get(previous) === id) this.ids.delete(previous);
    this.keys[id] = key;
    this.ids.set(key, id);
    if (id >= this.next) this.next = id + 1;
    return { id, labels };
  }

  /** The id of the series with this labelsKey, if there is one. */
  idOf(key: string): number | undefined {
    return this.ids.get(key);
  }

  get(id: number): Series | undefined {
    const key = this.keys[id];
    return key === undefined ? undefined : { id, labels: labelsFromKey(key) };
  }

  labels(id: number): Labels | undefined {
    const key = this.keys[id];
    return key === undefined ? undefined : labelsFromKey(key);
  }

  /** Forgets a series no longer written (after WAL truncation), so memory follows active series. */
  delete(id: number): void {
    const key = this.keys[id];
    if (key === undefined) return;
    this.keys[id] = undefined;
    if (this.ids.get(key) === id) this.ids.delete(key);
  }

  /** Ids of the series held, in increasing order. */
  *liveIds(): IterableIterator<number> {
    for (let id = 1; id < this.next; id++) if (this.keys[id] !== undefined) yield id;
  }

  /** Distinct label sets held. */
  get size(): number {
    return this.ids.size;
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
