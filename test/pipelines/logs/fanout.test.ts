import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../../src/model/log-entry.js';
import { DirectFanout } from '../../../src/pipelines/logs/fanout.js';
import type { LogClient } from '../../../src/sinks/shared/log-client.js';

/** A client that holds what it is given until the test says it was sent. */
class HoldingClient implements LogClient<number> {
  readonly name = 'holding';
  readonly held: number[] = [];
  capacity = Infinity;
  private room: (() => void) | undefined;

  constructor(private readonly progress: (seq: number) => void) {}

  enqueue(_entries: readonly LogEntry[], token: number): boolean {
    if (this.held.length >= this.capacity) return false;
    this.held.push(token);
    return true;
  }

  waitForRoom(): Promise<unknown> {
    return new Promise<void>((resolve) => (this.room = resolve));
  }

  sendUpTo(token: number): void {
    while (this.held.length > 0 && this.held[0]! <= token) this.held.shift();
    this.progress(token);
    this.room?.();
  }

  close(): Promise<{ unsent: number }> {
    return Promise.resolve({ unsent: this.held.length });
  }
}

const entry: LogEntry = { labels: { job: 'a' }, line: 'x', timestampNs: 0n };

describe('the direct fan-out (no WAL)', () => {
  it('settles a chunk only once every client has sent it', async () => {
    const settled: string[] = [];
    const fanout = new DirectFanout(2, (origin) => settled.push(origin as string));
    const a = new HoldingClient(fanout.progressOf(0));
    const b = new HoldingClient(fanout.progressOf(1));
    fanout.attach([a, b]);
    await fanout.write([entry], ['line1']);
    await fanout.write([entry, entry], ['line2', 'line3']);
    a.sendUpTo(2);
    assert.deepEqual(settled, [], 'b has sent nothing yet');
    b.sendUpTo(1);
    assert.deepEqual(settled, ['line1']);
    b.sendUpTo(2);
    assert.deepEqual(settled, ['line1', 'line2', 'line3']);
  });

  it('settles lines whose entries were all dropped by stages at once, and waits for room', async () => {
    const settled: unknown[] = [];
    const fanout = new DirectFanout(1, (origin) => settled.push(origin));
    const a = new HoldingClient(fanout.progressOf(0));
    fanout.attach([a]);
    await fanout.write([], ['dropped']);
    assert.deepEqual(settled, ['dropped']);
    a.capacity = 1;
    await fanout.write([entry], ['l1']);
    let done = false;
    const blocked = fanout.write([entry], ['l2']).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'a full client holds the writer back');
    a.sendUpTo(1);
    await blocked;
    assert.deepEqual(a.held, [2]);
    assert.deepEqual(settled, ['dropped', 'l1']);
  });

  it('stopWaiting ends a wait for a full client at once, and leaves that chunk unsettled', async () => {
    const settled: unknown[] = [];
    const fanout = new DirectFanout(2, (origin) => settled.push(origin));
    const a = new HoldingClient(fanout.progressOf(0));
    const b = new HoldingClient(fanout.progressOf(1));
    fanout.attach([a, b]);
    b.capacity = 0;
    let done = false;
    const blocked = fanout.write([entry], ['l1']).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'a full client holds the writer back');
    fanout.stopWaiting();
    await blocked;
    await fanout.write([entry], ['l2']);
    a.sendUpTo(2);
    assert.deepEqual(settled, [], 'b never took them: read again after a restart');
    assert.deepEqual(a.held, []);
  });
});
