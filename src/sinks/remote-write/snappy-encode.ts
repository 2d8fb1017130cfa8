/**
 * Writes a remote-write request already snappy-compressed (block format),
 * without building the uncompressed protobuf or running a compressor over it.
 *
 * Snappy's block format is a length and then elements: literals (bytes as
 * they are) and copies (repeat `length` bytes from `offset` back in the
 * output). A general compressor finds repeats by hashing every position;
 * here the repeats are known in advance: the labels. Each label pair
 * (LabelCache) is written as a literal the first time a request uses it and as
 * a copy of its last occurrence afterwards, and pairs that were adjacent last
 * time (a series' `job`, `instance`, `namespace`… as the previous series of the
 * same target had them) merge into one copy. The sample itself (value and
 * timestamp) and each TimeSeries' length prefix are literals.
 *
 * The output is ordinary snappy that any decoder reads (Go's, which
 * Prometheus-compatible receivers use, the snappy package's); it is about as
 * small as a general compressor's, at a fraction of the CPU. Two liberties,
 * both within the format: every literal uses the two-byte tag form (its length
 * is unknown when it opens), and copies use the 4-byte-offset form only beyond
 * 64 KiB.
 *
 * The state of the request being written lives in local variables of one
 * function, not in fields, and typed arrays are indexed with `!`: this loop
 * is most of the CPU a sample costs on its way out.
 */
import { writeUvarint } from '../../model/varint.js';
import { RECORD_BYTES, RECORD_COUNT, RECORD_PAIRS, type LabelCache } from './label-cache.js';
import type { SampleColumns } from './sample-columns.js';

/**
 * Labels come pre-encoded from the LabelCache; values are copied as their 8
 * raw bytes (a staleness marker is a NaN whose bits must survive). Samples of
 * one series that sit next to each other share one TimeSeries of
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 */
export interface EncodedRequest {
  /** A view of the encoder's buffer, valid until its next call. */
  readonly body: Buffer;
  /** Samples written. */
  readonly samples: number;
  /** Samples skipped because their series is no longer known (forgotten or relabeled away). */
  readonly dropped: number;
  /** The newest timestamp written, in ms; -Infinity when nothing was. */
  readonly highestTimestampMs: number;
}

/** Room kept before the elements for the uncompressed-length varint. */
const LENGTH_ROOM = 5;
/** The two-byte literal tag (`60 << 2`) says: one byte of length-1 follows. */
const LITERAL_TAG = 0xf0;
const MAX_LITERAL = 256;
const MAX_COPY = 64;

export class SnappyWriteRequestEncoder {
  private out: Buffer = Buffer.allocUnsafe(64 * 1024);
  /** Per label pair: the request (`gen`) that last wrote it, and where in the uncompressed bytes. */
  private pairGen: Uint32Array = new Uint32Array(1024);
  private pairPos: Uint32Array = new Uint32Array(1024);
  private gen = 0;
  private readonly ts = new TimestampVarint();

