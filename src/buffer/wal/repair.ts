/**
 * Repair of the last segment at startup: a crash mid-append leaves a record
 * cut short (or, after a power loss, zeroed or stale bytes). Everything from
 * the first bad record on is cut off, so the segment ends on a whole record
 * and older segments are never left with a damaged tail.
 */
import { open } from 'node:fs/promises';
import { SignetError } from '../../errors.js';
import type { LogCallback } from '../../log.js';
import { segmentFileName } from './format.js';
import { SegmentReader, isStop, type SegmentStop } from './segment-reader.js';
import { segmentPath } from './segments.js';

/** Scans to the first bad record; returns the segment's size after the repair. */
export async function repairSegment(
  dir: string,
  segment: number,
  log: LogCallback,
): Promise<number> {
  const path = segmentPath(dir, segment);
  const reader = await SegmentReader.open(path);
  if (reader === undefined) return 0;
  let stop: SegmentStop;
  try {
    stop = (await reader.begin()) ?? (await scan(reader));
  } finally {
    await reader.close();
  }
  if (stop.kind === 'newer-version') {
    throw new SignetError(`WAL segment ${path} was written by a newer Signet: ${stop.reason}`, {
      hint: 'run the newer Signet again, or move the WAL directory aside to start empty',
    });
  }
  if (stop.kind === 'end') return stop.offset;

  const fh = await open(path, 'r+');
  try {
    const size = (await fh.stat()).size;
    await fh.truncate(stop.offset);
    await fh.sync();
    log(
      'warn',
      `WAL repair: cut ${size - stop.offset} bytes (${stop.reason}) from the end of segment ` +
        `${segmentFileName(segment)}; ${stop.offset} bytes of whole records kept`,
    );
  } finally {
    await fh.close();
  }
  return stop.offset;
}

async function scan(reader: SegmentReader): Promise<SegmentStop> {
  for (;;) {
    const r = await reader.next();
    if (isStop(r)) return r;
  }
}
