/**
 * Replay: every record from a position to what is on disk now. The last
 * segment may be being written, so a record cut short there is simply where
 * reading stops; in an older segment the same thing is damage, reported and
 * skipped so one bad sector costs one segment, not the whole backlog.
 */
import { segmentFileName } from './format.js';
import type { WalPosition } from './position.js';
import type { WalRecord, WalRecordKinds } from './record-kind.js';
import type { LogCallback } from '../../log.js';
import { SegmentReader, isStop, type SegmentStop } from './segment-reader.js';
import { listSegments, segmentPath } from './segments.js';
import { MalformedRecordError } from './varint.js';

export interface WalEntry {
  readonly record: WalRecord;
  /** Position just after the record: where to resume once it has been handled. */
  readonly end: WalPosition;
}

export interface ReadWalOptions {
  /** The record kinds to decode; records of other kinds are passed over. */
  readonly kinds: WalRecordKinds;
  readonly onLog?: LogCallback;
}

export async function* readWal(
  dir: string,
  from: WalPosition | undefined,
  options: ReadWalOptions,
): AsyncIterable<WalEntry> {
  const log = options.onLog ?? (() => {});
  const all = await listSegments(dir);
  const last = all[all.length - 1];
  for (const segment of all) {
    if (from !== undefined && segment < from.segment) continue;
    const reader = await SegmentReader.open(segmentPath(dir, segment));
    // Gone since listing: a truncation deleted it because everyone has sent it.
    if (reader === undefined) continue;
    let stop: SegmentStop;
    try {
      const start = from !== undefined && segment === from.segment ? from.offset : 0;
      stop = (await reader.begin(start)) ?? (yield* records(reader, segment, options.kinds));
    } finally {
      await reader.close();
    }
    if (stop.kind === 'end') continue;
    if (segment === last && stop.kind === 'torn') return;
    const where = `segment ${segmentFileName(segment)} at byte ${stop.offset}`;
    if (segment === last) {
      // A concurrent append can be visible half-copied; the writer's repair judges it at restart.
      log('info', `WAL read: ${stop.reason} in ${where}; stopping there (it may be mid-write)`);
      return;
    }
    log('warn', `WAL read: ${stop.reason} in ${where}; skipping the rest of that segment`);
  }
}

async function* records(
  reader: SegmentReader,
  segment: number,
  kinds: WalRecordKinds,
): AsyncGenerator<WalEntry, SegmentStop> {
  for (;;) {
    const at = reader.offset;
    const raw = await reader.next();
    if (isStop(raw)) return raw;
    const kind = kinds.get(raw.type);
    // Another pipeline's record (or one from a newer Signet): not this reader's to judge.
    if (kind === undefined) continue;
    let record: WalRecord;
    try {
      record = { kind, value: kind.decode(raw.buf, raw.payloadStart, raw.payloadEnd) };
    } catch (err) {
      if (!(err instanceof MalformedRecordError)) throw err;
      return { kind: 'corrupt', offset: at, reason: `undecodable record (${err.message})` };
    }
    yield { record, end: { segment, offset: raw.end } };
  }
}
