/**
 * Log entries in the logs WAL: a chunk of entries with the label sets they
 * use written once per record (a tailed file's entries share one object).
 *
 *   streamCount:uvarint ( labelCount:uvarint ( len:uvarint utf8 ){2×labelCount} ){streamCount}
 *   count:uvarint ( stream:uvarint seconds:uvarint nanos:uvarint
 *                   len:uvarint line:utf8 metaCount:uvarint ( len utf8 ){2×metaCount} ){count}
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
import type { LogEntry, LogLabels } from '../../../model/log-entry.js';

function pairsSize(pairs: LogLabels): number {
  let size = 0;
  let n = 0;
  for (const name in pairs) {
    const nameBytes = Buffer.byteLength(name, 'utf8');
    const valueBytes = Buffer.byteLength(pairs[name]!, 'utf8');
    size += uvarintSize(nameBytes) + nameBytes + uvarintSize(valueBytes) + valueBytes;
    n++;
  }
  return uvarintSize(n) + size;
}

function writePairs(buf: Buffer, p: number, pairs: LogLabels): number {
  p = writeUvarint(buf, p, Object.keys(pairs).length);
  for (const name in pairs) {
    p = writeUvarint(buf, p, Buffer.byteLength(name, 'utf8'));
    p += buf.write(name, p, 'utf8');
    const value = pairs[name]!;
    p = writeUvarint(buf, p, Buffer.byteLength(value, 'utf8'));
    p += buf.write(value, p, 'utf8');
  }
  return p;
}

const NS_PER_S = 1_000_000_000n;

/** Thrown for one entry no record can hold; the pipeline drops and counts it. */
export class LogEntryTooLargeError extends SignetError {
  constructor(bytes: number) {
    super(`a log entry of ${bytes} bytes is over the WAL's record limit`, {
      hint: 'set limits_config.max_line_size (with max_line_size_truncate) to cut such lines',
    });
  }
}

function encodeEntries(b: RecordBuilder, entries: readonly LogEntry[], start: number): number {
  const streams = new Map<LogLabels, number>();
  let streamBytes = 0;
  let entryBytes = 0;
  let stop = start;
  // Each line's UTF-8 length, measured once for the size and the write.
  const lineLengths: number[] = [];
  for (; stop < entries.length; stop++) {
    const e = entries[stop]!;
    const lineBytes = Buffer.byteLength(e.line, 'utf8');
    let size = 3 + 10 + 5 + uvarintSize(lineBytes) + lineBytes;
    if (e.structuredMetadata !== undefined) size += pairsSize(e.structuredMetadata);
    const newStream = !streams.has(e.labels);
    const labelBytes = newStream ? pairsSize(e.labels) : 0;
    if (stop > start && streamBytes + entryBytes + size + labelBytes > RECORD_TARGET_BYTES) break;
    if (size + labelBytes + 10 > RECORD_MAX_BYTES) {
      if (stop === start) throw new LogEntryTooLargeError(size + labelBytes);
      break;
    }
    if (newStream) {
      streams.set(e.labels, streams.size);
      streamBytes += labelBytes;
    }
    entryBytes += size;
    lineLengths.push(lineBytes);
  }
  b.ensure(10 + streamBytes + entryBytes);
  const buf = b.buf;
  let p = writeUvarint(buf, b.pos, streams.size);
  for (const labels of streams.keys()) p = writePairs(buf, p, labels);
  p = writeUvarint(buf, p, stop - start);
  // Entries read together share a timestamp: its BigInt division is done once per run of them.
  let lastNs = -1n;
  let seconds = 0;
  let nanos = 0;
  for (let i = start; i < stop; i++) {
    const e = entries[i]!;
    p = writeUvarint(buf, p, streams.get(e.labels)!);
    if (e.timestampNs !== lastNs) {
      lastNs = e.timestampNs;
      const ts = lastNs < 0n ? 0n : lastNs;
      seconds = Number(ts / NS_PER_S);
      nanos = Number(ts % NS_PER_S);
    }
    p = writeUvarint(buf, p, seconds);
    p = writeUvarint(buf, p, nanos);
    const lineBytes = lineLengths[i - start]!;
    p = writeUvarint(buf, p, lineBytes);
    p += buf.write(e.line, p, lineBytes, 'utf8');
    p =
      e.structuredMetadata === undefined
        ? writeUvarint(buf, p, 0)
        : writePairs(buf, p, e.structuredMetadata);
  }
  b.pos = p;
  return stop;
}

function readPairs(c: PayloadCursor): LogLabels {
  const n = c.uvarint();
  if (n * 2 > c.remaining()) throw new MalformedRecordError('label count exceeds the record');
  const out: LogLabels = {};
  for (let j = 0; j < n; j++) {
    const name = c.utf8(c.uvarint());
    out[name] = c.utf8(c.uvarint());
  }
  return out;
}

export function decodeEntries(buf: Buffer, start: number, end: number): LogEntry[] {
  const c = new PayloadCursor(buf, start, end);
  const streamCount = c.uvarint();
  if (streamCount > c.remaining())
    throw new MalformedRecordError('stream count exceeds the record');
  const streams: LogLabels[] = [];
  for (let i = 0; i < streamCount; i++) streams.push(readPairs(c));
  const count = c.uvarint();
  // Every entry needs at least five bytes (stream, seconds, nanos, length, metadata count).
  if (count * 5 > c.remaining()) throw new MalformedRecordError('entry count exceeds the record');
  const out: LogEntry[] = [];
  for (let i = 0; i < count; i++) {
    const labels = streams[c.uvarint()];
    if (labels === undefined) throw new MalformedRecordError('entry refers to no stream');
    const seconds = c.uvarint();
    const nanos = c.uvarint();
    if (nanos >= 1e9) throw new MalformedRecordError('nanoseconds out of range');
    const line = c.utf8(c.uvarint());
    const meta = readPairs(c);
    out.push({
      labels,
      line,
      timestampNs: BigInt(seconds) * NS_PER_S + BigInt(nanos),
      structuredMetadata: Object.keys(meta).length > 0 ? meta : undefined,
    });
  }
  if (c.remaining() !== 0) throw new MalformedRecordError('bytes left over after the entries');
  return out;
}

/** A chunk of log entries; type 3 (metrics uses 1 and 2). */
export const LOG_ENTRIES_RECORD: WalRecordKind<readonly LogEntry[]> = {
  type: 3,
  name: 'log entries',
  isEmpty: (entries) => entries.length === 0,
  encode(builder, entries, cursor) {
    const next = encodeEntries(builder, entries, cursor);
    return next < entries.length ? next : undefined;
  },
  decode: decodeEntries,
};
