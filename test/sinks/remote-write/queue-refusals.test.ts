/**
 * What the queue does with each kind of refusal from a real HTTP server on
 * 127.0.0.1, and what it says: poison split and dropped by reason, failure
 * episodes summarised and their recoveries said, a hold that speaks every
 * interval, and timeouts called timeouts.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SendReport } from '../../../src/sinks/remote-write/types.js';
import {
  batchOf,
  scrape,
  seriesTable,
  testQueue,
  token,
  type LogLine,
  type SampleSpec,
} from './helpers.js';
import { Receiver, until, type Received } from './receiver.js';

const T = 1_700_000_000_000;

/**
 * Prometheus's receiver: a request with any sample older than its series'
 * newest is rolled back whole and answered 400 (storage.ErrOutOfOrderSample).
 */
function prometheusLike(): (request: Received) => { status: number; body?: string } {
  const newest = new Map<string, number>();
  return (request) => {
    const key = (labels: readonly { name: string; value: string }[]) =>
      labels.map((l) => `${l.name}=${l.value}`).join(',');
    for (const s of request.series) {
      for (const sample of s.samples) {
        if (sample.timestamp < (newest.get(key(s.labels)) ?? -Infinity)) {
          return { status: 400, body: 'out of order sample' };
        }
      }
    }
    for (const s of request.series) {
      for (const sample of s.samples) newest.set(key(s.labels), sample.timestamp);
    }
    return { status: 200 };
  };
}

