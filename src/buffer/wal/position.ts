/**
 * A place in the WAL: a segment number and a byte offset inside that segment.
 * Appends and reads hand out the position just after a record, so a consumer
 * that stores "sent up to" can resume from exactly the next record.
 */
export interface WalPosition {
  readonly segment: number;
  /** Bytes from the start of the segment file, segment header included. */
  readonly offset: number;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function comparePositions(a: WalPosition, b: WalPosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}
