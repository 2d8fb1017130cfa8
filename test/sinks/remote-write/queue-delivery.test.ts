import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SIGNET_VERSION } from '../../../src/version.js';
import { batchOf, scrape, seriesTable, testQueue, token } from './helpers.js';
import { Receiver, until } from './receiver.js';

const STALE_HEX = '020000000000f07f';

describe('remote-write queue delivery', () => {
  const receivers: Receiver[] = [];
  const receiver = async (r = new Receiver()) => {
    await r.start();
    receivers.push(r);
    return r;
  };
  after(async () => {
    for (const r of receivers) await r.stop();
  });

  test('sends the protocol headers, auth and custom headers; values arrive bit for bit', async () => {
    const r = await receiver();
    const table = seriesTable(3);
    const { queue, progress } = testQueue(table, {
      url: r.url,
      basicAuth: { username: 'alice', password: 's3cret:x' },
      headers: { 'X-Scope-OrgID': 'tenant-1' },
    });
    assert.equal(
      queue.enqueue(
        batchOf([
          [1, 1000, 1.5],
          [2, 1000, 'stale'],
          [3, 1000, NaN],
        ]),
        token(1),
      ),
      true,
    );
    await until(() => progress.length === 1, 'progress to token 1');
    assert.deepEqual(progress, [token(1)]);
    const [request] = r.received;
    assert.ok(request);
    assert.equal(request.headers['content-encoding'], 'snappy');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers['x-prometheus-remote-write-version'], '0.1.0');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(SIGNET_VERSION, pkg.version);
    assert.equal(request.headers['user-agent'], `Signet/${pkg.version}`);
    assert.equal(
      request.headers['authorization'],
      `Basic ${Buffer.from('alice:s3cret:x').toString('base64')}`,
    );
    assert.equal(request.headers['x-scope-orgid'], 'tenant-1');
    assert.equal(request.rawValues[1], STALE_HEX);
    assert.equal(request.rawValues[0], Buffer.from(new Float64Array([1.5]).buffer).toString('hex'));
    assert.deepEqual(request.series[0]!.labels, [
      { name: '__name__', value: 'test_metric' },
      { name: 'job', value: 'test' },
      { name: 'series', value: '0' },
    ]);
    const stats = queue.stats;
    assert.equal(stats.samplesSent, 3);
    assert.equal(stats.samplesPending, 0);
    assert.equal(stats.highestSentTimestampMs, 1000);
    assert.equal(stats.requests, 1);
    assert.ok(stats.bytesSent > 0);
    await queue.close();
  });

  test('a bearer token is sent as such', async () => {
    const r = await receiver();
    const { queue, progress } = testQueue(seriesTable(1), { url: r.url, bearerToken: 'tok-123' });
    queue.enqueue(scrape(1, 5), token(1));
    await until(() => progress.length === 1, 'progress');
    assert.equal(r.received[0]!.headers['authorization'], 'Bearer tok-123');
    await queue.close();
  });

  test('a huge batch is split into requests of max_samples_per_send, in order per series', async () => {
    const r = await receiver();
    const table = seriesTable(1000);
    const { queue, progress } = testQueue(table, {
      url: r.url,
      queueConfig: { maxSamplesPerSend: 500, minShards: 1, maxShards: 1 },
    });
    const specs: [number, number, number][] = [];
    for (let t = 0; t < 10; t++) for (let id = 1; id <= 1000; id++) specs.push([id, 1000 + t, t]);
    assert.equal(queue.enqueue(batchOf(specs), token(7)), true);
    await until(() => progress.length === 1, 'all sent');
    assert.ok(r.received.length >= 20);
    for (const request of r.received) assert.ok(request.samples <= 500, `${request.samples}`);
    assert.equal(
      r.received.reduce((n, request) => n + request.samples, 0),
      10_000,
    );
    for (const timestamps of r.accepted().values()) {
      assert.deepEqual(timestamps, [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
    }
    await queue.close();
  });

  test('series dropped by write relabeling are counted, never sent, and do not hold progress', async () => {
    const r = await receiver();
    const table = seriesTable(4);
    const { queue, progress } = testQueue(table, {
      url: r.url,
      series: (id) => (id % 2 === 0 ? undefined : table.get(id)?.labels),
    });
    queue.enqueue(scrape(4, 100), token(1));
    queue.enqueue(batchOf([[2, 200, 1]]), token(2));
    await until(() => progress.at(-1)?.offset === 2, 'progress over both');
    assert.deepEqual([...r.accepted().keys()].sort(), [
      '__name__=test_metric,job=test,series=0',
      '__name__=test_metric,job=test,series=2',
    ]);
    assert.equal(queue.stats.samplesDropped, 3);
    assert.equal(queue.stats.samplesSent, 2);
    await queue.close();
  });

  test('partial batches wait for the deadline; close sends them at once and then refuses', async () => {
    const r = await receiver();
    const { queue, progress } = testQueue(seriesTable(5), {
      url: r.url,
      queueConfig: { batchSendDeadlineMs: 600_000 },
    });
    queue.enqueue(scrape(5, 1), token(1));
    queue.enqueue(scrape(5, 2), token(2));
    assert.equal(r.received.length, 0);
    const result = await queue.close({ drainMs: 30_000 });
    assert.deepEqual(result, { unsent: 0 });
    assert.deepEqual(progress.at(-1), token(2));
    assert.equal(queue.enqueue(scrape(5, 3), token(3)), false);
    assert.equal(queue.hasRoom, false);
    assert.equal(
      r.received.reduce((n, request) => n + request.samples, 0),
      10,
    );
  });

  test('close gives up after drainMs when the endpoint keeps failing, reporting no progress', async () => {
    const r = await receiver(new Receiver(() => ({ status: 503 })));
    const { queue, progress } = testQueue(seriesTable(5), { url: r.url });
    queue.enqueue(scrape(5, 1), token(1));
    await until(() => queue.stats.requestsFailed >= 2, 'a few failed attempts');
    const result = await queue.close({ drainMs: 20 });
    assert.deepEqual(result, { unsent: 5 });
    assert.deepEqual(progress, []);
    assert.equal(queue.stats.samplesSent, 0);
    assert.equal(queue.stats.samplesFailed, 0);
  });

  test('the caller may reuse a batch after enqueue: it is copied', async () => {
    const r = await receiver();
    const { queue, progress } = testQueue(seriesTable(2), {
      url: r.url,
      queueConfig: { batchSendDeadlineMs: 600_000 },
    });
    const batch = batchOf([
      [1, 10, 1],
      [2, 10, 2],
    ]);
    queue.enqueue(batch, token(1));
    batch.values.fill(99);
    batch.timestamps.fill(99);
    await queue.close({ drainMs: 30_000 });
    assert.equal(progress.length, 1);
    assert.deepEqual(
      r.received.flatMap((request) => request.series.flatMap((s) => s.samples)),
      [
        { value: 1, timestamp: 10 },
        { value: 2, timestamp: 10 },
      ],
    );
  });
});
