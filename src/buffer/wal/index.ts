/**
 * The write-ahead log: every record a pipeline takes in is appended before it
 * is sent, replayed after a restart, and deleted once every destination has
 * sent it. What a record holds is the owning pipeline's business (see
 * record-kind.ts); see format.ts for the bytes on disk.
 */
export { comparePositions, type WalPosition } from './position.js';
export { WalWriteError } from './errors.js';
export { WalRecordKinds, recordOf, type WalRecord, type WalRecordKind } from './record-kind.js';
export { WalWriter, type WalOptions } from './writer.js';
export { readWal, type WalEntry, type ReadWalOptions } from './reader.js';
export { WalProgress, type WalProgressOptions } from './progress.js';
// For record kinds' codecs.
export { RecordBuilder } from './record-builder.js';
export { RECORD_MAX_BYTES, RECORD_TARGET_BYTES } from './format.js';
export { MalformedRecordError, PayloadCursor, unzigzag, zigzag } from './varint.js';
export { uvarintSize, writeUvarint } from '../../model/varint.js';
