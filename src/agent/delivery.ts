/**
 * Feeds one remote_write queue. Live, it takes each batch straight from the
 * scrape (already in the WAL); when the queue is full, or after a restart, it
 * reads the WAL from where the endpoint stopped instead, and goes live again
 * once it has caught up. Nothing in the WAL is skipped either way.
 */
import { readWal, type WalPosition, type WalWriter } from '../buffer/wal/index.js';
import type { SampleBatch } from '../model/series.js';
import type { RemoteWriteQueue } from '../sinks/remote-write/index.js';
import type { SampleConsumer } from './storage.js';

export interface DeliveryOptions {
  readonly name: string;
  readonly queue: RemoteWriteQueue<WalPosition>;
  readonly walDir: string;
  readonly wal: WalWriter;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class Delivery implements SampleConsumer {
  private live = false;
  private offeredDuringPass = 0;
  private catchingUp: Promise<void> | undefined;
  private closed = false;
  /** Position after the last batch the queue accepted. */
  private lastEnd: WalPosition | undefined;
  /** Samples read back from the WAL and enqueued (after a restart, some may be sent twice). */
  walReadSamples = 0;

  constructor(private readonly o: DeliveryOptions) {}

  get name(): string {
    return this.o.name;
  }

  offer(batch: SampleBatch, end: WalPosition, highestMs: number): void {
    this.o.queue.noteIncoming(batch.count, highestMs);
    if (!this.live) {
      this.offeredDuringPass++;
      return;
    }
    if (this.o.queue.enqueue(batch, end)) {
      this.lastEnd = end;
      return;
    }
    // Full: everything from this batch on is read back from the WAL instead.
    this.live = false;
    this.o.log(
      'warn',
      `remote_write ${this.o.name} is behind; reading from the WAL until it catches up`,
    );
    this.startCatchUp(this.lastEnd);
  }

  forget(ids: readonly number[]): void {
    for (const id of ids) this.o.queue.forgetSeries(id);
  }

  /** Starts from `from` (undefined: the beginning of the WAL). */
  start(from: WalPosition | undefined): void {
    this.lastEnd = from;
    this.startCatchUp(from);
  }

  private startCatchUp(from: WalPosition | undefined): void {
    this.catchingUp = this.catchUp(from).catch((error: unknown) => {
      this.o.log(
        'error',
        `remote_write ${this.o.name}: reading the WAL failed: ${String(error)}; retrying`,
      );
      if (!this.closed) setTimeout(() => this.startCatchUp(this.lastEnd), 1000).unref();
    });
  }

  private async catchUp(from: WalPosition | undefined): Promise<void> {
    let position = from;
    for (;;) {
      this.offeredDuringPass = 0;
      let read = 0;
      for await (const entry of readWal(this.o.walDir, position, { onLog: this.o.log })) {
        if (this.closed) return;
        position = entry.end;
        if (entry.record.kind !== 'samples') continue;
        const batch = entry.record.batch;
        while (!this.o.queue.enqueue(batch, entry.end)) {
          await this.o.queue.waitForRoom();
          if (this.closed) return;
        }
        this.lastEnd = entry.end;
        this.walReadSamples += batch.count;
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
