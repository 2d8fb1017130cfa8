/**
 * Unsigned LEB128 varints (protobuf's and the WAL's) for non-negative integers
 * up to 2^53. JS bitwise operators work on 32 bits, so values past 2^31 take
 * the arithmetic path; the common small values never leave the bitwise one.
 * One implementation for every writer: the WAL's records, the remote-write
 * label store, samples and metadata encoders.
 */

/** Writes `v` (a non-negative safe integer) at `pos`; returns the position after it. */
export function writeUvarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    // `& 0x7f` keeps the low bits of any integer, even above 2^32.
    buf[pos++] = (v & 0x7f) | 0x80;
    v = v < 0x80000000 ? v >>> 7 : Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** How many bytes writeUvarint takes for `v`. */
export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
