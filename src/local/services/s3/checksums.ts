/**
 * The flexible checksums S3 accepts (`x-amz-checksum-*`), computed the way
 * the SDKs send them: base64 of the big-endian digest.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

// zlib.crc32 arrived in Node 20.15; without it CRC32 goes unverified rather than failing.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

// Node has no CRC32C, and the Castagnoli table is short enough to keep here.
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/** The checksum of data as S3 writes it, or undefined when this Node cannot compute it (CRC64NVME). */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return zlibCrc32 === undefined ? undefined : uint32Base64(zlibCrc32(data));
    case 'crc32c':
      return uint32Base64(crc32c(data));
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64');
    case 'crc64nvme':
      return undefined;
  }
}
