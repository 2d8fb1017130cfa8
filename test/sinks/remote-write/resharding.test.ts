import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampleBatch } from '../../../src/model/series.js';
import { scrape, seriesTable, testQueue, token, type TestQueue } from './helpers.js';
import { Receiver, until } from './receiver.js';

const SERIES = 200;

/**
 * A scraper and its WAL, as the agent will drive a queue: every tick a scrape
 * of `perTick` samples is appended (and reported with noteIncoming); the
 * backlog is fed to the queue oldest first whenever it has room.
 */
class Producer {
  private readonly backlog: { batch: SampleBatch; n: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTs = 0;
  private n = 0;
  private feeding = false;
  readonly produced = new Map<number, number[]>();
  private stopped = false;

  constructor(private readonly q: TestQueue) {}

  run(perTick: number, everyMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(perTick), everyMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  get backlogSize(): number {
    return this.backlog.length;
  }

  private tick(perTick: number): void {
    if (this.stopped) return;
    const ts = Math.max(Date.now(), this.lastTs + 1);
    this.lastTs = ts;
    this.backlog.push({ batch: scrape(perTick, ts), n: ++this.n });
    for (let id = 1; id <= perTick; id++) {
      const list = this.produced.get(id);
      if (list) list.push(ts);
      else this.produced.set(id, [ts]);
    }
    this.q.queue.noteIncoming(perTick, ts);
    void this.feed();
  }

  private async feed(): Promise<void> {
    if (this.feeding) return;
    this.feeding = true;
    while (this.backlog.length > 0) {
      const next = this.backlog[0]!;
      if (this.q.queue.enqueue(next.batch, token(next.n))) this.backlog.shift();
      else if (!(await this.q.queue.waitForRoom())) break;
    }
    this.feeding = false;
  }
}

describe('remote-write resharding', () => {
  const receivers: Receiver[] = [];
  after(async () => {
    for (const r of receivers) await r.stop();
  });

  test('a slow receiver makes the queue grow its shards, and it shrinks back when the load drops', async (t) => {
    // Every answer takes 20 ms: one shard sends at most 100 samples per 20 ms.
    const r = new Receiver(() => ({ status: 200, delayMs: 20 }));
    receivers.push(r);
    await r.start();
    const q = testQueue(seriesTable(SERIES), {
      url: r.url,
      shardUpdateIntervalMs: 100,
      queueConfig: {
        minShards: 1,
        maxShards: 8,
        capacity: 200,
        maxSamplesPerSend: 100,
        batchSendDeadlineMs: 50,
      },
    });
    const producer = new Producer(q);
    t.after(async () => {
      producer.stop();
      await q.queue.close();
    });

    // 20,000 samples/s incoming, about four times what one shard can send.
    producer.run(SERIES, 10);
    await until(() => q.queue.stats.shards > 1, 'the queue grows past one shard');
    await until(() => q.queue.stats.shards >= 3, 'the queue grows to a few shards');

    // 1,000 samples/s: one shard keeps up.
    producer.run(10, 10);
    await until(() => q.queue.stats.shards === 1, 'the queue shrinks back to one shard');

    producer.stop();
    await until(() => producer.backlogSize === 0, 'the backlog fed');
    const result = await q.queue.close({ drainMs: 30_000 });
    assert.deepEqual(result, { unsent: 0 });
    const reshards = q.logs.filter((l) => l.message === 'remote write resharding');
    assert.ok(reshards.some((l) => Number(l.fields['to']) >= 3 && Number(l.fields['desired']) > 2));
    assert.equal(reshards.at(-1)?.fields['to'], 1);

    // Nothing lost, nothing out of order, across every reshard.
    const accepted = r.accepted();
    for (const [id, timestamps] of producer.produced) {
      const got = accepted.get(`__name__=test_metric,job=test,series=${id - 1}`) ?? [];
      assert.deepEqual(got, timestamps, `series ${id}`);
    }
    const stats = q.queue.stats;
    assert.equal(stats.samplesPending, 0);
    assert.equal(stats.samplesFailed, 0);
    assert.equal(
      stats.samplesSent,
      [...producer.produced.values()].reduce((n, list) => n + list.length, 0),
    );
  });
});
