/**
 * The write-ahead log: every scraped sample is appended before it is sent,
 * replayed after a restart, and deleted once every endpoint has sent it.
 * See format.ts for the bytes on disk.
 */
export { comparePositions, type WalPosition } from './position.js';
export { WalWriteError } from './errors.js';
export type { WalRecord, WalSeries } from './records.js';
export { WalWriter, type WalOptions } from './writer.js';
export { readWal, type WalEntry } from './reader.js';
export { WalProgress, type WalProgressOptions } from './progress.js';
export type { LogFn as WalLogFn } from './repair.js';
