/**
 * What the file target manager needs from a single-file tailer: the shape of
 * FileTailer (file-tailer.ts), written here structurally so the manager and
 * its tests do not depend on that class. The logs pipeline passes
 * `(options) => new FileTailer(options)` as the factory; tests may pass a
 * reader of their own.
 */

import type { FileIdentity, ReadLine } from './types.js';

export { sameIdentity, type FileIdentity, type ReadLine } from './types.js';

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
