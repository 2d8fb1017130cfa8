import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchOf,
  idOf,
  scrape,
  seriesTable,
  testQueue,
  token,
  type SampleSpec,
} from './helpers.js';
import { Receiver, until, type Answer } from './receiver.js';

describe('remote-write queue failures', () => {
  const receivers: Receiver[] = [];
  after(async () => {
    for (const r of receivers) await r.stop();
  });

  test('refused connections, then 503s, then 429s for several backoffs, then 200: all delivered, in order', async () => {
    const r = new Receiver();
    receivers.push(r);
    await r.start();
    await r.stop(); // the port is known and nothing listens on it
    const seriesCount = 40;
    const table = seriesTable(seriesCount);
    const { queue, progress, logs } = testQueue(table, {
      url: r.url,
      queueConfig: { minShards: 4, maxShards: 4, maxSamplesPerSend: 50 },
    });
    const batches = 20;
    const sent = new Map<number, number[]>();
    for (let b = 0; b < batches; b++) {
      const specs: SampleSpec[] = [];
      // Each batch: 30 samples over a rotating subset of series, later timestamps each time.
      for (let k = 0; k < 30; k++) {
        const id = 1 + ((b * 7 + k) % seriesCount);
        specs.push([id, 1_000_000 + b * 1000 + k, b * 100 + k]);
        sent.set(id, [...(sent.get(id) ?? []), 1_000_000 + b * 1000 + k]);
      }
      assert.equal(queue.enqueue(batchOf(specs), token(b + 1)), true);
    }
    await until(() => queue.stats.requestsFailed >= 3, 'connections refused a few times');
    assert.equal(r.received.length, 0);
    assert.equal(progress.length, 0);

    let answered = 0;
    r.script = (): Answer => {
      answered++;
      if (answered <= 3) return { status: 503, body: 'ingester unavailable' };
      if (answered <= 12) return { status: 429, body: 'rate limited' };
      return { status: 200 };
    };
    await r.start();
    await until(() => progress.at(-1)?.offset === batches % 100, 'progress to the last batch');

    const accepted = r.accepted();
    for (const [id, timestamps] of sent) {
      const got = accepted.get(`__name__=test_metric,job=test,series=${id - 1}`) ?? [];
      // At least once, in order: a retried request may have been stored before its answer was lost.
      assert.deepEqual([...new Set(got)], timestamps, `series ${id}`);
      for (let i = 1; i < got.length; i++) assert.ok(got[i]! >= got[i - 1]!, `order of ${id}`);
    }
    const stats = queue.stats;
    assert.equal(stats.samplesSent, batches * 30);
    assert.equal(stats.samplesFailed, 0);
    assert.equal(stats.samplesPending, 0);
    assert.ok(stats.samplesRetried > 0);
    assert.ok(r.received.filter((x) => x.status === 429).length === 9);
    // Each distinct failure is logged once, however many retries it caused.
    const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
    assert.equal(warnings.filter((m) => m.includes('Could not reach')).length, 1);
    assert.equal(warnings.filter((m) => m.includes('HTTP 503')).length, 1);
    assert.equal(warnings.filter((m) => m.includes('HTTP 429')).length, 1);
    assert.equal(warnings.length, 3);
    await queue.close();
  });

  test('a 400 on batches too small to split drops them, counts them by reason, logs the hint once, and progress moves on', async () => {
    const r = new Receiver(() => ({ status: 400, body: 'out of order sample\nsecond line' }));
    receivers.push(r);
    await r.start();
    const { queue, progress, logs } = testQueue(seriesTable(10), {
      url: r.url,
      queueConfig: { maxSamplesPerSend: 10 },
    });
    for (let b = 1; b <= 5; b++) queue.enqueue(scrape(10, b), token(b));
    await until(() => progress.at(-1)?.offset === 5, 'progress over the dropped batches');
    assert.equal(queue.stats.samplesFailed, 50);
    assert.deepEqual(queue.stats.samplesFailedByReason, { 'out-of-order': 50 });
    assert.equal(queue.stats.blocked, undefined);
    assert.equal(queue.stats.samplesSent, 0);
    assert.equal(queue.stats.samplesRetried, 0);
    assert.equal(r.received.length, 5, 'never resent');
    const errors = logs.filter((l) => l.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /HTTP 400: out of order sample$/);
    assert.match(String(errors[0]!.fields['hint']), /dropped/);
    await queue.close();
  });

  test('with retry_on_http_429 off, a 429 drops the batch as Prometheus 2.42 does by default', async () => {
    const r = new Receiver(() => ({ status: 429 }));
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(3), {
      url: r.url,
      queueConfig: { retryOnHttp429: false },
    });
    queue.enqueue(scrape(3, 1), token(1));
    await until(() => progress.length === 1, 'progress');
    assert.equal(queue.stats.samplesFailed, 3);
    assert.equal(r.received.length, 1);
    await queue.close();
  });

  test('Retry-After replaces the backoff', async () => {
    let answered = 0;
    const r = new Receiver(() =>
      ++answered === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    receivers.push(r);
    await r.start();
    const { queue, progress } = testQueue(seriesTable(2), {
      url: r.url,
      // A ten-minute backoff would outlast the wait below: only Retry-After (1 s) can bring the retry.
      queueConfig: { minBackoffMs: 600_000, maxBackoffMs: 600_000 },
    });
    queue.enqueue(scrape(2, 1), token(1));
    await until(() => progress.length === 1, 'sent after the retry');
    assert.equal(queue.stats.samplesRetried, 2);
    assert.deepEqual(
      r.received.map((x) => x.status),
      [503, 200],
    );
    assert.deepEqual(
      r.received[1]!.series.map((s) => idOf(s.labels)),
      [1, 2],
    );
    await queue.close();
  });
});
