/**
 * With `wal_config`: entries are appended to the logs WAL before any client
 * sees them, and settled (their positions may move) as soon as the append
 * returns. Each client reads at its own pace through a Delivery — live, or
 * from the WAL when it falls behind or after a restart — and its progress is
 * saved beside the segments, which are deleted once every client has sent
 * them. This is the metrics WAL's machinery with a log-entry record kind.
 */
import { Delivery } from '../../buffer/delivery.js';
import {
  comparePositions,
  WalProgress,
  WalRecordKinds,
  WalWriteError,
  WalWriter,
  type WalPosition,
} from '../../buffer/wal/index.js';
import type { LogCallback } from '../../log.js';
import type { LogEntry } from '../../model/log-entry.js';
import type { LogClient, LogClientProgress } from '../../sinks/shared/log-client.js';
import { RecordBuilder as RecordBuilderClass } from '../../buffer/wal/index.js';
import type { EntrySink } from './fanout.js';
import { LOG_ENTRIES_RECORD, LogEntryTooLargeError } from './records/log-entries.js';

export const LOGS_RECORDS = new WalRecordKinds([LOG_ENTRIES_RECORD]);

/** How long an append that failed (a full disk) waits before it is tried again. */
const APPEND_RETRY_MS = 1000;

export interface WalFanoutOptions {
  readonly dir: string;
  readonly segmentBytes?: number | undefined;
  readonly log: LogCallback;
  readonly settle: (origin: unknown) => void;
  /** An entry too large for any record: dropped and counted by the caller. */
  readonly onTooLarge: (entry: LogEntry) => void;
}

export class WalFanout implements EntrySink {
  private readonly deliveries: Delivery<readonly LogEntry[]>[] = [];
  private names: string[] = [];
  private failing = false;
  private closed = false;
  private waiting = true;
  appendFailures = 0;

  private constructor(
    private readonly o: WalFanoutOptions,
    readonly wal: WalWriter,
    readonly progress: WalProgress,
  ) {}

  static async open(o: WalFanoutOptions): Promise<WalFanout> {
    const wal = await WalWriter.open({
      dir: o.dir,
      onLog: o.log,
      ...(o.segmentBytes ? { segmentBytes: o.segmentBytes } : {}),
    });
    return new WalFanout(o, wal, WalProgress.open(o.dir, { onLog: o.log }));
  }

  /** The progress a client named `name` must report through. */
  progressFor(name: string): LogClientProgress<WalPosition> {
    return { compare: comparePositions, onProgress: (pos) => this.progress.set(name, pos) };
  }

  /** Starts feeding `client` from where it stopped last time (the WAL's start if never). */
  attach(name: string, client: LogClient<WalPosition>): void {
    const delivery = new Delivery<readonly LogEntry[]>({
      name: `client ${name}`,
      kind: LOG_ENTRIES_RECORD,
      kinds: LOGS_RECORDS,
      queue: client,
      walDir: this.o.dir,
      wal: this.wal,
      count: (entries) => entries.length,
      log: this.o.log,
    });
    this.deliveries.push(delivery);
    this.names.push(name);
    delivery.start(this.progress.get(name));
  }

  async write(entries: readonly LogEntry[], origins: readonly unknown[]): Promise<void> {
    let end: WalPosition | undefined;
    while (end === undefined) {
      try {
        end = this.wal.append(LOG_ENTRIES_RECORD, entries);
      } catch (error) {
        if (error instanceof LogEntryTooLargeError) {
          entries = this.withoutTooLarge(entries);
          continue;
        }
        if (!(error instanceof WalWriteError) || this.closed) throw error;
        // Stopping: the lines stay unsettled and are read again after a restart.
        if (!this.waiting) return;
        // Hold the lines (the tailers wait, positions stay) until the disk takes them again.
        this.appendFailures++;
        if (!this.failing)
          this.o.log(
            'error',
            `cannot write the logs WAL: ${error.toUserString()}; reading stops until it can be written`,
          );
        this.failing = true;
        await new Promise((resolve) => setTimeout(resolve, APPEND_RETRY_MS));
      }
    }
    if (this.failing) {
      this.failing = false;
      this.o.log('info', 'the logs WAL is writable again; reading goes on');
    }
    for (const origin of origins) this.o.settle(origin);
    for (const delivery of this.deliveries) delivery.offer(entries, end);
  }

  stopWaiting(): void {
    this.waiting = false;
  }

  private withoutTooLarge(entries: readonly LogEntry[]): LogEntry[] {
    const kept: LogEntry[] = [];
    for (const entry of entries) {
      try {
        LOG_ENTRIES_RECORD.encode(this.scratch(), [entry], 0);
        kept.push(entry);
      } catch (error) {
        if (!(error instanceof LogEntryTooLargeError)) throw error;
        this.o.onTooLarge(entry);
      }
    }
    return kept;
  }

  private scratchBuilder: RecordBuilderClass | undefined;
  private scratch(): RecordBuilderClass {
    this.scratchBuilder?.reset();
    return (this.scratchBuilder ??= new RecordBuilderClass());
  }

  /** Deletes the segments every client has sent. */
  truncate(): number {
    const positions = this.names.map((n) => this.progress.get(n));
    if (positions.length === 0 || positions.some((p) => p === undefined)) return 0;
    const upTo = (positions as WalPosition[]).reduce((a, b) =>
      comparePositions(a, b) <= 0 ? a : b,
    );
    return this.wal.truncateBefore({ segment: upTo.segment, offset: 0 }).length;
  }

  async close(drainMs: number): Promise<number> {
    this.closed = true;
    const unsent = await Promise.all(this.deliveries.map((d) => d.close(drainMs)));
    try {
      this.progress.flush();
    } catch (error) {
      if (!(error instanceof WalWriteError)) throw error;
      this.o.log(
        'warn',
        `${error.message}; after a restart clients resend from the last saved position`,
      );
    }
    await this.wal.close();
    return unsent.reduce((a, b) => a + b, 0);
  }
}
