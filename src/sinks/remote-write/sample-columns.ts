/**
 * Samples waiting in one shard, oldest first, as columns: series id,
 * timestamp, value (as two 32-bit words, so a staleness marker's NaN bits are
 * copied as integers and never pass through a JS number) and the sequence
 * number of the enqueue call that brought it, which progress tracking needs.
 */
export class SampleColumns {
  ids: Uint32Array;
  timestamps: Float64Array;
  /** Little-endian words of each value: [2i] low, [2i + 1] high. */
  valueWords: Uint32Array;
  /** The same memory as `valueWords`, for the encoders' byte copies. */
  valueBytes: Uint8Array;
  seqs: Uint32Array;
  /** Index of the oldest sample. */
  head = 0;
  /** Index one past the newest sample. */
  tail = 0;

  constructor(capacity = 1024) {
    this.ids = new Uint32Array(capacity);
    this.timestamps = new Float64Array(capacity);
    this.valueWords = new Uint32Array(capacity * 2);
    this.valueBytes = new Uint8Array(this.valueWords.buffer);
    this.seqs = new Uint32Array(capacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  get capacity(): number {
    return this.ids.length;
  }

  /** Makes room for `count` more samples at `tail`: moves the live range to the front, or grows. */
  reserve(count: number): void {
    if (this.tail + count <= this.ids.length) return;
    const live = this.tail - this.head;
    if (this.head > 0 && live + count <= this.ids.length && live * 2 <= this.ids.length) {
      this.ids.copyWithin(0, this.head, this.tail);
      this.timestamps.copyWithin(0, this.head, this.tail);
      this.valueWords.copyWithin(0, this.head * 2, this.tail * 2);
      this.seqs.copyWithin(0, this.head, this.tail);
    } else {
      const size = Math.max(this.ids.length * 2, live + count);
      const ids = new Uint32Array(size);
      const timestamps = new Float64Array(size);
      const valueWords = new Uint32Array(size * 2);
      const seqs = new Uint32Array(size);
      ids.set(this.ids.subarray(this.head, this.tail));
      timestamps.set(this.timestamps.subarray(this.head, this.tail));
      valueWords.set(this.valueWords.subarray(this.head * 2, this.tail * 2));
      seqs.set(this.seqs.subarray(this.head, this.tail));
      this.ids = ids;
      this.timestamps = timestamps;
      this.valueWords = valueWords;
      this.valueBytes = new Uint8Array(valueWords.buffer);
      this.seqs = seqs;
    }
    this.head = 0;
    this.tail = live;
  }

  /** Appends sample `i` of another column set (used when resharding). */
  pushFrom(from: SampleColumns, i: number): void {
    if (this.tail === this.ids.length) this.reserve(1);
    const t = this.tail++;
    this.ids[t] = from.ids[i] ?? 0;
    this.timestamps[t] = from.timestamps[i] ?? 0;
    this.valueWords[t * 2] = from.valueWords[i * 2] ?? 0;
    this.valueWords[t * 2 + 1] = from.valueWords[i * 2 + 1] ?? 0;
    this.seqs[t] = from.seqs[i] ?? 0;
  }

  /** Drops the `count` oldest samples. */
  consume(count: number): void {
    this.head += count;
    if (this.head >= this.tail) {
      this.head = 0;
      this.tail = 0;
    }
  }

  /** Keeps only the `count` oldest samples (the rest moved elsewhere). */
  truncate(count: number): void {
    this.tail = this.head + count;
    if (count === 0) {
      this.head = 0;
      this.tail = 0;
    }
  }
}
