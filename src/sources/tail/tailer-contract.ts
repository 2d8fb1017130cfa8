/**
 * What the file target manager needs from a single-file tailer: the shape of
 * FileTailer (file-tailer.ts), written here structurally so the manager and
 * its tests do not depend on that class. The logs pipeline passes
 * `(options) => new FileTailer(options)` as the factory; tests may pass a
 * reader of their own.
 */

/** A file as the kernel knows it: the same device and inode is the same file, whatever its name. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** One line as the tailer read it: its text and where its bytes lie in the file. */
export interface ReadLine {
  readonly line: string;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just past the line and its newline: where reading resumes after it. */
  readonly end: number;
  /** +1 each time the tailer moves to a new file at the path (rename rotation) or reads a truncated file again. */
  readonly generation: number;
  readonly identity: FileIdentity;
}

export interface TailerOptions {
  readonly path: string;
  readonly startOffset: number;
  /** The file the start offset belongs to; another file at the path is read from 0. */
  readonly expectIdentity?: FileIdentity | undefined;
  readonly encoding?: string | undefined;
  readonly decompression?:
    { readonly format: 'gz' | 'z'; readonly initialDelayMs: number } | undefined;
  readonly maxLineSize: number;
  readonly truncateLongLines: boolean;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly partialLineFlushMs?: number | undefined;
  /** Awaited: the tailer reads no further until it resolves (back-pressure). */
  onLines(lines: readonly ReadLine[]): Promise<void> | void;
  /** Rotations, truncations, errors: the tailer's own event type, passed on to the manager's owner. */
  onEvent?(event: unknown): void;
  onRead?(bytes: number, lines: number): void;
}

export interface Tailer {
  start(): void;
  /** Stops reading; resolves once no onLines call is running or will start. */
  stop(): Promise<void>;
  readonly identity?: FileIdentity | undefined;
  /** The file's size when last looked at. */
  readonly size: number;
  /** Where the next read starts in the current generation. */
  readonly readOffset: number;
  readonly generation: number;
}

export type TailerFactory = (options: TailerOptions) => Tailer;

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
