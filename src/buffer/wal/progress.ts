/**
 * "Sent up to" positions, one per remote_write endpoint, kept in a small file
 * next to the segments. Replaced atomically (write a temp file, fsync, rename)
 * so a crash leaves the old or the new file, never a mix. Senders call set()
 * after every batch; the file is rewritten at most once per flushIntervalMs.
 * A position lost to a crash only means resending from an older one: the
 * WAL keeps the segments until the saved positions pass them.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { SignetError } from '../../errors.js';
import { errnoCode, toWalWriteError } from './errors.js';
import type { WalPosition } from './position.js';
import type { LogCallback } from '../../log.js';

export const PROGRESS_FILE = 'progress.json';
const FORMAT = 1;
const DEFAULT_FLUSH_INTERVAL_MS = 1000;

interface ProgressFile {
  version: number;
  positions: { name: string; segment: number; offset: number }[];
}

export interface WalProgressOptions {
  /** Least time between two rewrites of the file; default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Told when the file cannot be read (progress restarts empty) or a deferred write fails. */
  readonly onLog?: LogCallback;
}

function isPosition(segment: unknown, offset: unknown): boolean {
  return Number.isSafeInteger(segment) && Number.isSafeInteger(offset);
}

export class WalProgress {
  private readonly positions = new Map<string, WalPosition>();
  private dirty = false;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly path: string,
    private readonly intervalMs: number,
    private readonly log: LogCallback,
  ) {}

  /** Loads `dir/progress.json` (creating `dir`); a missing or unreadable file starts empty. */
  static open(dir: string, options?: WalProgressOptions): WalProgress {
    mkdirSync(dir, { recursive: true });
    const log = options?.onLog ?? (() => {});
    const progress = new WalProgress(
      join(dir, PROGRESS_FILE),
      options?.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
      log,
    );
    progress.load();
    return progress;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as Partial<ProgressFile>;
      if (parsed.version !== FORMAT || !Array.isArray(parsed.positions)) {
        throw new Error(`unknown format ${String(parsed.version)}`);
      }
      for (const p of parsed.positions) {
        if (typeof p.name !== 'string' || !isPosition(p.segment, p.offset)) {
          throw new Error('malformed entry');
        }
        this.positions.set(p.name, { segment: p.segment, offset: p.offset });
      }
    } catch (err) {
      this.positions.clear();
      this.log(
        'warn',
        `WAL progress file ${this.path} is unreadable (${(err as Error).message}); ` +
          'every endpoint resends from the oldest segment',
      );
    }
  }

  get(name: string): WalPosition | undefined {
    return this.positions.get(name);
  }

  set(name: string, pos: WalPosition): void {
    if (!isPosition(pos.segment, pos.offset)) {
      throw new SignetError(`WAL position ${JSON.stringify(pos)} for ${name} is not two integers`);
    }
    this.positions.set(name, { segment: pos.segment, offset: pos.offset });
    this.changed();
  }

  delete(name: string): void {
    if (this.positions.delete(name)) this.changed();
  }

  names(): string[] {
    return [...this.positions.keys()].sort();
  }

  /** Writes pending changes now. Throws WalWriteError if the file cannot be written. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty) this.write();
  }

  private changed(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - performance.now());
    // Unref'd: a pending write must not keep the process alive (shutdown calls flush()).
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.write();
      } catch (err) {
        this.log('error', `WAL progress not saved: ${(err as Error).message}`);
        this.changed();
      }
    }, wait).unref();
  }

  private write(): void {
    this.lastWrite = performance.now();
    const body: ProgressFile = {
      version: FORMAT,
      positions: this.names().map((name) => ({ name, ...this.positions.get(name)! })),
    };
    const tmp = `${this.path}.tmp`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        const data = Buffer.from(JSON.stringify(body), 'utf8');
        for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (err) {
      throw toWalWriteError(err, `saving progress to ${this.path}`);
    }
    this.dirty = false;
  }
}
