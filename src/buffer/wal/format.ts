/**
 * The on-disk layout, in one place so the writer, the reader and the repair
 * agree on it.
 *
 *   segment = header record*
 *   header  = "SGWL" version:u8 0 0 0                      (8 bytes)
 *   record  = type:u8 length:u32le crc32:u32le payload     (9 + length bytes)
 *
 * The CRC covers the type and length bytes as well as the payload, so a
 * damaged length is caught rather than read as a different record. Type 0 is
 * never written: a run of zero bytes (what some filesystems leave after a
 * crash) reads as damage, not as an empty record.
 */
import { crc32 } from 'node:zlib';

export const SEGMENT_MAGIC = 0x4c574753; // "SGWL" read as a little-endian u32
export const FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 8;
export const RECORD_HEADER_BYTES = 9;

/** Writers split their input so that no payload is larger than this. */
export const RECORD_TARGET_BYTES = 4 * 1024 * 1024;
/** Readers refuse anything larger, so a damaged length cannot make them allocate gigabytes. */
export const RECORD_MAX_BYTES = 16 * 1024 * 1024;

export const DEFAULT_SEGMENT_BYTES = 128 * 1024 * 1024;

export function writeSegmentHeader(buf: Buffer, at: number): void {
  buf.writeUInt32LE(SEGMENT_MAGIC, at);
  buf[at + 4] = FORMAT_VERSION;
  buf[at + 5] = 0;
  buf[at + 6] = 0;
  buf[at + 7] = 0;
}

/** CRC of a record: its type and length bytes, then its payload. */
export function recordCrc(buf: Buffer, recordStart: number, payloadLength: number): number {
  const head = crc32(buf.subarray(recordStart, recordStart + 5));
  const payloadStart = recordStart + RECORD_HEADER_BYTES;
  return crc32(buf.subarray(payloadStart, payloadStart + payloadLength), head);
}

/**
 * Type 0 is never written, so zeroed blocks read as damage. Other types are
 * the record kinds' (record-kind.ts); one no kind here knows still has a
 * checksum, and is skipped by readers rather than taken for damage.
 */
export function isValidRecordType(type: number): boolean {
  return type !== 0;
}

const SEGMENT_NAME = /^(\d{8,})\.wal$/;

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.wal`;
}

export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}
