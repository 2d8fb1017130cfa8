/**
 * Sample records, columnar:
 *
 *   count:uvarint tsMode:u8 timestamps ids values
 *
 * Timestamps: mode CONSTANT stores one f64 (a scrape stamps every sample
 * alike), DELTA one f64 then a zigzag varint per sample against it, RAW the
 * 8 bytes of each (fractional, unsafe or -0 timestamps, kept exactly). Ids are
 * zigzag varints of the difference to the previous id: series of a target get
 * consecutive ids, so most take one byte. Values are the raw bytes of the
 * Float64Array: a JS number read would quiet the staleness-marker NaN.
 */
import {
  MalformedRecordError,
  PayloadCursor,
  RECORD_TARGET_BYTES,
  unzigzag,
  writeUvarint,
  type RecordBuilder,
  type WalRecordKind,
} from '../../../buffer/wal/index.js';
import { SignetError } from '../../../errors.js';
import type { SampleBatch } from '../../../model/series.js';

const TS_CONSTANT = 0;
const TS_DELTA = 1;
const TS_RAW = 2;

/** Worst case per sample: a 10-byte timestamp varint, a 5-byte id delta, 8 value bytes. */
const MAX_SAMPLE_BYTES = 23;
const MAX_FIXED_BYTES = 32;
/** So that a sample record never exceeds the target, whatever its contents. */
export const SAMPLES_PER_RECORD = Math.floor(
  (RECORD_TARGET_BYTES - MAX_FIXED_BYTES) / MAX_SAMPLE_BYTES,
);

/** Deltas stay below 2^51 so their zigzag form is still a safe integer. */
const MAX_DELTA = 2 ** 51;

function timestampMode(ts: Float64Array, start: number, end: number): number {
  const first = ts[start]!;
  if (!Number.isSafeInteger(first)) return TS_RAW;
  let constant = true;
  for (let i = start; i < end; i++) {
    const t = ts[i]!;
    if (t === first) continue;
    constant = false;
    // NaN fails the range test; -0 (equal to a first of 0) would come back as +0.
    const d = t - first;
    if (!(d <= MAX_DELTA && d >= -MAX_DELTA) || Math.floor(d) !== d || !Number.isSafeInteger(t)) {
      return TS_RAW;
    }
  }
  if (first === 0 || constant) {
    // Only a zero can hide a -0; checked here, off the per-sample path.
    for (let i = start; i < end; i++) if (Object.is(ts[i], -0)) return TS_RAW;
  }
  return constant ? TS_CONSTANT : TS_DELTA;
}

/** A zigzag varint at `p`; the one- and two-byte cases inline (nearly every id and timestamp delta). */
function putZigzag(buf: Buffer, p: number, d: number): number {
  const z = d >= 0 ? d * 2 : -d * 2 - 1;
  if (z < 0x80) {
    buf[p] = z;
    return p + 1;
  }
  if (z < 0x4000) {
    buf[p] = (z & 0x7f) | 0x80;
    buf[p + 1] = z >>> 7;
    return p + 2;
  }
  return writeUvarint(buf, p, z);
}

function rawBytes(column: Float64Array, start: number, end: number): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset + start * 8, (end - start) * 8);
}

/** Encodes samples [start, end) of `batch` as one record payload at `b.pos`. */
export function encodeSamples(
  b: RecordBuilder,
  batch: SampleBatch,
  start: number,
  end: number,
): void {
  const n = end - start;
  b.ensure(MAX_FIXED_BYTES + n * MAX_SAMPLE_BYTES);
  const buf = b.buf;
  let p = writeUvarint(buf, b.pos, n);

  const ts = batch.timestamps;
  const mode = n === 0 ? TS_RAW : timestampMode(ts, start, end);
  buf[p++] = mode;
  if (mode === TS_RAW) {
    buf.set(rawBytes(ts, start, end), p);
    p += n * 8;
  } else {
    const first = ts[start]!;
    buf.writeDoubleLE(first, p);
    p += 8;
    if (mode === TS_DELTA) for (let i = start; i < end; i++) p = putZigzag(buf, p, ts[i]! - first);
  }

  const ids = batch.ids;
  let prev = 0;
  for (let i = start; i < end; i++) {
    const id = ids[i]!;
    p = putZigzag(buf, p, id - prev);
    prev = id;
  }

  buf.set(rawBytes(batch.values, start, end), p);
  b.pos = p + n * 8;
}

export function decodeSamples(buf: Buffer, start: number, end: number): SampleBatch {
  const c = new PayloadCursor(buf, start, end);
  const count = c.uvarint();
  // Every sample needs at least one id byte and eight value bytes.
  if (count * 9 > c.remaining()) throw new MalformedRecordError('sample count exceeds the record');
  const timestamps = new Float64Array(count);
  const mode = c.byte();
  if (mode === TS_RAW) {
    c.copyInto(new Uint8Array(timestamps.buffer), count * 8);
  } else if (mode === TS_CONSTANT || mode === TS_DELTA) {
    const first = c.f64();
    if (mode === TS_CONSTANT) timestamps.fill(first);
    else for (let i = 0; i < count; i++) timestamps[i] = first + unzigzag(c.uvarint());
  } else {
    throw new MalformedRecordError(`unknown timestamp encoding ${mode}`);
  }

  const ids = new Uint32Array(count);
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const id = prev + unzigzag(c.uvarint());
    if (id < 0 || id > 0xffffffff) throw new MalformedRecordError('series id out of range');
    ids[i] = id;
    prev = id;
  }

  const values = new Float64Array(count);
  c.copyInto(new Uint8Array(values.buffer), count * 8);
  if (c.remaining() !== 0) throw new MalformedRecordError('bytes left over after the samples');
  return { count, ids, timestamps, values };
}

/** Scraped samples, split into records of at most SAMPLES_PER_RECORD. */
export const SAMPLES_RECORD: WalRecordKind<SampleBatch> = {
  type: 2,
  name: 'samples',
  isEmpty: (batch) => batch.count === 0,
  encode(builder, batch, cursor) {
    const n = batch.count;
    if (n > batch.ids.length || n > batch.timestamps.length || n > batch.values.length) {
      throw new SignetError(`sample batch count ${n} exceeds its columns`, {
        hint: 'this is a bug in the caller that built the batch',
      });
    }
    const end = Math.min(batch.count, cursor + SAMPLES_PER_RECORD);
    encodeSamples(builder, batch, cursor, end);
    return end < batch.count ? end : undefined;
  },
  decode: decodeSamples,
};
