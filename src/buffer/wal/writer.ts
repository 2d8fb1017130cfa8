/**
 * The append side of the WAL. Each append encodes its records into one buffer
 * and hands it to the kernel with one pwrite, so when it returns a SIGKILL
 * cannot lose it (a power loss still can until the segment's fsync, which
 * happens when the segment is closed; per-append fsync would cap scrape rate
 * at the disk's flush rate).
 *
 * An append never spans segments: if it does not fit in what is left of the
 * current one, the segment is closed first, so a segment may exceed
 * segmentBytes by at most one append. That keeps failure handling simple: a
 * failed append is cut back off the one file it touched, and the writer
 * retries on the same segment (a fresh one if the directory vanished).
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { SignetError } from '../../errors.js';
import type { LogCallback } from '../../log.js';
import { WalWriteError, errnoCode, toWalWriteError } from './errors.js';
import { DEFAULT_SEGMENT_BYTES, SEGMENT_HEADER_BYTES, segmentFileName } from './format.js';
import type { WalPosition } from './position.js';
import { RecordBuilder } from './record-builder.js';
import { repairSegment } from './repair.js';
import type { WalRecordKind } from './record-kind.js';
import {
  listSegments,
  listSegmentsSync,
  segmentPath,
  sizeOf,
  sizeOfSync,
  syncAndClose,
} from './segments.js';

export interface WalOptions {
  readonly dir: string;
  /** Target segment size; default 128 MiB. A segment exceeds it by at most one append. */
  readonly segmentBytes?: number;
  readonly onLog?: LogCallback;
}

const MIN_SEGMENT_BYTES = 4096;

