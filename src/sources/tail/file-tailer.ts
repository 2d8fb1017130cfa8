/**
 * Tails one path as Promtail and Fluent Bit do: lines as they are written
 * (directory events wake a poll that backs off between pollMinMs and
 * pollMaxMs), rename rotation (the old file kept open and drained before the
 * new one is read from 0), copytruncate (seen by size and first bytes; a
 * tailer that was behind reads the rest from the rotated copy), deletion (the
 * file released once drained, the path awaited), held partial lines, any
 * TextDecoder encoding, long lines cut or dropped, and back-pressure: nothing
 * more is read until onLines has finished.
 */
import { readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { streamDecompressed } from './compressed.js';
import { LineDecoder } from './line-decoder.js';
import { LineSplitter, type SplitResult } from './line-splitter.js';
import { toReadLines, type TailEventBody } from './line-delivery.js';
import { PollWaker } from './poll-waker.js';
import { checkTailerOptions } from './tailer-options.js';
import { readHead } from './rotated-copy.js';
import { findRenamed } from './renamed.js';
import { splitTruncated } from './truncation.js';
import {
  checkTruncation,
  endsWithNewline,
  fingerprintBytes,
  tailedFile,
  type TailedFile,
} from './tailed-file.js';
import { sameIdentity, type FileIdentity, type FileTailerOptions, type ReadLine } from './types.js';

export type { FileIdentity, FileTailerOptions, ReadLine, TailEvent } from './types.js';

export { TailOptionsError } from './tailer-options.js';
export { TailEncodingError } from './line-decoder.js';

/** How long a tailer keeps its read buffer after the last data it read. */
const BUFFER_IDLE_MS = 5_000;

export class FileTailer {
  private readonly options: FileTailerOptions;
  private readonly decoder: LineDecoder;
  private readonly chunkBytes: number;
  /**
   * Held while the file is written to and dropped after BUFFER_IDLE_MS without
   * data: a thousand idle tailers hold no read buffers, and a busy one does not
   * allocate (and fault in) a fresh chunk for every write it wakes up to.
   */
  private buffer: Buffer | undefined;
  private lastDataAt = 0;
  private readonly rotateWaitMs: number;
  private readonly partialFlushMs: number;
  private files: TailedFile[] = [];
  private nextGeneration = 0;
  private lastGeneration = 0;
  private lastIdentity: FileIdentity | undefined;
  private lastSize = 0;
  private lastPathCheck = 0;
  private reportedEnd = false;
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly waker: PollWaker;
  private blockedLook: Promise<void> | undefined;

  constructor(options: FileTailerOptions) {
    const settings = checkTailerOptions(options);
    this.options = options;
    this.decoder = new LineDecoder(options.encoding ?? 'utf-8');
    this.chunkBytes = settings.readChunkBytes;
    this.rotateWaitMs = settings.rotateWaitMs;
    this.partialFlushMs = settings.partialLineFlushMs;
    this.waker = new PollWaker(options.path);
  }

  /** The file being read. */
  get identity(): FileIdentity | undefined {
    return this.files[0]?.identity ?? this.lastIdentity;
  }

  /** Last known size of the file at the path (uncompressed bytes read, for an archive). */
  get size(): number {
    return this.files.at(-1)?.lastSize ?? this.lastSize;
  }

  /** End of the last line delivered in the current generation. */
  get readOffset(): number {
    return this.files[0]?.committed ?? 0;
  }

  get generation(): number {
    return this.files[0]?.generation ?? this.lastGeneration;
  }

  start(): void {
    if (this.running) return;
    this.running = (this.options.decompression ? this.runCompressed() : this.run()).catch(
      (error: unknown) => this.emit({ kind: 'readError', error: asError(error) }),
    );
  }

  /** Waits for the onLines in progress, then closes every file and the watcher. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waker.stop();
    await this.running;
    this.waker.unwatch();
    for (const file of this.files) await file.handle?.close().catch(() => undefined);
    this.files = [];
  }

  private emit(event: TailEventBody): void {
    this.options.onEvent?.({ path: this.options.path, ...event });
  }

  private async run(): Promise<void> {
    this.waker.watch();
    let delay = this.options.pollMinMs;
    while (!this.stopping) {
      let progressed: boolean;
      try {
        progressed = await this.step();
      } catch (error) {
        this.emit({ kind: 'readError', error: asError(error) });
        progressed = false;
        delay = this.options.pollMaxMs;
      }
      if (this.stopping) break;
      if (progressed) {
        delay = this.options.pollMinMs;
        continue;
      }
      if (Date.now() - this.lastDataAt >= BUFFER_IDLE_MS) this.buffer = undefined;
      await this.waker.sleep(delay);
      delay = Math.min(delay * 2, this.options.pollMaxMs);
    }
  }

  /** One read or one look at the path; true when something moved (then no pause). */
  private async step(): Promise<boolean> {
    const head = this.files[0];
    if (!head) return this.checkPath();
    const now = Date.now();
    if (now - this.lastPathCheck >= this.options.pollMinMs && (await this.checkPath())) return true;
    if (!head.handle) return this.finish(head);
    const offset = head.splitter.fileOffset;
    const buffer = (this.buffer ??= Buffer.allocUnsafe(this.chunkBytes));
    const want = Math.min(buffer.length, (head.endAt ?? Infinity) - offset);
    // Synchronous on purpose: a read of a regular file from the page cache takes a
    // few microseconds, while a libuv threadpool round trip costs ~25-50 µs of CPU
    // (measured in bench:logs-aws) and dominated the tailer's cost. A slow disk
    // holds the loop for one chunk at most.
    const bytesRead = want > 0 ? readSync(head.handle.fd, buffer, 0, want, offset) : 0;
    if (bytesRead > 0) {
      // Read first, then look: if the file was truncated before this look, what was
      // just read may be the new generation's bytes at the old offset; they are thrown
      // away and the copy (or the new generation from 0) supplies the truth.
      if (head.live) {
        const check = checkTruncation(head);
        if (check.truncated) {
          await this.truncated(head, check.size);
          return true;
        }
        head.lastSize = check.size;
      }
      head.lastGrowthAt = now;
      this.lastDataAt = now;
      head.releaseArmed = false;
      this.reportedEnd = false;
      this.options.onRead?.(bytesRead, 0);
      await this.deliver(head, head.splitter.push(buffer.subarray(0, bytesRead)));
      return true;
    }
    if (head.endAt !== undefined) return this.finish(head);
    if (await this.checkPath()) return true;
    if (this.files[0] !== head) return true;
    if (!head.live || this.files.length > 1) return this.drainRotated(head, now);
    if (!this.reportedEnd) {
      this.reportedEnd = true;
      this.emit({
        kind: 'reachedEnd',
        offset: head.splitter.fileOffset,
        generation: head.generation,
      });
    }
    if (head.splitter.pendingBytes > 0 && now - head.lastGrowthAt >= this.partialFlushMs) {
      await this.deliver(head, head.splitter.flush(false));
    }
    return false;
  }

  /**
   * A file renamed away or deleted, read to its end: released once a later look
   * finds the writer moved on (the new file has data) or it has been quiet for
   * rotateWaitMs. The release waits for one more read after that look, so bytes
   * written before the writer moved are never left behind.
   */
  private async drainRotated(head: TailedFile, now: number): Promise<boolean> {
    if (head.releaseArmed) return this.finish(head);
    const successor = this.files[1];
    if ((successor && successor.lastSize > 0) || now - head.lastGrowthAt >= this.rotateWaitMs) {
      head.releaseArmed = true;
      return true;
    }
    return false;
  }

  /** A file done with: its held partial line delivered, closed, the next one read. */
  private async finish(file: TailedFile): Promise<boolean> {
    await this.deliver(file, file.splitter.flush(true));
    await file.handle?.close().catch(() => undefined);
    if (file.endAt === undefined) {
      this.emit({ kind: 'released', identity: file.identity, offset: file.splitter.fileOffset });
    }
    this.files.shift();
    this.lastIdentity = file.identity;
    this.lastGeneration = file.generation;
    this.lastSize = file.lastSize;
    return true;
  }

  /** The file is no longer at the path; its rotateWaitMs counts from now at the earliest. */
  private leftPath(file: TailedFile): void {
    file.live = false;
    file.lastGrowthAt = Date.now();
  }

  /**
   * Looks at the path: deleted, a new file there (rotation or re-creation), or
   * the same file, then checked for truncation. True when the queue changed.
   * `whileBlocked`: a look while lines of the first file are being delivered.
   */
  private async checkPath(whileBlocked = false): Promise<boolean> {
    this.lastPathCheck = Date.now();
    const last = this.files.at(-1);
    let found: FileIdentity;
    try {
      const stats = statSync(this.options.path); // sync: see step()
      found = { dev: stats.dev, ino: stats.ino };
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      if (last?.live) {
        this.leftPath(last);
        this.emit({ kind: 'deleted', identity: last.identity });
      }
      return false;
    }
    if (last && sameIdentity(last.identity, found)) {
      // The file being delivered from is checked for truncation only between deliveries.
      if (!last.live || (whileBlocked && last === this.files[0])) return false;
      const check = checkTruncation(last);
      if (check.truncated) {
        await this.truncated(last, check.size);
        return true;
      }
      last.lastSize = check.size;
      return false;
    }
    return this.openAtPath(last);
  }

  private async openAtPath(previous: TailedFile | undefined): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.options.path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
    const stats = await handle.stat();
    const identity = { dev: stats.dev, ino: stats.ino };
    if (previous && sameIdentity(previous.identity, identity)) {
      await handle.close();
      return false;
    }
    const first = this.nextGeneration === 0;
    const resumed = first ? await this.openRenamed(identity) : undefined;
    if (resumed) this.files.push(resumed);
    const generation = this.nextGeneration++;
    let offset = 0;
    if (first && !resumed) offset = this.firstOffset(identity, stats.size);
    const continuation =
      offset > 0 && !(await endsWithNewline(handle, offset, this.decoder.newline));
    const file = tailedFile({
      handle,
      identity,
      generation,
      splitter: this.splitter(offset, continuation),
      lastSize: stats.size,
      fingerprint: await readHead(handle, Math.min(fingerprintBytes, stats.size)),
      live: true,
    });
    if (previous?.live) this.leftPath(previous);
    if (previous) {
      this.emit({ kind: 'rotated', from: previous.identity, to: identity, generation });
    }
    this.files.push(file);
    this.emit({ kind: 'opened', identity, offset, generation });
    return true;
  }

  /**
   * At start, when the file at the path is not the one the position was
   * saved for: that file, if it was renamed beside the path and holds more,
   * opened at the saved offset to be read to its end first (renamed.ts).
   */
  private async openRenamed(atPath: FileIdentity): Promise<TailedFile | undefined> {
    const expected = this.options.expectIdentity;
    const offset = this.options.startOffset;
    if (!expected || offset === 0 || sameIdentity(expected, atPath)) return undefined;
    const renamed = await findRenamed(this.options.path, expected, offset);
    if (!renamed) return undefined;
    const handle = await open(renamed.path, 'r');
    const continuation = !(await endsWithNewline(handle, offset, this.decoder.newline));
    const file = tailedFile({
      handle,
      identity: expected,
      generation: this.nextGeneration++,
      splitter: this.splitter(offset, continuation),
      lastSize: renamed.size,
      fingerprint: await readHead(handle, Math.min(fingerprintBytes, renamed.size)),
      live: false,
    });
    this.emit({
      kind: 'resumedRenamed',
      renamedPath: renamed.path,
      identity: expected,
      from: offset,
      to: renamed.size,
    });
    return file;
  }

  /** Where to start the first file: the remembered offset, unless it cannot be this file's. */
  private firstOffset(identity: FileIdentity, size: number): number {
    const position = this.options.startOffset;
    const expected = this.options.expectIdentity;
    if (expected && !sameIdentity(expected, identity)) {
      if (position > 0) {
        this.emit({ kind: 'positionReset', reason: 'other-file-at-path', position, size });
      }
      return 0;
    }
    if (size < position) {
      this.emit({ kind: 'positionReset', reason: 'file-smaller-than-position', position, size });
      return 0;
    }
    return position;
  }

  private splitter(startOffset: number, continuation: boolean): LineSplitter {
    return new LineSplitter({
      startOffset,
      continuation,
      maxLineSize: this.options.maxLineSize,
      truncateLongLines: this.options.truncateLongLines,
      newline: this.decoder.newline,
    });
  }

  /** Copytruncate (or a writer truncating): see splitTruncated. */
  private async truncated(file: TailedFile, size: number): Promise<void> {
    const rest = await splitTruncated(file, size, {
      path: this.options.path,
      held: this.files.map((f) => f.identity),
      generation: this.nextGeneration++,
      splitter: this.splitter(0, false),
      emit: (event) => this.emit(event),
    });
    this.files.splice(this.files.indexOf(file), 0, rest);
  }

  private async deliver(file: TailedFile, result: SplitResult): Promise<void> {
    const emit = (event: TailEventBody): void => this.emit(event);
    const lines = toReadLines(result, file, this.decoder, this.options.maxLineSize, emit);
    if (lines.length > 0) {
      this.options.onRead?.(0, lines.length);
      await this.consume(lines);
    }
    file.committed = file.splitter.resumeOffset;
  }

  /** Hands lines over, again after a pause if the consumer threw: they are not skipped. */
  private async consume(lines: readonly ReadLine[]): Promise<void> {
    // While the consumer holds reading back, the path is still looked at: every new
    // file there is opened and kept, so two rotations during one long stall (a sink
    // down for a day of daily rotations) do not lose the file in between.
    const timer = this.options.decompression
      ? undefined
      : setInterval(() => this.lookWhileBlocked(), this.options.pollMaxMs);
    try {
      for (;;) {
        try {
          await this.options.onLines(lines);
          return;
        } catch (error) {
          this.emit({ kind: 'consumerError', error: asError(error) });
          if (this.stopping) return;
          await this.waker.sleep(this.options.pollMaxMs);
          if (this.stopping) return;
        }
      }
    } finally {
      clearInterval(timer);
      await this.blockedLook;
    }
  }

  private lookWhileBlocked(): void {
    if (this.blockedLook || this.stopping) return;
    this.blockedLook = this.checkPath(true)
      .then(() => undefined)
      .catch((error: unknown) => this.emit({ kind: 'readError', error: asError(error) }))
      .finally(() => (this.blockedLook = undefined));
  }

  /** An archive: read once to its end, no following, no rotation. */
  private async runCompressed(): Promise<void> {
    const { path, decompression, startOffset } = this.options;
    if (!decompression) return;
    await this.waker.sleep(decompression.initialDelayMs);
    if (this.stopping) return;
    const stats = await stat(path);
    const identity = { dev: stats.dev, ino: stats.ino };
    const splitter = this.splitter(startOffset, false);
    const file = tailedFile({ handle: undefined, identity, generation: 0, splitter });
    this.files.push(file);
    this.emit({ kind: 'opened', identity, offset: startOffset, generation: 0 });
    const consume = async (chunk: Buffer): Promise<void> => {
      this.options.onRead?.(chunk.length, 0);
      file.lastSize += chunk.length;
      await this.deliver(file, splitter.push(chunk));
    };
    file.lastSize = startOffset;
    const total = await streamDecompressed(
      path,
      decompression.format,
      startOffset,
      consume,
      () => this.stopping,
    );
    if (this.stopping) return;
    await this.deliver(file, splitter.flush(true));
    this.emit({ kind: 'reachedEnd', offset: total, generation: 0 });
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
