/**
 * PutRecordBatch's limits, each at the limit and one past it, against
 * signet local (which refuses any call over them, as AWS does): 500 records
 * per call, 4 MiB of data per call, 1,000 KiB (1,024,000 bytes) per record.
 * The client never sends a call to be refused: every call is answered 200,
 * and what is past a limit goes into the next call or is split.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import { FIREHOSE_LIMITS, type FirehoseClientOptions } from '../../../src/sinks/firehose/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
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

const MAX_RECORD = 1_024_000;
const MAX_CALL = 4 * 1024 * 1024;

describe('Firehose limits (signet local)', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    await local.close();
  });

  /** Sends `entries` in one enqueue and closes; answers the calls made and the records stored. */
  async function send(
    stream: string,
    entries: readonly LogEntry[],
    options: Partial<FirehoseClientOptions> = {},
  ): Promise<{ calls: number; records: Buffer[] } & Collected> {
    const before = (await calls(local, 'PutRecordBatch')).length;
    const { client, ...collected } = clientAt(local, FIREHOSE, {
      deliveryStreamName: stream,
      newline: false,
      batchWaitMs: 60_000,
      ...options,
    });
    assert.equal(client.enqueue(entries, 1), true);
    assert.deepEqual(await client.close({ drainMs: 30_000 }), { unsent: 0 });
    assert.deepEqual(collected.progress, [1]);
    const made = (await calls(local, 'PutRecordBatch')).slice(before);
    assert.ok(
      made.every((c) => c.status === 200),
      `every call accepted: ${JSON.stringify(made)}`,
    );
    return { calls: made.length, records: local.firehose.records(stream), ...collected };
  }

  test('the limits are the API reference’s', () => {
    assert.deepEqual(
      { ...FIREHOSE_LIMITS },
      { maxRecords: 500, maxRequestBytes: 4_194_304, maxRecordBytes: 1_024_000, keyCounts: false },
    );
  });

  test('500 records go in one call; 501 in two', async () => {
    const at = await send('records-500', numbered(500));
    assert.equal(at.calls, 1);
    assert.equal(at.records.length, 500);
    const past = await send('records-501', numbered(501));
    assert.equal(past.calls, 2);
    assert.deepEqual(
      past.records.map(String),
      numbered(501).map((e) => e.line),
    );
    assert.equal(await metricValue(past.registry, 'signet_firehose_batch_records_count'), 2);
    assert.equal(await metricValue(past.registry, 'signet_firehose_batch_records_sum'), 501);
  });

  test('4 MiB of data goes in one call; one byte more in two', async () => {
    const big = (n: number, fill: string): LogEntry => entry(fill.repeat(n));
    const fourFull = ['a', 'b', 'c', 'd'].map((c) => big(MAX_RECORD, c));
    const rest = MAX_CALL - 4 * MAX_RECORD; // 98,304
    const at = await send('bytes-at', [...fourFull, big(rest, 'e')]);
    assert.equal(at.calls, 1);
    assert.deepEqual(
      at.records.map((r) => r.length),
      [MAX_RECORD, MAX_RECORD, MAX_RECORD, MAX_RECORD, rest],
    );
    const past = await send('bytes-past', [...fourFull, big(rest + 1, 'e')]);
    assert.equal(past.calls, 2);
    assert.deepEqual(
      past.records.map((r) => r.length),
      [MAX_RECORD, MAX_RECORD, MAX_RECORD, MAX_RECORD, rest + 1],
    );
    assert.equal(past.records[4]!.toString(), 'e'.repeat(rest + 1));
  });

  test('a 1,024,000-byte record is sent whole; one byte more is split in two', async () => {
    const at = await send('record-at', [entry('r'.repeat(MAX_RECORD))]);
    assert.deepEqual(
      at.records.map((r) => r.length),
      [MAX_RECORD],
    );
    const past = await send('record-past', [entry('r'.repeat(MAX_RECORD + 1))]);
    assert.deepEqual(
      past.records.map((r) => r.length),
      [MAX_RECORD, 1],
    );
    assert.equal(
      await metricValue(past.registry, 'signet_firehose_oversized_entries_total', {
        action: 'split',
      }),
      1,
    );
    assert.equal(await metricValue(past.registry, 'signet_firehose_sent_entries_total'), 1);
    assert.equal(await metricValue(past.registry, 'signet_firehose_sent_records_total'), 2);
  });

  test('with newlines the newline counts: 1,023,999 bytes and \\n fit, one more byte splits', async () => {
    const at = await send('newline-at', [entry('n'.repeat(MAX_RECORD - 1))], { newline: true });
    assert.deepEqual(
      at.records.map((r) => r.length),
      [MAX_RECORD],
    );
    assert.equal(at.records[0]!.at(-1), 0x0a);
    const past = await send('newline-past', [entry('n'.repeat(MAX_RECORD))], { newline: true });
    assert.deepEqual(past.records.map(String), [`${'n'.repeat(MAX_RECORD - 1)}\n`, 'n\n']);
  });

  test('a split never cuts a UTF-8 character', async () => {
    const line = '€'.repeat(341_334); // 1,024,002 bytes
    const { records } = await send('utf8-split', [entry(line)]);
    assert.deepEqual(
      records.map((r) => r.length),
      [1_023_999, 3],
    );
    assert.equal(records.map((r) => r.toString('utf8')).join(''), line);
    assert.ok(records.every((r) => !r.toString('utf8').includes('\uFFFD')));
  });

  test('json records at the limit go whole; one byte more splits into whole JSON objects', async () => {
    const labels = { job: 'test' };
    const overhead = Buffer.byteLength(
      JSON.stringify({ labels, line: '', timestamp: '2023-11-14T22:13:20.000000000Z' }),
    );
    const fits = 'j'.repeat(MAX_RECORD - overhead);
    const at = await send('json-at', [entry(fits, labels)], { format: 'json' });
    assert.deepEqual(
      at.records.map((r) => r.length),
      [MAX_RECORD],
    );
    const past = await send('json-past', [entry(`${fits}k`, labels)], { format: 'json' });
    assert.equal(past.records.length, 2);
    const parsed = past.records.map((r) => JSON.parse(r.toString()) as { line: string });
    assert.ok(past.records.every((r) => r.length <= MAX_RECORD));
    assert.equal(parsed.map((p) => p.line).join(''), `${fits}k`);
  });

  test('oversized: truncate keeps the first piece; drop sends nothing and counts it', async () => {
    const line = 't'.repeat(MAX_RECORD + 10);
    const truncated = await send('truncate', [entry(line), entry('after')], {
      oversized: 'truncate',
    });
    assert.deepEqual(
      truncated.records.map((r) => r.length),
      [MAX_RECORD, 5],
    );
    assert.equal(
      await metricValue(truncated.registry, 'signet_firehose_oversized_entries_total', {
        action: 'truncated',
      }),
      1,
    );
    const dropped = await send('drop', [entry(line), entry('after')], { oversized: 'drop' });
    assert.deepEqual(dropped.records.map(String), ['after']);
    assert.equal(
      await metricValue(dropped.registry, 'signet_firehose_dropped_entries_total', {
        reason: 'too_large',
      }),
      1,
    );
    assert.ok(dropped.logs.some((l) => l.level === 'error' && /refused 1 entry/.test(l.message)));
    await until(() => dropped.progress.at(-1) === 1, 'progress past the dropped entry');
  });
});
