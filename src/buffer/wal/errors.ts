/**
 * Why an append could not reach the disk, in words an operator can act on.
 * Only errors carrying an errno code become WalWriteError; anything else is a
 * bug and is rethrown as it is.
 */
import { SignetError } from '../../errors.js';

const EXPLAIN: Readonly<Record<string, { what: string; hint: string }>> = {
  ENOSPC: {
    what: 'the disk is full',
    hint: 'free space on the volume or give it more; the next append retries where this one failed',
  },
  EDQUOT: {
    what: 'the disk quota is exhausted',
    hint: 'raise the quota or free space; the next append retries where this one failed',
  },
  EFBIG: {
    what: 'the file size limit was reached (RLIMIT_FSIZE or the filesystem maximum)',
    hint: 'raise the file size limit (ulimit -f) or lower wal segment size; the next append retries',
  },
  ENOENT: {
    what: 'the WAL directory vanished',
    hint: 'something deleted the WAL directory; the next append recreates it, but records written before were lost with it',
  },
  EROFS: {
    what: 'the filesystem is read-only',
    hint: 'remount the volume read-write; the next append retries',
  },
  EACCES: {
    what: 'permission was denied',
    hint: 'make the WAL directory writable by the agent user; the next append retries',
  },
  EIO: {
    what: 'the disk reported an I/O error',
    hint: 'check the disk (dmesg); the next append retries on the same segment',
  },
};

export class WalWriteError extends SignetError {
  /** The errno code, e.g. ENOSPC; the writer stays usable after any of them. */
  readonly code: string;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Wraps an errno failure of `action` (e.g. "appending to /wal/00000003.wal"). */
export function toWalWriteError(err: unknown, action: string): WalWriteError {
  const code = errnoCode(err);
  if (code === undefined) throw err;
  const known = EXPLAIN[code];
  const what = known?.what ?? `the system call failed (${code})`;
  return new WalWriteError(code, `WAL write failed while ${action}: ${what} (${code})`, {
    hint: known?.hint ?? 'check the WAL directory and its volume; the next append retries',
    cause: err,
  });
}
