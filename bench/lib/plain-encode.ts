/**
 * Hand-written protobuf for remote write 1.0:
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 *
 * Labels come pre-encoded from the LabelCache; values are copied as their 8
 * raw bytes (a staleness marker is a NaN whose bits must survive). Samples of
 * one series that sit next to each other share one TimeSeries.
 *
 * The plain encoder, kept for the benchmark only: it measures what writing
 * protobuf and then running the snappy package costs, against
 * src/sinks/remote-write/snappy-encode.ts, which writes compressed output
 * directly at about a tenth of the CPU per sample and is what the queue sends.
 *
 * Hot loops index typed arrays with `!`: the indices are in range by
 * construction, and `?? 0` would cost a check per byte.
 */
import { compressSync } from 'snappy';
import { writeUvarint } from '../../src/model/varint.js';
import {
  RECORD_BYTES,
  RECORD_COUNT,
  RECORD_PAIRS,
  type LabelCache,
} from '../../src/sinks/remote-write/label-cache.js';
import type { SampleColumns } from '../../src/sinks/remote-write/sample-columns.js';
import {
  TimestampVarint,
  type EncodedRequest,
} from '../../src/sinks/remote-write/snappy-encode.js';

/** Bytes of a TimeSeries beyond its labels, per sample, at most: header and one Sample. */
const SAMPLE_BOUND = 2 + 9 + 11;

export class WriteRequestEncoder {
  private buffer: Buffer = Buffer.allocUnsafe(256 * 1024);
  private readonly ts = new TimestampVarint();

  /** Encodes samples [start, end) of `columns` as an uncompressed WriteRequest. */
  encode(cache: LabelCache, columns: SampleColumns, start: number, end: number): EncodedRequest {
    const { ids, timestamps, valueBytes } = columns;
    const ts = this.ts;
    ts.reset();
    let out = this.buffer;
    let p = 0;
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
      let content = labelBytes;
      for (let j = i; j < runEnd; j++) {
        ts.set(timestamps[j]!);
        content += 12 + ts.size;
      }
      if (p + 6 + labelBytes + (runEnd - i) * SAMPLE_BOUND > out.length) {
        out = this.grow(p, 6 + labelBytes + (runEnd - i) * SAMPLE_BOUND);
      }
      out[p++] = 0x0a; // WriteRequest.timeseries
      p = writeUvarint(out, p, content);
      const pairBytes = cache.pairBytes;
      const first = at + RECORD_PAIRS;
      const last = first + records[at + RECORD_COUNT]!;
      for (let k = first; k < last; k++) {
        const pair = records[k]!;
        const offset = cache.pairOffset[pair]!;
        p = copyBytes(pairBytes, offset, offset + cache.pairLength[pair]!, out, p);
      }
      for (let j = i; j < runEnd; j++) {
        const t = timestamps[j]!;
        if (t > highest) highest = t;
        ts.set(t);
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
      }
      samples += runEnd - i;
      i = runEnd;
    }
    return { body: out.subarray(0, p), samples, dropped, highestTimestampMs: highest };
  }

  /** Encodes and compresses with the snappy package (block format). */
  encodeCompressed(
    cache: LabelCache,
    columns: SampleColumns,
    start: number,
    end: number,
  ): EncodedRequest {
    const encoded = this.encode(cache, columns, start, end);
    return { ...encoded, body: compressSync(encoded.body) };
  }

  private grow(used: number, more: number): Buffer {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, used + more));
    this.buffer.copy(next, 0, 0, used);
    this.buffer = next;
    return next;
  }
}

/** Copies src[from, to) to out[p…]: a plain loop for the short runs labels are, memcpy beyond. */
function copyBytes(src: Buffer, from: number, to: number, out: Buffer, p: number): number {
  const length = to - from;
  if (length > 48) {
    src.copy(out, p, from, to);
    return p + length;
  }
  for (let k = from; k < to; k++) out[p++] = src[k]!;
  return p;
}
