/**
 * A remote_write destination fed from the metrics WAL: the generic Delivery
 * over sample records, plus what only samples need — the queue hears of every
 * batch (for its shard tuning) and of series forgotten for good.
 */
import { Delivery } from '../../buffer/delivery.js';
import type { LogCallback } from '../../log.js';
import type { WalPosition, WalRecordKinds, WalWriter } from '../../buffer/wal/index.js';
import type { SampleBatch } from '../../model/series.js';
import type { RemoteWriteQueue } from '../../sinks/remote-write/index.js';
import { SAMPLES_RECORD } from './records/samples.js';
import type { SampleConsumer } from './storage.js';

export interface SampleDeliveryOptions {
  readonly name: string;
  readonly queue: RemoteWriteQueue<WalPosition>;
  readonly walDir: string;
  readonly wal: WalWriter;
  readonly kinds: WalRecordKinds;
  readonly log: LogCallback;
}

export class SampleDelivery implements SampleConsumer {
  private readonly delivery: Delivery<SampleBatch>;

  constructor(private readonly o: SampleDeliveryOptions) {
    this.delivery = new Delivery({
      name: `remote_write ${o.name}`,
      kind: SAMPLES_RECORD,
      kinds: o.kinds,
      queue: o.queue,
      walDir: o.walDir,
      wal: o.wal,
      count: (batch) => batch.count,
      log: o.log,
    });
  }

  get name(): string {
    return this.o.name;
  }

  /** Samples read back from the WAL and enqueued (after a restart, some may be sent twice). */
  get walReadSamples(): number {
    return this.delivery.walReadItems;
  }

  offer(batch: SampleBatch, end: WalPosition, highestMs: number): void {
    this.o.queue.noteIncoming(batch.count, highestMs);
    this.delivery.offer(batch, end);
  }

  forget(ids: readonly number[]): void {
    for (const id of ids) this.o.queue.forgetSeries(id);
  }

  start(from: WalPosition | undefined): void {
    this.delivery.start(from);
  }

  close(drainMs: number): Promise<number> {
    return this.delivery.close(drainMs);
  }
}