  /**
   * Encodes samples [start, end) of `columns` as a snappy-compressed
   * WriteRequest. The body is a view of the encoder's buffer, valid until
   * its next call.
   */
  encode(cache: LabelCache, columns: SampleColumns, start: number, end: number): EncodedRequest {
    if (cache.pairCapacity > this.pairGen.length) this.growPairs(cache.pairCapacity);
    // Generations are stored 32-bit; at the wrap, forget them all rather than
    // mistake a pair written 2^32 requests ago for one in this request.
    let gen = this.gen + 1;
    if (gen > 0xffffffff) {
      this.pairGen.fill(0);
      gen = 1;
    }
    this.gen = gen;
    const { ids, timestamps, valueBytes } = columns;
    const ts = this.ts;
    ts.reset();
    const pairGen = this.pairGen;
    const pairPos = this.pairPos;
    let out = this.out;
    /** Output position. */
    let p = LENGTH_ROOM;
    /** Position in the uncompressed request. */
    let u = 0;
    /** Where the open literal's tag is, or -1; and how many bytes it has. */
    let lit = -1;
    let litLength = 0;
    /** The pending copy: `runLength` bytes from uncompressed `runSrc`, to go at `runDst`. */
    let runSrc = 0;
    let runDst = 0;
    let runLength = 0;
    let samples = 0;
    let dropped = 0;
    let highest = -Infinity;
    for (let i = start; i < end;) {
      const id = ids[i]!;
      let runEnd = i + 1;
      while (runEnd < end && ids[runEnd] === id) runEnd++;
      if (!cache.keep(id)) {
        dropped += runEnd - i;
        i = runEnd;
        continue;
      }
      const records = cache.records;
      const at = cache.seriesAt[id]!;
      const labelBytes = records[at + RECORD_BYTES]!;
      const first = at + RECORD_PAIRS;
      const last = first + records[at + RECORD_COUNT]!;
      let content = labelBytes;
      for (let j = i; j < runEnd; j++) {
        ts.set(timestamps[j]!);
        content += 12 + ts.size;
      }
      // Worst case: a tag per pair and per 256 literal bytes, or 5 bytes per 64 copied.
      const bound = 8 + labelBytes + 6 * (last - first) + (labelBytes >>> 3) + (runEnd - i) * 26;
      if (p + bound > out.length) out = this.grow(p, bound);

      // The TimeSeries' tag and length: literal.
      if (runLength > 0) {
        p = writeCopy(out, p, runDst - runSrc, runLength);
        runLength = 0;
      }
      if (lit < 0 || litLength > MAX_LITERAL - 6) {
        if (lit >= 0) closeLiteral(out, lit, litLength);
        lit = p;
        p += 2;
        litLength = 0;
      }
      const headerStart = p;
      out[p++] = 0x0a; // WriteRequest.timeseries
      p = writeUvarint(out, p, content);
      litLength += p - headerStart;
      u += p - headerStart;

      // The labels: a copy of where each pair was last written, or the pair's bytes.
      const pairLength = cache.pairLength;
      for (let k = first; k < last; k++) {
        const pair = records[k]!;
        const length = pairLength[pair]!;
        if (pairGen[pair] === gen) {
          const src = pairPos[pair]!;
          if (runLength > 0 && src === runSrc + runLength) {
            runLength += length;
          } else {
            if (runLength > 0) p = writeCopy(out, p, runDst - runSrc, runLength);
            else if (lit >= 0) {
              closeLiteral(out, lit, litLength);
              lit = -1;
            }
            runSrc = src;
            runDst = u;
            runLength = length;
          }
        } else {
          if (runLength > 0) {
            p = writeCopy(out, p, runDst - runSrc, runLength);
            runLength = 0;
          }
          const pairBytes = cache.pairBytes;
          let from = cache.pairOffset[pair]!;
          const to = from + length;
          while (from < to) {
            if (lit < 0 || litLength === MAX_LITERAL) {
              if (lit >= 0) closeLiteral(out, lit, litLength);
              lit = p;
              p += 2;
              litLength = 0;
            }
            const take = Math.min(to - from, MAX_LITERAL - litLength);
            for (let b = 0; b < take; b++) out[p++] = pairBytes[from++]!;
            litLength += take;
          }
          pairGen[pair] = gen;
        }
        pairPos[pair] = u;
        u += length;
      }
      if (runLength > 0) {
        p = writeCopy(out, p, runDst - runSrc, runLength);
        runLength = 0;
      }

      // The samples: literal.
      for (let j = i; j < runEnd; j++) {
        const t = timestamps[j]!;
        if (t > highest) highest = t;
        ts.set(t);
        const size = 12 + ts.size;
        if (lit < 0 || litLength + size > MAX_LITERAL) {
          if (lit >= 0) closeLiteral(out, lit, litLength);
          lit = p;
          p += 2;
          litLength = 0;
        }
        out[p++] = 0x12; // TimeSeries.samples
        out[p++] = 10 + ts.size;
        out[p++] = 0x09; // Sample.value, 64-bit
        const v = j * 8;
        out[p] = valueBytes[v]!;
        out[p + 1] = valueBytes[v + 1]!;
        out[p + 2] = valueBytes[v + 2]!;
        out[p + 3] = valueBytes[v + 3]!;
        out[p + 4] = valueBytes[v + 4]!;
        out[p + 5] = valueBytes[v + 5]!;
        out[p + 6] = valueBytes[v + 6]!;
        out[p + 7] = valueBytes[v + 7]!;
        p += 8;
        out[p++] = 0x10; // Sample.timestamp, varint
        p = ts.write(out, p);
        litLength += size;
        u += size;
      }
      samples += runEnd - i;
      i = runEnd;
    }
    if (runLength > 0) p = writeCopy(out, p, runDst - runSrc, runLength);
    if (lit >= 0) closeLiteral(out, lit, litLength);
    // The uncompressed length leads; it is known only now, so it goes right before the elements.
    let begin = LENGTH_ROOM - 1;
    for (let rest = u >>> 7; rest > 0; rest >>>= 7) begin--;
    writeUvarint(out, begin, u);
    return { body: out.subarray(begin, p), samples, dropped, highestTimestampMs: highest };
  }

