/**
 * One open file the tailer reads, in the order it reads them: the file that
 * was at the path (drained after a rename or deletion), a rotated copy being
 * read to its end after a copytruncate, and the file now at the path.
 */
import { fstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { LineSplitter, NewlineShape } from './line-splitter.js';
import { readHeadSync } from './rotated-copy.js';
import type { FileIdentity } from './types.js';

/** How many first bytes identify a generation's content (to find its copy, to see a truncation). */
export const fingerprintBytes = 1024;

export interface TailedFile {
  /** Undefined only for a truncated generation with no copy: its held partial line is flushed. */
  handle: FileHandle | undefined;
  identity: FileIdentity;
  generation: number;
  splitter: LineSplitter;
  /** Size at the last look; files only grow, so less later means truncation. */
  lastSize: number;
  /** First bytes of this generation, up to fingerprintBytes. */
  fingerprint: Buffer;
  /** Still the file at the path (only the last file in the queue can be). */
  live: boolean;
  /** A rotated copy: read up to here, then done. */
  endAt: number | undefined;
  /** When data last arrived (ms). */
  lastGrowthAt: number;
  /** Released at the next end of file: a later look found the writer had moved on. */
  releaseArmed: boolean;
  /** End of the last delivered (or dropped) line: where positions may resume. */
  committed: number;
}

export interface TruncationCheck {
  readonly truncated: boolean;
  readonly size: number;
}

/**
 * Whether a live file was truncated: smaller than it was (or than what was
 * read), or its first bytes are no longer the ones seen. The second catches a
 * truncation followed by enough new writes to pass the old size between two
 * looks. Extends the fingerprint while the file is shorter than its length.
 */
export function checkTruncation(file: TailedFile): TruncationCheck {
  if (!file.handle) return { truncated: false, size: file.lastSize };
  // Synchronous, as the read it follows (file-tailer.ts step()): called once per chunk read.
  const { size } = fstatSync(file.handle.fd);
  if (size < Math.max(file.lastSize, file.splitter.fileOffset)) return { truncated: true, size };
  const headLength = Math.min(fingerprintBytes, size);
  if (headLength > 0) {
    const head = readHeadSync(file.handle, headLength);
    const known = Math.min(file.fingerprint.length, head.length);
    if (!head.subarray(0, known).equals(file.fingerprint.subarray(0, known))) {
      return { truncated: true, size };
    }
    if (head.length > file.fingerprint.length) file.fingerprint = head;
  }
  return { truncated: false, size };
}

/** Whether the bytes before offset end a line (else a partial line was flushed there). */
export async function endsWithNewline(
  handle: FileHandle,
  offset: number,
  newline: NewlineShape,
): Promise<boolean> {
  const unit = newline === 'byte' ? 1 : 2;
  const tail = Buffer.alloc(unit);
  const { bytesRead } = await handle.read(tail, 0, unit, offset - unit);
  if (bytesRead < unit) return true;
  if (newline === 'utf-16le') return tail[0] === 0x0a && tail[1] === 0;
  if (newline === 'utf-16be') return tail[0] === 0 && tail[1] === 0x0a;
  return tail[0] === 0x0a;
}

/** A file in the queue, with nothing seen of it yet beyond what `init` says. */
export function tailedFile(
  init: Pick<TailedFile, 'handle' | 'identity' | 'generation' | 'splitter'> & Partial<TailedFile>,
): TailedFile {
  return {
    lastSize: 0,
    fingerprint: Buffer.alloc(0),
    live: false,
    endAt: undefined,
    lastGrowthAt: Date.now(),
    releaseArmed: false,
    committed: init.splitter.resumeOffset,
    ...init,
  };
}
