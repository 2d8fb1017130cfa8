/**
 * Series records: the labels of newly numbered series, written before any
 * sample that refers to them.
 *
 *   count:uvarint ( id:uvarint labelCount:uvarint ( len:uvarint utf8 ){2×labelCount} ){count}
 */
import {
  MalformedRecordError,
  PayloadCursor,
  RECORD_MAX_BYTES,
  RECORD_TARGET_BYTES,
  uvarintSize,
  writeUvarint,
  type RecordBuilder,
  type WalRecordKind,
} from '../../../buffer/wal/index.js';
import { SignetError } from '../../../errors.js';
import type { Label, Labels } from '../../../model/labels.js';

export interface WalSeries {
  readonly id: number;
  readonly labels: Labels;
}

function encodedSize(s: WalSeries): number {
  let size = uvarintSize(s.id) + uvarintSize(s.labels.length);
  for (const l of s.labels) {
    const name = Buffer.byteLength(l.name, 'utf8');
    const value = Buffer.byteLength(l.value, 'utf8');
    size += uvarintSize(name) + name + uvarintSize(value) + value;
  }
  return size;
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new SignetError(`WAL series id ${id} is not an integer in [0, 2^32)`, {
      hint: 'series ids come from SeriesTable; this is a bug in the caller',
    });
  }
}

/**
 * Encodes series from `start` into the payload being built, stopping before
 * the one that would take it past the record target. Returns the index of
 * the first series not written (always > start: a lone oversized series gets
 * a record of its own, up to the readers' hard limit).
 */
export function encodeSeries(
  b: RecordBuilder,
  series: readonly WalSeries[],
  start: number,
): number {
  // Sizes first, so the count can be written ahead of the series it counts.
  let payload = 0;
  let stop = start;
  for (; stop < series.length; stop++) {
    const s = series[stop]!;
    checkId(s.id);
    const size = encodedSize(s);
    if (stop > start && payload + size > RECORD_TARGET_BYTES) break;
    if (size + 5 > RECORD_MAX_BYTES) {
      throw new SignetError(
        `WAL series ${s.id} has ${size} bytes of labels, over the record limit`,
        {
          hint: 'limit label lengths with relabeling (labeldrop / replacement)',
        },
      );
    }
    payload += size;
  }
  b.ensure(5 + payload);
  const buf = b.buf;
  let p = writeUvarint(buf, b.pos, stop - start);
  for (let i = start; i < stop; i++) {
    const s = series[i]!;
    p = writeUvarint(buf, p, s.id);
    p = writeUvarint(buf, p, s.labels.length);
    for (const l of s.labels) {
      p = writeUvarint(buf, p, Buffer.byteLength(l.name, 'utf8'));
      p += buf.write(l.name, p, 'utf8');
      p = writeUvarint(buf, p, Buffer.byteLength(l.value, 'utf8'));
      p += buf.write(l.value, p, 'utf8');
    }
  }
  b.pos = p;
  return stop;
}

export function decodeSeries(buf: Buffer, start: number, end: number): WalSeries[] {
  const c = new PayloadCursor(buf, start, end);
  const count = c.uvarint();
  // Every series needs at least an id byte and a label-count byte.
  if (count * 2 > c.remaining()) throw new MalformedRecordError('series count exceeds the record');
  const out: WalSeries[] = [];
  for (let i = 0; i < count; i++) {
    const id = c.uvarint();
    if (id > 0xffffffff) throw new MalformedRecordError('series id out of range');
    const n = c.uvarint();
    if (n * 2 > c.remaining()) throw new MalformedRecordError('label count exceeds the record');
    const labels: Label[] = [];
    for (let j = 0; j < n; j++) {
      const name = c.utf8(c.uvarint());
      const value = c.utf8(c.uvarint());
      labels.push({ name, value });
    }
    out.push({ id, labels });
  }
  if (c.remaining() !== 0) throw new MalformedRecordError('bytes left over after the series');
  return out;
}

/** The labels of newly numbered series; written before any sample that refers to them. */
export const SERIES_RECORD: WalRecordKind<readonly WalSeries[]> = {
  type: 1,
  name: 'series',
  isEmpty: (series) => series.length === 0,
  encode(builder, series, cursor) {
    const next = encodeSeries(builder, series, cursor);
    return next < series.length ? next : undefined;
  },
  decode: decodeSeries,
};