export class WalWriter {
  private readonly builder = new RecordBuilder();
  private fd: number | undefined;
  /** A failed append left bytes past `offset` that could not be cut off yet. */
  private cutPending = false;
  private closed = false;
  /** fsync + close of rolled segments, run off the append path. */
  private readonly closing = new Set<Promise<void>>();
  /** Whether open() had to cut a torn or corrupt tail off the last segment. */
  repairedTail = false;
  /** Segments truncateBefore could not delete (they stay, and are tried again next time). */
  deleteFailures = 0;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    private readonly log: LogCallback,
    private segment: number,
    /** Bytes in the current segment, header included; 0 until its first append. */
    private offset: number,
    /** Finished segments still on disk → their size. */
    private sizes: Map<number, number>,
  ) {}

  /**
   * Opens `options.dir` (creating it), repairs a torn or corrupt tail of the
   * last segment, and starts a new segment after the existing ones (reusing
   * the last one's number if it holds nothing).
   */
  static async open(options: WalOptions): Promise<WalWriter> {
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES) {
      throw new SignetError(`WAL segment size ${segmentBytes} is too small`, {
        hint: `use at least ${MIN_SEGMENT_BYTES} bytes (the default is 128 MiB)`,
      });
    }
    const log = options.onLog ?? (() => {});
    const dir = options.dir;
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw toWalWriteError(err, `creating the WAL directory ${dir}`);
    }
    const segments = await listSegments(dir);
    const sizes = new Map<number, number>();
    for (const s of segments.slice(0, -1)) {
      const size = await sizeOf(segmentPath(dir, s));
      if (size !== undefined) sizes.set(s, size);
    }
    let next = 1;
    let repaired = false;
    const last = segments[segments.length - 1];
    if (last !== undefined) {
      const before = await sizeOf(segmentPath(dir, last));
      const size = await repairSegment(dir, last, log);
      repaired = before !== undefined && size < before;
      if (size === 0) {
        await unlink(segmentPath(dir, last));
        next = last;
      } else {
        sizes.set(last, size);
        next = last + 1;
      }
    }
    const writer = new WalWriter(dir, segmentBytes, log, next, 0, sizes);
    writer.repairedTail = repaired;
    writer.openSegment();
    return writer;
  }

  /** Position after the last record written. */
  get head(): WalPosition {
    return { segment: this.segment, offset: this.offset };
  }

  /**
   * Appends `value` as records of `kind` (several when the kind splits it), in
   * one write; returns the position after them.
   */
  append<T>(kind: WalRecordKind<T>, value: T): WalPosition {
    this.checkOpen();
    if (kind.isEmpty(value)) return this.head;
    const b = this.builder;
    b.reset();
    let cursor: number | undefined = 0;
    while (cursor !== undefined) {
      b.beginRecord(kind.type);
      cursor = kind.encode(b, value, cursor);
      b.endRecord();
    }
    return this.commit();
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new SignetError('WAL writer is closed', { hint: 'open a new WalWriter' });
    }
  }

  /** Writes what the builder holds: one pwrite, preceded by the segment header in the same buffer. */
  private commit(): WalPosition {
    const b = this.builder;
    if (b.recordBytes === 0) return this.head;
    if (this.cutPending) this.cutBack();
    const hasRecords = this.offset > SEGMENT_HEADER_BYTES;
    if (this.fd !== undefined && hasRecords && this.offset + b.recordBytes > this.segmentBytes) {
      this.roll();
    }
    if (this.fd === undefined) this.openSegment();
    const fd = this.checkLinked(this.fd!);
    const from = this.offset === 0 ? 0 : SEGMENT_HEADER_BYTES;
    let p = from;
    try {
      while (p < b.pos) {
        const n = writeSync(fd, b.buf, p, b.pos - p, this.offset + (p - from));
        if (n === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        p += n;
      }
    } catch (err) {
      if (p > from) {
        try {
          this.cutBack();
        } catch {
          // cutPending stays set; the next append tries again before writing.
        }
      }
      throw toWalWriteError(err, `appending to ${this.path(this.segment)}`);
    }
    this.offset += b.pos - from;
    return this.head;
  }

  /** Cuts the current segment back to its last whole append. */
  private cutBack(): void {
    this.cutPending = true;
    try {
      ftruncateSync(this.fd!, this.offset);
    } catch (err) {
      throw toWalWriteError(err, `cutting a failed append off ${this.path(this.segment)}`);
    }
    this.cutPending = false;
  }

  /**
   * A segment unlinked under us (its directory deleted) would swallow appends
   * without error; one fstat per append notices it.
   */
  private checkLinked(fd: number): number {
    if (fstatSync(fd).nlink > 0) return fd;
    const path = this.path(this.segment);
    this.abandonSegment();
    throw new WalWriteError(
      'ENOENT',
      `WAL write failed: segment ${path} was deleted under the writer`,
      {
        hint: 'something removed the WAL directory or its files; records written to it are lost, and the next append starts a new segment',
      },
    );
  }

  private abandonSegment(): void {
    try {
      closeSync(this.fd!);
    } catch {
      // The descriptor is useless either way.
    }
    this.fd = undefined;
    this.cutPending = false;
    this.segment++;
    this.offset = 0;
    this.sizes = new Map();
    for (const s of listSegmentsSync(this.dir)) {
      const size = sizeOfSync(this.path(s));
      if (size !== undefined && s < this.segment) this.sizes.set(s, size);
    }
  }

  private roll(): void {
    const fd = this.fd!;
    const name = segmentFileName(this.segment);
    this.sizes.set(this.segment, this.offset);
    this.fd = undefined;
    this.segment++;
    this.offset = 0;
    const done = syncAndClose(fd).then(
      () => {},
      (err: unknown) =>
        this.log('error', `WAL: fsync/close of segment ${name} failed: ${String(err)}`),
    );
    this.closing.add(done);
    void done.finally(() => this.closing.delete(done));
  }

  /** Creates the current segment's file (empty: its header goes out with the first append). */
  private openSegment(): void {
    let recreated = false;
    for (;;) {
      const path = this.path(this.segment);
      try {
        this.fd = openSync(path, 'wx');
        return;
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'EEXIST') {
          // Not ours to overwrite; numbers only need to increase.
          this.segment++;
          continue;
        }
        if (code === 'ENOENT' && !recreated) {
          recreated = true;
          try {
            mkdirSync(this.dir, { recursive: true });
          } catch (mkdirErr) {
            throw toWalWriteError(mkdirErr, `recreating the WAL directory ${this.dir}`);
          }
          this.sizes = new Map();
          this.log('warn', `WAL: directory ${this.dir} had vanished; recreated it`);
          continue;
        }
        throw toWalWriteError(err, `creating segment ${path}`);
      }
    }
  }

  /** Deletes finished segments that end at or before `pos`; returns their numbers. */
  truncateBefore(pos: WalPosition): number[] {
    const deleted: number[] = [];
    for (const s of [...this.sizes.keys()].sort((a, b) => a - b)) {
      const size = this.sizes.get(s)!;
      if (s === this.segment || s > pos.segment || (s === pos.segment && pos.offset < size))
        continue;
      try {
        unlinkSync(this.path(s));
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') {
          this.deleteFailures++;
          this.log('warn', `WAL: could not delete segment ${this.path(s)}: ${String(err)}`);
          continue;
        }
      }
      this.sizes.delete(s);
      deleted.push(s);
    }
    return deleted;
  }

  /**
   * Finished segments last modified more than `maxAgeMs` before `now`, for
   * wal_cleanup_age. To drop them, `truncateBefore({ segment: last + 1, offset: 0 })`.
   */
  segmentsOlderThan(maxAgeMs: number, now: number = Date.now()): number[] {
    const out: number[] = [];
    for (const s of [...this.sizes.keys()].sort((a, b) => a - b)) {
      try {
        if (now - statSync(this.path(s)).mtimeMs > maxAgeMs) out.push(s);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
    }
    return out;
  }

  /**
   * The oldest finished segments to delete so that the WAL fits in
   * `maxBytes` (the segment being written always stays), for a size bound.
   */
  segmentsOverSize(maxBytes: number): number[] {
    let total = this.diskBytes();
    const out: number[] = [];
    for (const s of [...this.sizes.keys()].sort((a, b) => a - b)) {
      if (total <= maxBytes) break;
      out.push(s);
      total -= this.sizes.get(s)!;
    }
    return out;
  }

  /** Bytes of all segments on disk, from bookkeeping (no syscalls). */
  diskBytes(): number {
    let total = this.offset;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Waits for rolled segments' fsyncs, then fsyncs and closes the current one. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.closing);
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    if (this.cutPending) {
      try {
        ftruncateSync(fd, this.offset);
      } catch (err) {
        this.log('error', `WAL: could not cut a failed append off at close: ${String(err)}`);
      }
    }
    try {
      await syncAndClose(fd);
    } catch (err) {
      throw toWalWriteError(err, `syncing ${this.path(this.segment)} at close`);
    }
  }

  private path(segment: number): string {
    return segmentPath(this.dir, segment);
  }
}
