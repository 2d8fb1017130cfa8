/**
 * Each series' labels, encoded once per endpoint as protobuf `Label` fields.
 *
 * A label pair (`job="api"`) is stored once however many series carry it: a
 * series is a short list of pair numbers. 100,000 series of ten labels hold
 * about 4 MB of pair numbers instead of ~26 MB of encoded label bytes, and the
 * compressing encoder (snappy-encode.ts) uses the pair numbers to spot labels
 * already written in the same request and refer back to them.
 *
 * Storage is flat typed arrays indexed by series id (ids are dense, as the
 * SeriesTable hands them out) and by pair number, so the encoders' per-sample
 * work is a few array reads. A series' record — its encoded length, pair
 * count and pair numbers — is contiguous, so reading it costs one cache miss,
 * not one per field: with 100,000 series, misses are what encoding spends
 * most on. Pairs are reference counted; forgotten series free theirs, and both
 * arenas are compacted once half of them is garbage.
 */
import type { Labels } from '../../model/labels.js';
import { uvarintSize, writeUvarint } from '../../model/varint.js';

/** Not looked up yet (or forgotten). */
const UNKNOWN = 0;
const KEPT = 1;
/** Dropped by write relabeling, or not in the series table. */
const DROPPED = 2;

const MIN_COMPACT_BYTES = 1 << 20;

/** A series record in `records`: [encoded label bytes, pair count, pair…]. */
export const RECORD_BYTES = 0;
export const RECORD_COUNT = 1;
export const RECORD_PAIRS = 2;

export type LabelsOf = (id: number) => Labels | undefined;

export class LabelCache {
  // The encoders read these fields directly in their hot loops; they are
  // replaced (not resized) on growth, so read them after any keep() call.
  /** Per series id: UNKNOWN, KEPT or DROPPED. */
  state: Uint8Array = new Uint8Array(1024);
  /** Per series id: where its record starts in `records`. */
  seriesAt: Uint32Array = new Uint32Array(1024);
  /** Series records, one after another (see RECORD_*). */
  records: Uint32Array = new Uint32Array(8192);
  /** Encoded `Label` fields (tag, length, name, value), one after another. */
  pairBytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  pairOffset: Uint32Array = new Uint32Array(1024);
  pairLength: Uint32Array = new Uint32Array(1024);

  private pairRefs: Uint32Array = new Uint32Array(1024);
  private pairKeys: (string | undefined)[] = [];
  private readonly pairIds = new Map<string, number>();
  private readonly freePairIds: number[] = [];
  private nextPairId = 0;
  private pairBytesUsed = 0;
  private pairBytesGarbage = 0;
  private recordsUsed = 0;
  private recordsGarbage = 0;
  private liveSeries = 0;

  constructor(private readonly labelsOf: LabelsOf) {}

  /** Whether samples of series `id` are to be sent; looks the series up on first sight. */
  keep(id: number): boolean {
    const state = id < this.state.length ? this.state[id] : UNKNOWN;
    if (state === KEPT) return true;
    if (state === DROPPED) return false;
    return this.resolve(id);
  }

  /** Frees what series `id` holds; a later sample of it looks the labels up again. */
  forget(id: number): void {
    if (id >= this.state.length) return;
    if (this.state[id] === KEPT) {
      const at = this.seriesAt[id] ?? 0;
      const count = this.records[at + RECORD_COUNT] ?? 0;
      for (let k = 0; k < count; k++) this.release(this.records[at + RECORD_PAIRS + k] ?? 0);
      this.recordsGarbage += RECORD_PAIRS + count;
      this.liveSeries--;
    }
    this.state[id] = UNKNOWN;
    if (this.recordsGarbage * 4 > MIN_COMPACT_BYTES && this.recordsGarbage * 2 > this.recordsUsed) {
      this.compactRecords();
    }
    if (
      this.pairBytesGarbage > MIN_COMPACT_BYTES &&
      this.pairBytesGarbage * 2 > this.pairBytesUsed
    ) {
      this.compactPairBytes();
    }
  }

  /** How many pair numbers exist (live or free): the size pair-indexed arrays need. */
  get pairCapacity(): number {
    return this.nextPairId;
  }

  /** Memory held, for benchmarks and a gauge. */
  memory(): { series: number; pairs: number; bytes: number } {
    const bytes =
      this.state.byteLength +
      this.seriesAt.byteLength +
      this.records.byteLength +
      this.pairBytes.byteLength +
      this.pairOffset.byteLength * 3;
    return { series: this.liveSeries, pairs: this.pairIds.size, bytes };
  }