describe('remote-write refusals', () => {
  const receivers: Receiver[] = [];
  after(async () => {
    for (const r of receivers) await r.stop();
  });

  async function receiver(script?: Receiver['script']): Promise<Receiver> {
    const r = new Receiver(script);
    receivers.push(r);
    await r.start();
    return r;
  }

  test('400 out of order: the batch is split, only the bad samples are dropped and counted, the good ones delivered', async () => {
    const r = await receiver(prometheusLike());
    const reports: SendReport[] = [];
    const { queue, progress, logs } = testQueue(seriesTable(20), {
      url: r.url,
      name: 'prom',
      splitMinSamples: 1,
      onSend: (report) => reports.push(report),
      queueConfig: { maxSamplesPerSend: 20 },
    });
    queue.enqueue(scrape(20, T + 1000), token(1));
    await until(() => progress.length === 1, 'the first scrape');
    const second: SampleSpec[] = [];
    for (let id = 1; id <= 20; id++) {
      second.push([id, id === 5 || id === 13 ? T + 500 : T + 2000, id]);
    }
    queue.enqueue(batchOf(second), token(2));
    await until(() => progress.at(-1)?.offset === 2, 'progress past the refused samples');

    const stats = queue.stats;
    assert.equal(stats.samplesSent, 38);
    assert.equal(stats.samplesFailed, 2);
    assert.deepEqual(stats.samplesFailedByReason, { 'out-of-order': 2 });
    assert.equal(stats.blocked, undefined);
    const accepted = r.accepted();
    for (let id = 1; id <= 20; id++) {
      const got = [...new Set(accepted.get(`__name__=test_metric,job=test,series=${id - 1}`))];
      assert.deepEqual(got, id === 5 || id === 13 ? [T + 1000] : [T + 1000, T + 2000], `${id}`);
    }
    assert.deepEqual(reports.at(-1)?.failed, 2);
    assert.equal(reports.at(-1)?.outcome, 'sent');
    const errors = logs.filter((l) => l.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!.message,
      /^remote write to prom refused 2 samples \(out-of-order\), dropped; the other 18 of the batch were delivered: .*HTTP 400: out of order sample$/,
    );
    await queue.close();
  });

  test('413: a batch too large is halved until the parts fit, and nothing is lost', async () => {
    const r = await receiver((request) =>
      request.samples > 6 ? { status: 413, body: 'request body too large' } : { status: 200 },
    );
    const { queue, progress } = testQueue(seriesTable(20), {
      url: r.url,
      queueConfig: { maxSamplesPerSend: 20 },
    });
    queue.enqueue(scrape(20, T), token(1));
    await until(() => progress.length === 1, 'sent in parts');
    assert.equal(queue.stats.samplesSent, 20);
    assert.equal(queue.stats.samplesFailed, 0);
    assert.equal(r.accepted().size, 20);
    assert.ok(r.received.filter((x) => x.status === 200).every((x) => x.samples <= 6));
    await queue.close();
  });

  test('two 503 episodes with a gap: each is said at once, summarised per interval, and its recovery said', async () => {
    let failing = true;
    const r = await receiver(() =>
      failing ? { status: 503, body: 'ingester unavailable' } : { status: 200 },
    );
    const intervalMs = 100;
    // Each line with the time it was written, to check the rate limit.
    const logs: (LogLine & { at: number })[] = [];
    const { queue, progress } = testQueue(seriesTable(4), {
      url: r.url,
      name: 'prod',
      failureLogIntervalMs: intervalMs,
      log: (level, message, fields) => logs.push({ level, message, fields, at: Date.now() }),
    });
    const summaries = () => logs.filter((l) => /still failing/.test(l.message)).length;
    const recoveries = () => logs.filter((l) => /sending recovered/.test(l.message));

    queue.enqueue(scrape(4, T), token(1));
    await until(() => summaries() >= 2, 'two summaries in the first episode');
    const firstEpisodeFailures = queue.stats.requestsFailed;
    failing = false;
    await until(() => progress.length === 1, 'the first episode over');
    assert.equal(recoveries().length, 1);

    queue.enqueue(scrape(4, T + 1000), token(2)); // the gap: sent at once, nothing said
    await until(() => progress.length === 2, 'sent between the episodes');
    const quiet = logs.length;

    failing = true;
    queue.enqueue(scrape(4, T + 2000), token(3));
    await until(() => summaries() >= 3, 'a summary in the second episode');
    failing = false;
    await until(() => progress.length === 3, 'the second episode over');
    assert.ok(logs.slice(quiet).some((l) => /failed, retrying/.test(l.message)));

    const said = logs.filter((l) => /failed, retrying/.test(l.message));
    assert.equal(said.length, 2, 'each episode said once, at once');
    for (const line of said) {
      assert.equal(line.level, 'warn');
      assert.match(
        line.message,
        /^remote write to prod failed, retrying: .*HTTP 503: ingester unavailable$/,
      );
    }
    for (const line of logs.filter((l) => /still failing/.test(l.message))) {
      assert.match(
        line.message,
        /^remote write to prod still failing: \d+ attempts? over [\d.]+ s, last: .*HTTP 503/,
      );
    }
    // At most one summary per interval.
    const lines = logs.filter((l) => /still failing/.test(l.message));
    for (let i = 1; i < lines.length; i++) {
      assert.ok(lines[i]!.at - lines[i - 1]!.at >= intervalMs - 5, 'rate limited');
    }
    const [first, second] = recoveries();
    assert.equal(recoveries().length, 2);
    const n1 = Number(/after (\d+) failures/.exec(first!.message)?.[1]);
    const n2 = Number(/after (\d+) failures/.exec(second!.message)?.[1]);
    assert.ok(n1 >= firstEpisodeFailures);
    assert.equal(n1 + n2, queue.stats.requestsFailed, 'every failure counted in one recovery');
    assert.equal(queue.stats.samplesSent, 12);
    await queue.close();
  });

  test('while held, a line every interval names the cause and the hint, even when attempts are rarer', async () => {
    let refusing = true;
    const r = await receiver(() =>
      refusing ? { status: 403, body: 'forbidden: tenant not allowed' } : { status: 200 },
    );
    const { queue, progress, logs } = testQueue(seriesTable(3), {
      url: r.url,
      name: 'mimir',
      failureLogIntervalMs: 100,
      holdMaxBackoffMs: 10_000,
      queueConfig: { minBackoffMs: 300, maxBackoffMs: 300 },
    });
    queue.enqueue(scrape(3, T), token(1));
    const held = () => logs.filter((l) => /still blocked \(access-denied\)/.test(l.message));
    await until(() => held().length >= 4, 'four lines while held');
    assert.ok(r.received.length <= 3, `fewer attempts (${r.received.length}) than lines`);
    assert.equal(queue.stats.blocked?.reason, 'access-denied');
    assert.equal(queue.stats.samplesFailed, 0);
    assert.deepEqual(progress, []);
    for (const line of held()) {
      assert.equal(line.level, 'error');
      assert.match(
        line.message,
        /data held: .*HTTP 403: forbidden: tenant not allowed; the endpoint refuses these credentials/,
      );
    }
    assert.ok(held().some((l) => /no attempt since the last line/.test(l.message)));
    refusing = false;
    await until(() => progress.length === 1, 'delivered after the fix', 20_000);
    assert.equal(queue.stats.blocked, undefined);
    assert.equal(queue.stats.samplesSent, 3);
    assert.ok(logs.some((l) => /^remote write to mimir: sending recovered after/.test(l.message)));
    await queue.close();
  });

  test('a timeout is logged as a timeout, and the batch is delivered when the endpoint answers', async () => {
    let answered = 0;
    const r = await receiver(() =>
      ++answered === 1 ? { status: 200, delayMs: 400 } : { status: 200 },
    );
    const { queue, progress, logs } = testQueue(seriesTable(2), {
      url: r.url,
      name: 'slow',
      remoteTimeoutMs: 100,
    });
    queue.enqueue(scrape(2, T), token(1));
    await until(() => progress.length === 1, 'sent after the timeout');
    const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /^remote write to slow failed, retrying: timed out: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write did not answer in time \(no answer within 100 ms\)$/,
    );
    assert.ok(!logs.some((l) => /Could not reach/.test(l.message)));
    assert.ok(logs.some((l) => /sending recovered after 1 failure over/.test(l.message)));
    await queue.close();
  });
});
