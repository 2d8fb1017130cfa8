/**
 * Feeds one destination from a WAL, for any record kind. Live, it takes each
 * record straight from the source (already in the WAL); when the
 * destination's queue is full, or after a restart, it reads the WAL from where
 * the destination stopped instead, and goes live again once it has caught up.
 * Nothing in the WAL is skipped either way: this is Prometheus's WAL watcher
 * and queue manager hand-off, written once for every pipeline.
 */
import type { LogCallback } from '../log.js';
import {
  readWal,
  recordOf,
  type WalPosition,
  type WalRecordKind,
  type WalRecordKinds,
  type WalWriter,
} from './wal/index.js';

/** A destination's in-memory queue, as a delivery sees it. */
export interface DeliveryQueue<T> {
  /** Takes the value, or answers false when full (the delivery then reads the WAL). */
  enqueue(value: T, end: WalPosition): boolean;
  /** Resolves once enqueue may succeed again (or the queue is closing). */
  waitForRoom(): Promise<unknown>;
  /** Stops taking values and sends what it holds for up to drainMs; resolves with what it could not send. */
  close(options: { drainMs: number }): Promise<{ unsent: number }>;
}

export interface DeliveryOptions<T> {
  /** The destination's name, for messages and its progress entry. */
  readonly name: string;
  /** The records this destination sends; the WAL's other records are passed over. */
  readonly kind: WalRecordKind<T>;
  /** Every kind the WAL holds, to read it back. */
  readonly kinds: WalRecordKinds;
  readonly queue: DeliveryQueue<T>;
  readonly walDir: string;
  readonly wal: WalWriter;
  /** Items in a value (samples in a batch, lines in a chunk), for walReadItems. */
  readonly count: (value: T) => number;
  readonly log: LogCallback;
}

export class Delivery<T> {
  private live = false;
  private offeredDuringPass = 0;
  private catchingUp: Promise<void> | undefined;
  private closed = false;
  /** Position after the last value the queue accepted. */
  private lastEnd: WalPosition | undefined;
  /** Items read back from the WAL and enqueued (after a restart, some may be sent twice). */
  walReadItems = 0;

  constructor(private readonly o: DeliveryOptions<T>) {}

  get name(): string {
    return this.o.name;
  }

  /** A value just appended to the WAL, ending at `end`. */
  offer(value: T, end: WalPosition): void {
    if (!this.live) {
      this.offeredDuringPass++;
      return;
    }
    if (this.o.queue.enqueue(value, end)) {
      this.lastEnd = end;
      return;
    }
    // Full: everything from this value on is read back from the WAL instead.
    this.live = false;
    this.o.log('warn', `${this.o.name} is behind; reading from the WAL until it catches up`);
    this.startCatchUp(this.lastEnd);
  }

  /** Starts from `from` (undefined: the beginning of the WAL). */
  start(from: WalPosition | undefined): void {
    this.lastEnd = from;
    this.startCatchUp(from);
  }

  private startCatchUp(from: WalPosition | undefined): void {
    this.catchingUp = this.catchUp(from).catch((error: unknown) => {
      this.o.log('error', `${this.o.name}: reading the WAL failed: ${String(error)}; retrying`);
      if (!this.closed) setTimeout(() => this.startCatchUp(this.lastEnd), 1000).unref();
    });
  }

  private async catchUp(from: WalPosition | undefined): Promise<void> {
    let position = from;
    const { kind, kinds, queue } = this.o;
    for (;;) {
      this.offeredDuringPass = 0;
      let read = 0;
      for await (const entry of readWal(this.o.walDir, position, { kinds, onLog: this.o.log })) {
        if (this.closed) return;
        position = entry.end;
        const value = recordOf(entry.record, kind);
        if (value === undefined) continue;
        while (!queue.enqueue(value, entry.end)) {
          await queue.waitForRoom();
          if (this.closed) return;
        }
        this.lastEnd = entry.end;
        this.walReadItems += this.o.count(value);
        read++;
      }
      // Every append is written before it is offered, so a pass that found
      // nothing while nothing was offered has reached the head: go live.
      if (read === 0 && this.offeredDuringPass === 0) {
        this.live = true;
        this.lastEnd = this.o.wal.head;
        return;
      }
    }
  }

  async close(drainMs: number): Promise<number> {
    this.closed = true;
    const result = await this.o.queue.close({ drainMs });
    await this.catchingUp;
    return result.unsent;
  }
}
