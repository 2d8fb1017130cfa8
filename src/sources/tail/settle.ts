/**
 * When a position may move past a line: only once the line is safe — sent by
 * every client, or in the logs WAL, or dropped for good (a `drop` stage, a
 * client's permanent refusal). Each line read gets a token (a number,
 * opaque to the pipeline); the pipeline settles tokens in any order, and a
 * file's position is the end of the last line of the contiguous settled run
 * that starts at its oldest read line. A crash then re-reads at most the
 * lines not yet safe; it never skips one.
 *
 * Cheap at 100k lines/s: lines are tracked per batch the tailer hands over
 * (their end offsets in a Float64Array, a settled flag each in a Uint8Array),
 * tokens are consecutive numbers so a batch is found by binary search, and no
 * per-line objects are made.
 *
 * Generations (file-tailer.ts): the tailer moves to generation g+1 when the
 * file at the path was replaced (rename rotation, a new identity) or
 * truncated (same identity, copytruncate). Offsets only compare within one
 * generation, and a positions entry holds one offset, so while lines of an
 * older generation are unsettled the position recorded is offset 0 of the
 * current file (with its identity). What a restart then does:
 *
 * - the current file is read from 0: lines of it that were already safe
 *   may be sent twice, none is skipped. Any offset above 0 could skip lines
 *   of the new content that were never sent (Promtail would resume a longer
 *   new file at the old offset);
 * - the older file's unsettled lines: after a rename, if the glob matches
 *   the file's new name (`app.log.1`), that name is tailed with its own
 *   entry, from 0 when it has none (duplicates, nothing lost); if it is not
 *   matched, or the
 *   content was truncated away, they cannot be read again — Promtail would
 *   have lost them as well. The window is short: the tailer drains the old
 *   file before moving on, so only lines in the pipeline are at stake.
 *
 * Resuming the old file under its new name by its identity was left out on
 * purpose: once no one holds the file open its inode number may be reused by
 * a new file, and resuming that one at the old offset would skip lines.
 *
 * Once the older generations are settled, the position is the current
 * generation's own settled offset.
 */
import type { FilePosition } from './positions.js';
import type { FileIdentity, ReadLine } from './tailer-contract.js';

/** The token of one read line. */
export type OriginToken = number;

/** @internal Lines of one file handed over in one call, in read order, all of one generation. */
export interface Batch {
  readonly file: FileSettle;
  readonly firstToken: number;
  readonly count: number;
  readonly ends: Float64Array;
  readonly settled: Uint8Array;
  readonly generation: number;
  readonly identity: FileIdentity;
  /** Where the batch's first line starts: the settled offset of a generation nothing of which is settled yet. */
  readonly firstStart: number;
  /** Lines not settled; 0 also once the file was closed (the batch no longer matters). */
  unsettled: number;
}

/** Tokens of every tailed file of one manager. */
export class SettleLedger {
  private batches: Batch[] = [];
  private head = 0;
  /** Batches at or after `head` that are finished but still in the array. */
  private finished = 0;
  private nextToken = 1;

  /**
   * Registers lines read from `file`, in read order; line i gets the returned
   * token + i. Lines of several generations in one call are split.
   */
  track(file: FileSettle, lines: readonly ReadLine[]): OriginToken {
    const first = this.nextToken;
    let from = 0;
    for (let i = 1; i <= lines.length; i++) {
      if (i < lines.length && lines[i]!.generation === lines[from]!.generation) continue;
      this.addBatch(file, lines, from, i);
      from = i;
    }
    return first;
  }

  /** The line of this token is safe; unknown tokens (already settled, or of a closed file) are ignored. */
  settle(token: OriginToken): void {
    const batch = this.find(token);
    if (batch === undefined || batch.unsettled === 0) return;
    const index = token - batch.firstToken;
    if (batch.settled[index] === 1) return;
    batch.settled[index] = 1;
    batch.unsettled--;
    batch.file.advance();
    if (batch.unsettled === 0) {
      this.finished++;
      this.trim();
    }
  }

  /** Lines tracked and not yet settled, over all files (a gauge). */
  get unsettledLines(): number {
    let n = 0;
    for (let i = this.head; i < this.batches.length; i++) n += this.batches[i]!.unsettled;
    return n;
  }

  /** Batches held (for tests and a gauge): those with unsettled lines, and finished ones not yet dropped. */
  get heldBatches(): number {
    return this.batches.length - this.head;
  }

  private addBatch(file: FileSettle, lines: readonly ReadLine[], from: number, to: number): void {
    const count = to - from;
    const ends = new Float64Array(count);
    for (let i = 0; i < count; i++) ends[i] = lines[from + i]!.end;
    const line = lines[from]!;
    const batch: Batch = {
      file,
      firstToken: this.nextToken,
      count,
      ends,
      settled: new Uint8Array(count),
      generation: line.generation,
      identity: line.identity,
      firstStart: line.start,
      unsettled: file.closed ? 0 : count,
    };
    this.nextToken += count;
    if (batch.unsettled === 0) return;
    this.batches.push(batch);
    file.enqueue(batch);
  }

