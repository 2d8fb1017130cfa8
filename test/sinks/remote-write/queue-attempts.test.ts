import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scrape, seriesTable, testQueue, token } from './helpers.js';
import { Receiver, until } from './receiver.js';

test('onAttempt hears every request, retries and metadata included, with how long the endpoint took', async (t) => {
  // Two 503s, then everything is taken; each answer comes after 40 ms.
  const receiver = new Receiver((r) => ({ status: r.index < 2 ? 503 : 200, delayMs: 40 }));
  await receiver.start();
  t.after(() => receiver.stop());
  const attempts: number[] = [];
  const { queue, progress } = testQueue(seriesTable(2), {
    url: receiver.url,
    onAttempt: (seconds) => attempts.push(seconds),
  });
  queue.enqueue(scrape(2, 5), token(1));
  await until(() => progress.length === 1, 'the batch sent');
  await queue.sendMetadata([{ family: 'm', type: 'counter', help: 'h', unit: '' }], 10);
  await queue.close();
  assert.equal(receiver.received.length, 4, 'two refused, the batch, the metadata');
  assert.equal(attempts.length, receiver.received.length);
  for (const seconds of attempts) assert.ok(seconds >= 0.035 && seconds < 5, `${seconds} s`);
});
