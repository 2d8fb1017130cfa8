import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entry, testClient, until } from './helpers.js';
import { startReceiver } from './receiver.js';
import { decodePush } from './wire.js';

test('a push is logproto.PushRequest in snappy block format: sorted, quoted labels, internal labels gone, tenants split', async () => {
  const receiver = await startReceiver();
  const { client, progress, metric } = testClient({
    url: receiver.url,
    tenantId: 'team-a',
    externalLabels: { cluster: 'eu', job: 'ignored' },
  });
  try {
    assert.equal(
      client.enqueue(
        [
          entry('first', { job: 'app', __path__: '/var/log/a.log', zone: 'a "quoted"\nvalue' }),
          {
            ...entry(
              'second',
              { job: 'app', __path__: '/var/log/a.log', zone: 'a "quoted"\nvalue' },
              1_700_000_000_001,
            ),
            structuredMetadata: { trace_id: 'abc' },
          },
          entry('other tenant', { job: 'app', __tenant_id__: 'team-b' }),
        ],
        1,
      ),
      true,
    );
    assert.equal(
      client.enqueue(
        [
          entry(
            'third',
            { job: 'app', __path__: '/x', zone: 'a "quoted"\nvalue' },
            1_700_000_000_002,
          ),
        ],
        2,
      ),
      true,
    );
    await until(() => progress.includes(2));
    assert.equal(receiver.pushes.length, 2);
    const byTenant = new Map(receiver.pushes.map((p) => [p.headers['x-scope-orgid'], p]));
    const a = byTenant.get('team-a')!;
    assert.equal(a.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(decodePush(a.body), [
      {
        labels: '{cluster="eu", job="app", zone="a \\"quoted\\"\\nvalue"}',
        entries: [
          { ts: '1700000000000000123', line: 'first', metadata: {} },
          { ts: '1700000000001000123', line: 'second', metadata: { trace_id: 'abc' } },
          { ts: '1700000000002000123', line: 'third', metadata: {} },
        ],
      },
    ]);
    assert.deepEqual(decodePush(byTenant.get('team-b')!.body), [
      {
        labels: '{cluster="eu", job="app"}',
        entries: [{ ts: '1700000000000000123', line: 'other tenant', metadata: {} }],
      },
    ]);
    const host = new URL(receiver.url).host;
    assert.equal(await metric('promtail_sent_entries_total', { host }), 4);
    assert.equal(
      await metric('promtail_request_duration_seconds_count', { host, status_code: '204' }),
      2,
    );
    const sentBytes = receiver.pushes.reduce((n, p) => n + p.body.length, 0);
    assert.equal(await metric('promtail_sent_bytes_total', { host }), sentBytes);
  } finally {
    await client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

test('batchsize closes a batch before it grows past it; batchwait sends a partial one', async () => {
  const receiver = await startReceiver();
  const { client, progress } = testClient({
    url: receiver.url,
    batchSizeBytes: 100,
    batchWaitMs: 50,
  });
  try {
    const lines = Array.from({ length: 10 }, (_, i) =>
      entry(`${String(i).padStart(2, '0')}${'x'.repeat(28)}`),
    );
    const began = Date.now();
    client.enqueue(lines, 1);
    await until(() => progress.includes(1));
    // 30 bytes a line: three lines make a batch (a fourth would pass 100), the last one waits for batchwait.
    const counts = receiver.pushes.map((p) => decodePush(p.body)[0]!.entries.length);
    assert.deepEqual(counts, [3, 3, 3, 1]);
    assert.ok(Date.now() - began >= 40, 'the partial batch waited for batchwait');
    const got = receiver.pushes.flatMap((p) => decodePush(p.body)[0]!.entries.map((e) => e.line));
    assert.deepEqual(
      got,
      lines.map((e) => e.line),
    );
  } finally {
    await client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

test('500 then 200: retried with backoff, delivered once, the retry counted', async () => {
  const receiver = await startReceiver();
  receiver.script.push({ status: 500, body: 'ingester down' }, { status: 503 });
  const { client, progress, metric } = testClient({ url: receiver.url });
  try {
    client.enqueue([entry('a'), entry('b')], 7);
    await until(() => progress.includes(7));
    assert.deepEqual(
      receiver.pushes.map((p) => p.status),
      [500, 503, 204],
    );
    const host = new URL(receiver.url).host;
    assert.equal(await metric('promtail_batch_retries_total', { host }), 2);
    assert.equal(await metric('promtail_sent_entries_total', { host }), 2);
    assert.equal(await metric('promtail_dropped_entries_total', { host }), 0);
    assert.equal(
      await metric('promtail_request_duration_seconds_count', { host, status_code: '500' }),
      1,
    );
  } finally {
    await client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

test('400 is dropped at once and counted with its reason; progress moves past it', async () => {
  const receiver = await startReceiver();
  receiver.script.push({ status: 400, body: 'entry too far behind' });
  const { client, progress, metric, lines } = testClient({ url: receiver.url });
  try {
    client.enqueue([entry('bad one'), entry('bad two')], 1);
    await until(() => progress.includes(1));
    client.enqueue([entry('good')], 2);
    await until(() => progress.includes(2));
    const host = new URL(receiver.url).host;
    assert.equal(receiver.pushes.length, 2);
    assert.equal(
      await metric('promtail_dropped_entries_total', { host, reason: 'ingester_error' }),
      2,
    );
    assert.equal(
      await metric('promtail_dropped_bytes_total', { host, reason: 'ingester_error' }),
      receiver.pushes[0]!.body.length,
    );
    assert.equal(await metric('promtail_batch_retries_total', { host }), 0);
    assert.equal(await metric('promtail_sent_entries_total', { host }), 1);
    assert.ok(
      lines.some((l) => l.includes('entry too far behind')),
      lines.join('\n'),
    );
  } finally {
    await client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

test('429 is retried; with drop_rate_limited_batches it is dropped at once as rate_limited', async () => {
  const receiver = await startReceiver();
  receiver.script.push({ status: 429 });
  const retrying = testClient({ url: receiver.url });
  try {
    retrying.client.enqueue([entry('kept')], 1);
    await until(() => retrying.progress.includes(1));
    assert.deepEqual(
      receiver.pushes.map((p) => p.status),
      [429, 204],
    );
  } finally {
    await retrying.client.close({ drainMs: 1000 });
  }
  receiver.pushes.length = 0;
  receiver.script.push({ status: 429 });
  const dropping = testClient({ url: receiver.url, dropRateLimitedBatches: true });
  try {
    dropping.client.enqueue([entry('dropped')], 1);
    await until(() => dropping.progress.includes(1));
    assert.deepEqual(
      receiver.pushes.map((p) => p.status),
      [429],
    );
    const host = new URL(receiver.url).host;
    assert.equal(
      await dropping.metric('promtail_dropped_entries_total', { host, reason: 'rate_limited' }),
      1,
    );
  } finally {
    await dropping.client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

test('max_retries: still failing after that many attempts, the batch is dropped and counted', async () => {
  const receiver = await startReceiver();
  for (let i = 0; i < 10; i++) receiver.script.push({ status: 502 });
  const { client, progress, metric } = testClient({
    url: receiver.url,
    backoff: { minPeriodMs: 5, maxPeriodMs: 10, maxRetries: 3 },
  });
  try {
    client.enqueue([entry('lost')], 1);
    await until(() => progress.includes(1));
    assert.equal(receiver.pushes.length, 3);
    const host = new URL(receiver.url).host;
    assert.equal(await metric('promtail_batch_retries_total', { host }), 2);
    assert.equal(
      await metric('promtail_dropped_entries_total', { host, reason: 'ingester_error' }),
      1,
    );
  } finally {
    await client.close({ drainMs: 100 });
    await receiver.close();
  }
});

test('the endpoint down for several backoff cycles, then back: nothing lost, nothing twice, in order', async () => {
  const first = await startReceiver();
  const port = first.port;
  await first.close();
  const { client, progress, metric } = testClient({
    url: `http://127.0.0.1:${port}/loki/api/v1/push`,
    backoff: { minPeriodMs: 10, maxPeriodMs: 40, maxRetries: 0 },
  });
  const receiver = await (async () => {
    for (let i = 0; i < 5; i++) client.enqueue([entry(`line ${i}`)], i);
    await until(retriedAtLeast(metric, port, 5));
    return startReceiver(port);
  })();
  try {
    await until(() => progress.includes(4));
    const got = receiver.pushes.flatMap((p) =>
      decodePush(p.body).flatMap((s) => s.entries.map((e) => e.line)),
    );
    assert.deepEqual(got, ['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    assert.equal(await metric('promtail_dropped_entries_total'), 0);
  } finally {
    await client.close({ drainMs: 1000 });
    await receiver.close();
  }
});

/** A check that holds once the client has retried `n` times (read from its metric, cached between polls). */
function retriedAtLeast(
  metric: (name: string, labels?: Record<string, string>) => Promise<number>,
  port: number,
  n: number,
): () => boolean {
  let seen = 0;
  let asking = false;
  return () => {
    if (!asking) {
      asking = true;
      void metric('promtail_batch_retries_total', { host: `127.0.0.1:${port}` }).then((v) => {
        seen = v;
        asking = false;
      });
    }
    return seen >= n;
  };
}

test('a full buffer refuses chunks until a batch is sent; close reports what it could not send', async () => {
  const receiver = await startReceiver();
  for (let i = 0; i < 1000; i++) receiver.script.push({ status: 503 });
  const { client } = testClient({ url: receiver.url, batchSizeBytes: 10, maxBufferedBytes: 20 });
  client.enqueue([entry('0123456789')], 1);
  client.enqueue([entry('0123456789')], 2);
  assert.equal(client.enqueue([entry('refused')], 3), false);
  let roomed = false;
  void client.waitForRoom().then(() => (roomed = true));
  const { unsent } = await client.close({ drainMs: 50 });
  assert.equal(unsent, 2);
  assert.equal(roomed, true, 'close wakes waiters');
  assert.equal(client.enqueue([entry('late')], 4), false);
  await receiver.close();
});

test('close cuts off a push the endpoint never answers, after drainMs, and reports it unsent', async () => {
  const receiver = await startReceiver();
  receiver.script.push({ status: 0 });
  const { client, progress } = testClient({ url: receiver.url, timeoutMs: 60_000 });
  try {
    client.enqueue([entry('hanging'), entry('with it')], 1);
    await until(() => receiver.pushes.length === 1);
    const began = Date.now();
    const { unsent } = await client.close({ drainMs: 100 });
    assert.ok(Date.now() - began < 1000, `close took ${Date.now() - began} ms`);
    assert.equal(unsent, 2);
    assert.deepEqual(progress, [], 'nothing unsent is reported as progress');
  } finally {
    await receiver.close();
  }
});