  private find(token: number): Batch | undefined {
    let lo = this.head;
    let hi = this.batches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const batch = this.batches[mid]!;
      if (token < batch.firstToken) hi = mid - 1;
      else if (token >= batch.firstToken + batch.count) lo = mid + 1;
      else return batch;
    }
    return undefined;
  }

  /** @internal A batch of a closed file no longer counts. */
  finish(batch: Batch): void {
    if (batch.unsettled === 0) return;
    batch.unsettled = 0;
    this.finished++;
  }

  /**
   * Drops finished batches: from the front as they finish, and from the
   * middle now and then, so one line never settled (a pipeline bug) only
   * keeps its own batch, not every batch read after it.
   */
  trim(): void {
    while (this.head < this.batches.length && this.batches[this.head]!.unsettled === 0) {
      this.head++;
      this.finished--;
    }
    const live = this.batches.length - this.head;
    if (this.finished > 1024 && this.finished * 2 > live) {
      this.batches = this.batches.slice(this.head).filter((batch) => batch.unsettled > 0);
      this.head = 0;
      this.finished = 0;
    } else if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    } else if (this.head === this.batches.length) {
      this.batches.length = 0;
      this.head = 0;
    }
  }
}

/** One tailed file's settled position. */
export class FileSettle {
  private queue: Batch[] = [];
  private queueHead = 0;
  /** Lines of the head batch settled in a row from its start. */
  private prefix = 0;
  /** The settled run's end, its generation and file. */
  private settledEnd: number;
  private settledGeneration: number;
  private settledIdentity: FileIdentity | undefined;
  private lastGeneration: number;
  private lastIdentity: FileIdentity | undefined;
  closed = false;

  constructor(
    readonly path: string,
    start: FilePosition,
    private readonly ledger: SettleLedger,
    generation = 0,
  ) {
    this.settledEnd = start.offset;
    this.settledIdentity = start.identity;
    this.settledGeneration = generation;
    this.lastGeneration = generation;
    this.lastIdentity = start.identity;
  }

  /** Registers lines read, in order; see SettleLedger.track. */
  track(lines: readonly ReadLine[]): OriginToken {
    return this.ledger.track(this, lines);
  }

  /** @internal SettleLedger's: a new batch of this file. */
  enqueue(batch: Batch): void {
    if (this.queueHead === this.queue.length && batch.generation !== this.settledGeneration) {
      // Everything before is settled: the new generation starts settled up to its first line.
      this.settledGeneration = batch.generation;
      this.settledEnd = batch.firstStart;
      this.settledIdentity = batch.identity;
    }
    if (this.settledIdentity === undefined && batch.generation === this.settledGeneration)
      this.settledIdentity = batch.identity;
    this.queue.push(batch);
    this.lastGeneration = batch.generation;
    this.lastIdentity = batch.identity;
  }

  /** @internal Moves the settled run forward over the lines settled in a row. */
  advance(): void {
    while (this.queueHead < this.queue.length) {
      const batch = this.queue[this.queueHead]!;
      while (this.prefix < batch.count && batch.settled[this.prefix] === 1) {
        this.settledEnd = batch.ends[this.prefix]!;
        this.prefix++;
      }
      if (this.prefix < batch.count) return;
      this.queue[this.queueHead] = undefined as unknown as Batch;
      this.queueHead++;
      this.prefix = 0;
      const next = this.queue[this.queueHead];
      if (next === undefined) {
        this.queue.length = 0;
        this.queueHead = 0;
        return;
      }
      if (next.generation !== this.settledGeneration) {
        this.settledGeneration = next.generation;
        this.settledEnd = next.firstStart;
        this.settledIdentity = next.identity;
      }
      if (this.queueHead > 256 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
    }
  }

  /**
   * The position to record now, given the tailer's current generation and
   * file (it may have moved on before any line of the new one was read).
   */
  position(tailerGeneration?: number, tailerIdentity?: FileIdentity): FilePosition {
    let newestGeneration = this.lastGeneration;
    let newestIdentity = this.lastIdentity;
    if (tailerGeneration !== undefined && tailerGeneration > newestGeneration) {
      newestGeneration = tailerGeneration;
      newestIdentity = tailerIdentity;
    }
    if (this.settledGeneration === newestGeneration)
      return { offset: this.settledEnd, identity: this.settledIdentity ?? tailerIdentity };
    // Lines of an older generation are unsettled, or the tailer moved on before reading
    // a line of the new one: the current file from its start (see the file comment).
    return { offset: 0, identity: newestIdentity ?? this.settledIdentity };
  }

  /** The settled offset now, in the generation of the oldest unsettled line. */
  get settledOffset(): number {
    return this.settledEnd;
  }

  /** Lines read and not settled. */
  get unsettledLines(): number {
    let n = 0;
    for (let i = this.queueHead; i < this.queue.length; i++) n += this.queue[i]!.unsettled;
    return n;
  }

  /**
   * Bytes read and not yet safe: read offset − settled offset within one
   * generation; across generations, what is left of the older ones plus what
   * was read of the current one.
   */
  lag(readOffset: number, tailerGeneration: number): number {
    if (this.settledGeneration === tailerGeneration)
      return Math.max(0, readOffset - this.settledEnd);
    let olderReadEnd = this.settledEnd;
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const batch = this.queue[i]!;
      if (batch.generation !== this.settledGeneration) break;
      olderReadEnd = batch.ends[batch.count - 1]!;
    }
    return Math.max(0, olderReadEnd - this.settledEnd) + readOffset;
  }

  /** The file is no longer tailed: its unsettled lines no longer hold anything back. */
  close(): void {
    this.closed = true;
    for (let i = this.queueHead; i < this.queue.length; i++) this.ledger.finish(this.queue[i]!);
    this.queue = [];
    this.queueHead = 0;
    this.ledger.trim();
  }
}
