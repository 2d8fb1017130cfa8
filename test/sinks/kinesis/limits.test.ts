/**
 * PutRecords' limits, each at the limit and one past it, against signet
 * local (which refuses any call over them, as AWS does): 500 records per
 * call; 5 MiB per call counting data and partition keys; 1 MiB per record
 * counting data and key; partition keys of 1 to 256 characters. Every call
 * is answered 200: nothing is sent to be refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocal, type LocalStack } from '../../../src/local/index.js';
import type { LogEntry } from '../../../src/model/log-entry.js';
import {
  HASH_KEY_LENGTH,
  KINESIS_LIMITS,
  type KinesisClientOptions,
} from '../../../src/sinks/kinesis/index.js';
import {
  calls,
  clientAt,
  KINESIS,
  entry,
  metricValue,
  numbered,
  readKinesis,
  type Collected,
  type ReadRecord,
} from '../aws-records/helpers.js';

const MiB = 1024 * 1024;

describe('Kinesis limits (signet local)', () => {
  let local: LocalStack;
  before(async () => {
    local = await startLocal();
  });
  after(async () => {
    await local.close();
  });

  async function send(
    stream: string,
    entries: readonly LogEntry[],
    options: Partial<KinesisClientOptions> = {},
  ): Promise<{ calls: number; records: ReadRecord[] } & Collected> {
    const before = (await calls(local, 'PutRecords')).length;
    const { client, ...collected } = clientAt(local, KINESIS, {
      streamName: stream,
      batchWaitMs: 60_000,
      ...options,
    });
    assert.equal(client.enqueue(entries, 1), true);
    assert.deepEqual(await client.close({ drainMs: 30_000 }), { unsent: 0 });
    assert.deepEqual(collected.progress, [1]);
    const made = (await calls(local, 'PutRecords')).slice(before);
    assert.ok(
      made.every((c) => c.status === 200),
      `every call accepted: ${JSON.stringify(made)}`,
    );
    return { calls: made.length, records: await readKinesis(local, stream), ...collected };
  }

  const size = (r: ReadRecord): number => r.data.length + Buffer.byteLength(r.partitionKey);

  test('the limits are the API reference’s', () => {
    assert.deepEqual(
      { ...KINESIS_LIMITS },
      { maxRecords: 500, maxRequestBytes: 5 * MiB, maxRecordBytes: MiB, keyCounts: true },
    );
  });

  test('500 records go in one call; 501 in two', async () => {
    const at = await send('records-500', numbered(500));
    assert.equal(at.calls, 1);
    assert.equal(at.records.length, 500);
    const past = await send('records-501', numbered(501));
    assert.equal(past.calls, 2);
    assert.deepEqual(
      past.records.map((r) => r.data.toString()),
      numbered(501).map((e) => e.line),
    );
  });

  test('5 MiB of data and keys goes in one call; one byte more in two', async () => {
    // Hash keys: 16 bytes each. Four records of exactly 1 MiB, one 20 bytes short,
    // and one of 20 bytes (4 of data): 5 MiB exactly.
    const full = MiB - HASH_KEY_LENGTH;
    const four = ['a', 'b', 'c', 'd'].map((c) => entry(c.repeat(full)));
    const fifth = entry('e'.repeat(full - 20));
    const at = await send('bytes-at', [...four, fifth, entry('ffff')]);
    assert.equal(at.calls, 1);
    assert.equal(
      at.records.reduce((sum, r) => sum + size(r), 0),
      5 * MiB,
    );
    const past = await send('bytes-past', [...four, fifth, entry('fffff')]);
    assert.equal(past.calls, 2);
    assert.equal(
      past.records.reduce((sum, r) => sum + size(r), 0),
      5 * MiB + 1,
    );
    assert.equal(past.records.at(-1)!.data.toString(), 'fffff');
  });

  test('partition keys count: 5 MiB with 256-character keys in one call, one byte more in two', async () => {
    const key = 'k'.repeat(256);
    const full = MiB - 256;
    const four = ['a', 'b', 'c', 'd'].map((c) => entry(c.repeat(full), { pod: key }));
    const fifth = entry('e'.repeat(full - 300), { pod: key });
    const options = { partitionKey: '{{ .pod }}' };
    const at = await send(
      'keys-at',
      [...four, fifth, entry('x'.repeat(44), { pod: key })],
      options,
    );
    assert.equal(at.calls, 1);
    assert.equal(
      at.records.reduce((sum, r) => sum + size(r), 0),
      5 * MiB,
    );
    const past = await send(
      'keys-past',
      [...four, fifth, entry('x'.repeat(45), { pod: key })],
      options,
    );
    assert.equal(past.calls, 2);
  });

  test('a record of 1 MiB with its key is sent whole; one byte more is split in two', async () => {
    const options = { partitionKey: '{{ .pod }}' };
    const at = await send('record-at', [entry('r'.repeat(MiB - 5), { pod: 'pod-a' })], options);
    assert.deepEqual(at.records.map(size), [MiB]);
    const past = await send('record-past', [entry('r'.repeat(MiB - 4), { pod: 'pod-a' })], options);
    assert.deepEqual(
      past.records.map((r) => r.data.length),
      [MiB - 5, 1],
    );
    assert.ok(past.records.every((r) => r.partitionKey === 'pod-a'));
    assert.equal(
      await metricValue(past.registry, 'signet_kinesis_oversized_entries_total', {
        action: 'split',
      }),
      1,
    );
    // The default key: 16 bytes of hash.
    const hashed = await send('record-hashed', [entry('h'.repeat(MiB - HASH_KEY_LENGTH))]);
    assert.deepEqual(hashed.records.map(size), [MiB]);
  });

  test('a 256-character key is kept; a longer one is cut to 256 characters, not bytes', async () => {
    const options = { partitionKey: '{{ .pod }}' };
    const at = await send('key-256', [entry('x', { pod: 'é'.repeat(256) })], options);
    assert.equal(at.records[0]!.partitionKey, 'é'.repeat(256));
    const past = await send('key-257', [entry('x', { pod: `${'é'.repeat(256)}ü` })], options);
    assert.equal(past.records[0]!.partitionKey, 'é'.repeat(256));
    // 512 bytes of key leave MiB − 512 for the data.
    const big = await send(
      'key-big',
      [entry('d'.repeat(MiB - 511), { pod: 'é'.repeat(256) })],
      options,
    );
    assert.deepEqual(
      big.records.map((r) => r.data.length),
      [MiB - 512, 1],
    );
  });
});