  private resolve(id: number): boolean {
    if (id >= this.state.length) this.growSeries(id + 1);
    const labels = this.labelsOf(id);
    if (labels === undefined || labels.length === 0) {
      this.state[id] = DROPPED;
      return false;
    }
    const size = RECORD_PAIRS + labels.length;
    if (this.recordsUsed + size > this.records.length) {
      // 1.5×, not 2×: the records are most of the memory, and slack is waste.
      const length = Math.max(this.recordsUsed + size, Math.ceil(this.records.length * 1.5));
      this.records = grow32(this.records, length);
    }
    const at = this.recordsUsed;
    let bytes = 0;
    let k = at + RECORD_PAIRS;
    for (const label of labels) {
      const pair = this.intern(label.name, label.value);
      this.records[k++] = pair;
      bytes += this.pairLength[pair] ?? 0;
    }
    this.records[at + RECORD_BYTES] = bytes;
    this.records[at + RECORD_COUNT] = labels.length;
    this.seriesAt[id] = at;
    this.recordsUsed += size;
    this.state[id] = KEPT;
    this.liveSeries++;
    return true;
  }

  private intern(name: string, value: string): number {
    const key = `${name}\xff${value}`;
    const known = this.pairIds.get(key);
    if (known !== undefined) {
      this.pairRefs[known] = (this.pairRefs[known] ?? 0) + 1;
      return known;
    }
    const nameLength = Buffer.byteLength(name);
    const valueLength = Buffer.byteLength(value);
    const inner = 2 + uvarintSize(nameLength) + nameLength + uvarintSize(valueLength) + valueLength;
    const length = 1 + uvarintSize(inner) + inner;
    if (this.pairBytesUsed + length > this.pairBytes.length) {
      const next = Buffer.allocUnsafe(
        Math.max(this.pairBytes.length * 2, this.pairBytesUsed + length),
      );
      this.pairBytes.copy(next, 0, 0, this.pairBytesUsed);
      this.pairBytes = next;
    }
    const out = this.pairBytes;
    let p = this.pairBytesUsed;
    out[p++] = 0x0a; // TimeSeries.labels, length-delimited
    p = writeUvarint(out, p, inner);
    out[p++] = 0x0a; // Label.name
    p = writeUvarint(out, p, nameLength);
    p += out.write(name, p, 'utf8');
    out[p++] = 0x12; // Label.value
    p = writeUvarint(out, p, valueLength);
    out.write(value, p, 'utf8');

    const pair = this.freePairIds.pop() ?? this.nextPairId++;
    if (pair >= this.pairOffset.length) this.growPairs(pair + 1);
    this.pairOffset[pair] = this.pairBytesUsed;
    this.pairLength[pair] = length;
    this.pairRefs[pair] = 1;
    this.pairKeys[pair] = key;
    this.pairIds.set(key, pair);
    this.pairBytesUsed += length;
    return pair;
  }

  private release(pair: number): void {
    const refs = (this.pairRefs[pair] ?? 1) - 1;
    this.pairRefs[pair] = refs;
    if (refs > 0) return;
    const key = this.pairKeys[pair];
    if (key !== undefined) this.pairIds.delete(key);
    this.pairKeys[pair] = undefined;
    this.pairBytesGarbage += this.pairLength[pair] ?? 0;
    this.pairLength[pair] = 0;
    this.freePairIds.push(pair);
  }

  private compactPairBytes(): void {
    const next = Buffer.allocUnsafe(
      Math.max(64 * 1024, this.pairBytesUsed - this.pairBytesGarbage),
    );
    let p = 0;
    for (let pair = 0; pair < this.nextPairId; pair++) {
      if (this.pairKeys[pair] === undefined) continue;
      const offset = this.pairOffset[pair] ?? 0;
      const length = this.pairLength[pair] ?? 0;
      this.pairBytes.copy(next, p, offset, offset + length);
      this.pairOffset[pair] = p;
      p += length;
    }
    this.pairBytes = next;
    this.pairBytesUsed = p;
    this.pairBytesGarbage = 0;
  }

  private compactRecords(): void {
    const next = new Uint32Array(Math.max(8192, this.recordsUsed - this.recordsGarbage));
    let p = 0;
    for (let id = 0; id < this.state.length; id++) {
      if (this.state[id] !== KEPT) continue;
      const at = this.seriesAt[id] ?? 0;
      const size = RECORD_PAIRS + (this.records[at + RECORD_COUNT] ?? 0);
      next.set(this.records.subarray(at, at + size), p);
      this.seriesAt[id] = p;
      p += size;
    }
    this.records = next;
    this.recordsUsed = p;
    this.recordsGarbage = 0;
  }

  private growSeries(size: number): void {
    const length = Math.max(size, this.state.length * 2);
    this.state = grow8(this.state, length);
    this.seriesAt = grow32(this.seriesAt, length);
  }

  private growPairs(size: number): void {
    const length = Math.max(size, this.pairOffset.length * 2);
    this.pairOffset = grow32(this.pairOffset, length);
    this.pairLength = grow32(this.pairLength, length);
    this.pairRefs = grow32(this.pairRefs, length);
  }
}

/** A copy of `array` in a new array of `size` (callers choose how much to grow). */
function grow32(array: Uint32Array, size: number): Uint32Array {
  const next = new Uint32Array(size);
  next.set(array);
  return next;
}

function grow8(array: Uint8Array, size: number): Uint8Array {
  const next = new Uint8Array(size);
  next.set(array);
  return next;
}
