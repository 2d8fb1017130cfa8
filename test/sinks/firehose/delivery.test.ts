/**
 * The Firehose client against signet local over a real socket: entries
 * arrive once, in order and byte for byte in either record format, with
 * or without newlines and aggregated; progress follows delivery. Records
 * are read back from what signet local stored for the delivery stream.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { postFaults } from '../../helpers/local-stack.js';
import type { FirehoseClient, FirehoseClientOptions } from '../../../src/sinks/firehose/index.js';
import {
  calls,
  clientAt,
  FIREHOSE,
  entry,
  metricValue,
  numbered,
  until,
  type Collected,
} from '../aws-records/helpers.js';

describe('Firehose client → signet local', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    await local.close();
  });

  function client(
    options: Partial<FirehoseClientOptions> & { deliveryStreamName: string },
  ): { client: FirehoseClient<number> } & Collected {
    return clientAt(local, FIREHOSE, {
      batchWaitMs: 20,
      minBackoffMs: 10,
      maxBackoffMs: 100,
      ...options,
    });
  }

  test('lines arrive once, in order, byte for byte, each ending in a newline', async () => {
    const h = client({ deliveryStreamName: 'lines' });
    const lines = [
      'plain',
      'ünïcødé ☕ 𝄞',
      '',
      '  spaced  ',
      'tab\tand "quotes"',
      'x'.repeat(5000),
    ];
    for (let k = 0; k < 50; k++) {
      assert.equal(
        h.client.enqueue(
          lines.map((line, i) => entry(`${k}:${line}`, { job: 'a' }, i)),
          k + 1,
        ),
        true,
      );
    }
    await until(() => h.progress.at(-1) === 50, 'all progress');
    const expected = Array.from({ length: 50 }, (_, k) => lines.map((l) => `${k}:${l}\n`)).flat();
    assert.deepEqual(local.firehose.records('lines').map(String), expected);
    // Progress only ever moves forward, and no call was refused.
    assert.deepEqual(
      h.progress,
      [...h.progress].sort((a, b) => a - b),
    );
    assert.ok((await calls(local, 'PutRecordBatch')).every((c) => c.status === 200));
    assert.equal(await metricValue(h.registry, 'signet_firehose_sent_entries_total'), 300);
    assert.equal(await metricValue(h.registry, 'signet_firehose_sent_records_total'), 300);
    assert.equal(
      await metricValue(h.registry, 'signet_firehose_sent_bytes_total'),
      expected.reduce((sum, r) => sum + Buffer.byteLength(r), 0),
    );
    assert.deepEqual(await h.client.close({ drainMs: 1000 }), { unsent: 0 });
  });

  test('json records carry the visible labels, the line and the nanosecond timestamp', async () => {
    const h = client({ deliveryStreamName: 'json', format: 'json', newline: false });
    h.client.enqueue(
      [
        {
          labels: { pod: 'web-1', __path__: '/var/log/x', ns: 'prod' },
          line: 'GET / 200 "ok" ✓',
          timestampNs: 1_700_000_000_123_456_789n,
        },
        {
          labels: { pod: 'web-2' },
          line: 'with metadata',
          timestampNs: 1_700_000_001_000_000_001n,
          structuredMetadata: { trace_id: 'abc' },
        },
      ],
      1,
    );
    await until(() => h.progress.at(-1) === 1, 'delivered');
    const records = local.firehose.records('json').map((r) => r.toString('utf8'));
    assert.deepEqual(
      records.map((r) => JSON.parse(r) as unknown),
      [
        {
          labels: { pod: 'web-1', ns: 'prod' },
          line: 'GET / 200 "ok" ✓',
          timestamp: '2023-11-14T22:13:20.123456789Z',
        },
        {
          labels: { pod: 'web-2' },
          line: 'with metadata',
          timestamp: '2023-11-14T22:13:21.000000001Z',
          structured_metadata: { trace_id: 'abc' },
        },
      ],
    );
    assert.ok(
      records.every((r) => !r.endsWith('\n')),
      'newline: false',
    );
    await h.client.close({ drainMs: 1000 });
  });

  test('aggregate packs many entries into few records, each within 1,000 KiB, lines intact', async () => {
    const h = client({ deliveryStreamName: 'aggregated', aggregate: true });
    const entries = numbered(3000, 0, 'y'.repeat(1000));
    for (let k = 0; k < 30; k++) h.client.enqueue(entries.slice(k * 100, k * 100 + 100), k + 1);
    await until(() => h.progress.at(-1) === 30, 'delivered');
    const records = local.firehose.records('aggregated');
    assert.ok(records.length <= 4, `${records.length} records for 3000 entries of ~1 KB`);
    assert.ok(records.every((r) => r.length <= 1_024_000));
    assert.equal(
      Buffer.concat(records).toString('utf8'),
      entries.map((e) => `${e.line}\n`).join(''),
    );
    assert.equal(await metricValue(h.registry, 'signet_firehose_sent_entries_total'), 3000);
    assert.equal(
      await metricValue(h.registry, 'signet_firehose_sent_records_total'),
      records.length,
    );
    await h.client.close({ drainMs: 1000 });
  });

  test('close sends what is buffered; a closed client takes nothing', async () => {
    const h = client({ deliveryStreamName: 'closing', batchWaitMs: 60_000 });
    h.client.enqueue(numbered(7), 1);
    assert.deepEqual(await h.client.close({ drainMs: 5000 }), { unsent: 0 });
    assert.equal(local.firehose.records('closing').length, 7);
    assert.deepEqual(h.progress, [1]);
    assert.equal(h.client.enqueue(numbered(1), 2), false);
  });

  test('a full buffer says no until sending makes room; nothing taken is lost', async () => {
    await postFaults(local, { service: 'firehose', kind: 'throttle', duration_ms: 300 });
    const h = client({ deliveryStreamName: 'backpressure', maxBufferedBytes: 2000 });
    const taken: number[] = [];
    let refusedOnce = false;
    for (let k = 1; k <= 40; k++) {
      // 100 entries of ~12 bytes each call: the buffer is full after two.
      while (!h.client.enqueue(numbered(100, (k - 1) * 100), k)) {
        refusedOnce = true;
        await h.client.waitForRoom();
      }
      taken.push(k);
    }
    assert.ok(refusedOnce, 'enqueue said full at least once');
    await until(() => h.progress.at(-1) === 40, 'all delivered');
    assert.deepEqual(
      local.firehose.records('backpressure').map(String),
      numbered(4000).map((e) => `${e.line}\n`),
    );
    assert.equal(h.client.stats.bufferedBytes, 0);
    await h.client.close({ drainMs: 1000 });
  });

  test('an empty chunk is finished at once, behind those before it', async () => {
    const h = client({ deliveryStreamName: 'empty-chunk' });
    h.client.enqueue(numbered(3), 1);
    h.client.enqueue([], 2);
    await until(() => h.progress.at(-1) === 2, 'progress past the empty chunk');
    assert.equal(local.firehose.records('empty-chunk').length, 3);
    await h.client.close({ drainMs: 1000 });
  });
});
