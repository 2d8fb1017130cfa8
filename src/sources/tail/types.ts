/**
 * The shapes a file tailer shares with whoever drives it (the target manager,
 * positions, the logs pipeline): what a read line carries, the options, and the
 * typed events the pipeline turns into logs and metrics.
 */

/** A file as the kernel knows it: rotation by rename keeps it, a new file at the path changes it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

export interface ReadLine {
  /** Decoded, without the trailing \n (and \r of \r\n). */
  readonly line: string;
  /** Byte offset of the line's first byte in its file generation. */
  readonly start: number;
  /** Byte offset just after its newline: where reading resumes. */
  readonly end: number;
  /**
   * 0 at start; +1 each time the tailer moves to a new file at the path (rename
   * rotation, deletion and re-creation) or the file is truncated. Offsets compare
   * only within one generation.
   */
  readonly generation: number;
  /** The file (dev+ino) the line was read from; a rotated copy has its own. */
  readonly identity: FileIdentity;
}

export interface FileTailerOptions {
  readonly path: string;
  /** From positions; if the file is smaller than this it was truncated or replaced: start at 0. */
  readonly startOffset: number;
  /** If known and the file at path is another inode, start at 0. */
  readonly expectIdentity?: FileIdentity;
  /** Any label TextDecoder supports; utf-8 by default. */
  readonly encoding?: string;
  /** Promtail's decompression block: the whole compressed file is read once, offsets are uncompressed. */
  readonly decompression?: { readonly format: 'gz' | 'z'; readonly initialDelayMs: number };
  /** Bytes; 0 = no limit. */
  readonly maxLineSize: number;
  /** true: longer lines are cut to maxLineSize; false: they are dropped. Both are reported. */
  readonly truncateLongLines: boolean;
  /** Poll backs off from min to max while nothing changes, back to min on change. */
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  /** A last line without newline is emitted after this long unchanged (default 5000). */
  readonly partialLineFlushMs?: number;
  /**
   * (Added beyond the shared contract.) How long a file that was renamed away or
   * deleted is kept open after it stopped growing, for writers that reopen late
   * (logrotate's `create` before the writer's HUP). It is released earlier once
   * the new file at the path receives data. Default 5000, as Fluent Bit's rotate_wait.
   */
  readonly rotateWaitMs?: number;
  /** (Added.) Bytes read per read call; bounds memory with the longest kept line. Default 128 KiB. */
  readonly readChunkBytes?: number;
  /** Awaited before reading more: back-pressure. */
  readonly onLines: (lines: readonly ReadLine[]) => Promise<void> | void;
  readonly onEvent?: (event: TailEvent) => void;
  /** For promtail_read_bytes_total / promtail_read_lines_total. */
  readonly onRead?: (bytes: number, lines: number) => void;
}

interface EventBase {
  readonly path: string;
}

export type TailEvent = EventBase &
  (
    | {
        readonly kind: 'opened';
        readonly identity: FileIdentity;
        readonly offset: number;
        readonly generation: number;
      }
    | {
        /** The remembered position did not fit the file found: reading starts at 0. */
        readonly kind: 'positionReset';
        readonly reason: 'file-smaller-than-position' | 'other-file-at-path';
        readonly position: number;
        readonly size: number;
      }
    | {
        readonly kind: 'rotated';
        readonly from: FileIdentity;
        readonly to: FileIdentity;
        readonly generation: number;
      }
    | {
        readonly kind: 'truncated';
        readonly identity: FileIdentity;
        /** Size seen before the truncation and how far reading had got. */
        readonly previousSize: number;
        readonly readOffset: number;
        readonly size: number;
        readonly generation: number;
      }
    | {
        /** At start: the file of the saved position was found renamed beside the path; read from there first. */
        readonly kind: 'resumedRenamed';
        readonly renamedPath: string;
        readonly identity: FileIdentity;
        readonly from: number;
        readonly to: number;
      }
    | {
        readonly kind: 'recoveredFromRotatedCopy';
        readonly copyPath: string;
        readonly identity: FileIdentity;
        readonly from: number;
        readonly to: number;
      }
    | {
        /** Truncated while behind and no copy with the same first bytes was found: bytes lost. */
        readonly kind: 'rotatedCopyNotFound';
        readonly readOffset: number;
        readonly previousSize: number;
      }
    /** No file at the path any more (deleted, or renamed before its successor exists). */
    | { readonly kind: 'deleted'; readonly identity: FileIdentity }
    /** A file that left the path was read to its end and closed. */
    | { readonly kind: 'released'; readonly identity: FileIdentity; readonly offset: number }
    | {
        readonly kind: 'lineTruncated';
        readonly start: number;
        readonly bytes: number;
        readonly limit: number;
      }
    | {
        readonly kind: 'lineDropped';
        readonly start: number;
        readonly bytes: number;
        readonly limit: number;
      }
    | { readonly kind: 'partialLineFlushed'; readonly start: number; readonly bytes: number }
    | { readonly kind: 'decodeError'; readonly start: number; readonly encoding: string }
    /** A read failed (EIO, EACCES…); it is tried again after pollMaxMs. */
    | { readonly kind: 'readError'; readonly error: Error }
    /** onLines threw; the same lines are offered again after pollMaxMs. */
    | { readonly kind: 'consumerError'; readonly error: Error }
    /** Reading caught up with the file's end (again after each burst); an archive was read whole. */
    | { readonly kind: 'reachedEnd'; readonly offset: number; readonly generation: number }
  );
