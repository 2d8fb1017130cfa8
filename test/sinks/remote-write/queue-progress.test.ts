import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOf, idOf, scrape, seriesTable, testQueue, token } from './helpers.js';
import { Receiver, until, type Answer } from './receiver.js';

/** Answers held until the test lets them go. */
class Gate {
  private waiting: (() => void)[] = [];
  held = 0;
  hold(answer: Answer): Promise<Answer> {
    this.held++;
    return new Promise((resolve) => this.waiting.push(() => resolve(answer)));
  }
  release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const go of waiting) go();
  }
}

describe('remote-write queue progress and capacity', () => {
  const receivers: Receiver[] = [];
  after(async () => {
    for (const r of receivers) await r.stop();
  });

  test('progress waits for the slowest shard: out-of-order completion never skips unsent data', async () => {
    const gate = new Gate();
    // Series 1 is in shard 1 of 2 (id % 2), series 2 in shard 0; shard 1's answers are held.
    const r = new Receiver((request) =>
      request.series.some((s) => idOf(s.labels) === 1)
        ? gate.hold({ status: 200 })
        : { status: 200 },
    );
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(2), {
      url: r.url,
      queueConfig: { minShards: 2, maxShards: 2, maxSamplesPerSend: 1 },
    });
    queue.enqueue(
      batchOf([
        [1, 100, 1],
        [2, 100, 2],
      ]),
      token(1),
    );
    queue.enqueue(batchOf([[2, 200, 3]]), token(2));
    queue.enqueue(batchOf([[2, 300, 4]]), token(3));
    await until(() => queue.stats.samplesSent === 3, "shard 0's three samples sent");
    assert.equal(gate.held, 1);
    assert.equal(progress.length, 0, 'token 1 is not finished, so nothing after it is reported');
    queue.enqueue(batchOf([[1, 400, 5]]), token(4));
    gate.release();
    await until(() => queue.stats.samplesSent === 4, "shard 1's first sample sent");
    await until(() => progress.length === 1, 'progress after the held answer');
    assert.deepEqual(
      progress,
      [token(3)],
      'straight to the newest finished token, not past token 4',
    );
    await until(() => gate.held === 2, "shard 1's second request arrived");
    gate.release();
    await until(() => progress.length === 2, 'progress to token 4');
    assert.deepEqual(progress[1], token(4));
    await queue.close();
  });

  test('a full queue refuses whole batches and says when it has room again', async () => {
    const gate = new Gate();
    const r = new Receiver(() => gate.hold({ status: 200 }));
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(100), {
      url: r.url,
      queueConfig: { capacity: 100, minShards: 1, maxShards: 1, maxSamplesPerSend: 100 },
    });
    assert.equal(queue.hasRoom, true);
    assert.equal(queue.enqueue(scrape(100, 1), token(1)), true);
    assert.equal(queue.hasRoom, false);
    assert.equal(queue.enqueue(scrape(100, 2), token(2)), false, 'over capacity');
    assert.equal(queue.stats.samplesRefused, 100);
    let roomy = false;
    const room = queue.waitForRoom().then((hasRoom) => {
      roomy = hasRoom;
    });
    await until(() => gate.held === 1, 'the first batch in flight');
    assert.equal(roomy, false);
    gate.release();
    await room;
    assert.equal(roomy, true);
    assert.equal(queue.hasRoom, true);
    assert.deepEqual(progress, [token(1)]);
    // The caller re-feeds the refused batch (from its WAL); it is accepted now.
    assert.equal(queue.enqueue(scrape(100, 2), token(2)), true);
    await until(() => gate.held === 2, 'the second batch in flight');
    gate.release();
    await until(() => progress.length === 2, 'progress to token 2');
    assert.equal(queue.stats.samplesSent, 200);
    await queue.close();
  });

  test('a batch larger than the capacity is still accepted by an empty queue', async () => {
    const r = new Receiver();
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(300), {
      url: r.url,
      queueConfig: { capacity: 10, minShards: 1, maxShards: 1 },
    });
    assert.equal(queue.enqueue(scrape(300, 1), token(1)), true);
    await until(() => progress.length === 1, 'sent');
    assert.equal(queue.stats.samplesSent, 300);
    await queue.close();
  });

  test('tokens that go backwards (re-fed WAL data) never move progress back', async () => {
    const r = new Receiver();
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(1), { url: r.url });
    queue.enqueue(scrape(1, 1), token(5));
    await until(() => progress.length === 1, 'first');
    queue.enqueue(scrape(1, 2), token(3));
    queue.enqueue(scrape(1, 3), token(6));
    await until(() => queue.stats.samplesSent === 3, 'all sent');
    await until(() => progress.length === 2, 'second report');
    assert.deepEqual(progress, [token(5), token(6)]);
    await queue.close();
  });

  test('waitForRoom resolves with false when the queue closes', async () => {
    const gate = new Gate();
    const r = new Receiver(() => gate.hold({ status: 200 }));
    receivers.push(r);
    await r.start();
    const { queue } = testQueue(seriesTable(10), {
      url: r.url,
      queueConfig: { capacity: 5, minShards: 1, maxShards: 1 },
    });
    queue.enqueue(scrape(10, 1), token(1));
    const room = queue.waitForRoom();
    const closed = queue.close({ drainMs: 0 });
    assert.equal(await room, false);
    assert.deepEqual(await closed, { unsent: 10 });
    gate.release();
  });
});