  private grow(used: number, more: number): Buffer {
    const next = Buffer.allocUnsafe(Math.max(this.out.length * 2, used + more));
    this.out.copy(next, 0, 0, used);
    this.out = next;
    return next;
  }

  private growPairs(size: number): void {
    const length = Math.max(size, this.pairGen.length * 2);
    const gen = new Uint32Array(length);
    gen.set(this.pairGen);
    const pos = new Uint32Array(length);
    pos.set(this.pairPos);
    this.pairGen = gen;
    this.pairPos = pos;
  }
}

function closeLiteral(out: Buffer, lit: number, length: number): void {
  out[lit] = LITERAL_TAG;
  out[lit + 1] = length - 1;
}

/** Writes a copy of `length` bytes from `offset` back, in pieces of at most 64 (all at that offset). */
function writeCopy(out: Buffer, p: number, offset: number, length: number): number {
  while (length > 0) {
    const n = length > MAX_COPY ? MAX_COPY : length;
    if (offset < 65536) {
      out[p++] = ((n - 1) << 2) | 2;
      out[p++] = offset & 0xff;
      out[p++] = offset >>> 8;
    } else {
      out[p++] = ((n - 1) << 2) | 3;
      out[p++] = offset & 0xff;
      out[p++] = (offset >>> 8) & 0xff;
      out[p++] = (offset >>> 16) & 0xff;
      out[p++] = offset >>> 24;
    }
    length -= n;
  }
  return p;
}

/**
 * A timestamp's int64 varint, remembered: the samples of one request mostly
 * share a scrape's timestamp, so it is usually encoded once per request.
 * (Not writeUvarint: a negative timestamp is ten bytes of two's complement.)
 */
export class TimestampVarint {
  readonly bytes = new Uint8Array(10);
  size = 0;
  private last = NaN;

  reset(): void {
    this.last = NaN;
  }

  set(t: number): void {
    if (t === this.last) return;
    this.last = t;
    // Two's-complement words of the integer millisecond count.
    let lo = t >>> 0;
    let hi = Math.floor(t / 4294967296) >>> 0;
    let n = 0;
    while (hi !== 0 || lo > 0x7f) {
      this.bytes[n++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.bytes[n++] = lo;
    this.size = n;
  }

  write(out: Uint8Array, p: number): number {
    const bytes = this.bytes;
    for (let k = 0; k < this.size; k++) out[p + k] = bytes[k]!;
    return p + this.size;
  }
}
