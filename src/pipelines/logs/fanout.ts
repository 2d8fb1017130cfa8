/**
 * Where a logs pipeline's processed entries go: to every client, with each
 * chunk's origins (the lines' places in their files) settled once the chunk
 * is safe — in the logs WAL, or, without one, sent (or dropped for good) by
 * every client. Until then positions stay behind it, so a crash re-sends at
 * most the unacknowledged tail and never skips a line.
 */
import type { LogEntry } from '../../model/log-entry.js';
import type { LogClient } from '../../sinks/shared/log-client.js';

export interface EntrySink {
  /**
   * Resolves once the chunk was taken (back-pressure: the tailers wait
   * meanwhile), or, after stopWaiting(), at once when it cannot be taken —
   * unsettled, so its lines are read again after a restart.
   */
  write(entries: readonly LogEntry[], origins: readonly unknown[]): Promise<void>;
  /**
   * Ends every wait for room (or for a writable disk), now and later: a stop
   * or reload first stops the tailers, which finish the chunk they are
   * handing over, and a destination that is down or refusing (a full buffer)
   * must not make that wait forever.
   */
  stopWaiting(): void;
  /** Stops taking chunks; clients send what they hold for up to drainMs. Resolves with entries left unsent. */
  close(drainMs: number): Promise<number>;
}

/** Without a WAL: every client gets each chunk from memory; a chunk settles when all have finished it. */
export class DirectFanout implements EntrySink {
  private seq = 0;
  /** Chunks not yet finished by every client, oldest first. */
  private readonly pending: { seq: number; origins: readonly unknown[] }[] = [];
  private readonly passed: number[];
  private clients: readonly LogClient<number>[] = [];
  private waiting = true;
  private wake: () => void = () => undefined;
  private readonly released = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    clientCount: number,
    private readonly settle: (origin: unknown) => void,
  ) {
    this.passed = new Array<number>(clientCount).fill(0);
  }

  /** Set once the clients exist (each was built with `progressOf(i)`). */
  attach(clients: readonly LogClient<number>[]): void {
    this.clients = clients;
  }

  /** The progress callback of client `i`. */
  progressOf(i: number): (seq: number) => void {
    return (seq) => {
      if (seq <= this.passed[i]!) return;
      this.passed[i] = seq;
      const all = Math.min(...this.passed);
      while (this.pending.length > 0 && this.pending[0]!.seq <= all)
        for (const origin of this.pending.shift()!.origins) this.settle(origin);
    };
  }

  async write(entries: readonly LogEntry[], origins: readonly unknown[]): Promise<void> {
    if (entries.length === 0) {
      for (const origin of origins) this.settle(origin);
      return;
    }
    const seq = ++this.seq;
    this.pending.push({ seq, origins });
    // A chunk some client did not take never settles (that client never passes its seq).
    for (const client of this.clients)
      while (!client.enqueue(entries, seq)) {
        if (!this.waiting) return;
        await Promise.race([client.waitForRoom(), this.released]);
      }
  }

  stopWaiting(): void {
    this.waiting = false;
    this.wake();
  }

  async close(drainMs: number): Promise<number> {
    const results = await Promise.all(this.clients.map((c) => c.close({ drainMs })));
    return results.reduce((sum, r) => sum + r.unsent, 0);
  }
}
