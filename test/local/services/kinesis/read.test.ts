/**
 * Reading Kinesis records back as a consumer does: iterators of each type,
 * paging with Limit and NextShardIterator, and iterator expiry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { createKinesisService } from '../../../../src/local/services/kinesis/index.js';
import { call, kinesisRequest, MemoryStore, NOW } from './helpers.js';

const SHARD = 'shardId-000000000000';

async function streamWith(values: readonly string[]) {
  const kinesis = createKinesisService(new MemoryStore(), { autoCreate: false });
  await call(kinesis, kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 1 }));
  const seqs: string[] = [];
  for (const [i, value] of values.entries()) {
    const put = kinesisRequest(
      'PutRecord',
      { StreamName: 's', Data: Buffer.from(value).toString('base64'), PartitionKey: 'k' },
      { now: NOW + i * 1000 },
    );
    seqs.push(String((await call(kinesis, put)).json['SequenceNumber']));
  }
  return { kinesis, seqs };
}

async function iterator(
  kinesis: ReturnType<typeof createKinesisService>,
  type: string,
  extra: object = {},
): Promise<string> {
  const res = await call(
    kinesis,
    kinesisRequest('GetShardIterator', {
      StreamName: 's',
      ShardId: SHARD,
      ShardIteratorType: type,
      ...extra,
    }),
  );
  return String(res.json['ShardIterator']);
}

async function read(
  kinesis: ReturnType<typeof createKinesisService>,
  it: string,
  extra: object = {},
  now = NOW + 10_000,
) {
  const res = await call(
    kinesis,
    kinesisRequest('GetRecords', { ShardIterator: it, ...extra }, { now }),
  );
  const records = res.json['Records'] as Record<string, unknown>[];
  return {
    values: records.map((r) => Buffer.from(String(r['Data']), 'base64').toString()),
    records,
    next: String(res.json['NextShardIterator']),
    behind: res.json['MillisBehindLatest'],
  };
}

test('TRIM_HORIZON reads everything, in order, with the record fields AWS sends', async () => {
  const { kinesis, seqs } = await streamWith(['a', 'b', 'c']);
  const page = await read(kinesis, await iterator(kinesis, 'TRIM_HORIZON'));
  assert.deepEqual(page.values, ['a', 'b', 'c']);
  assert.deepEqual(page.records[0], {
    SequenceNumber: seqs[0],
    ApproximateArrivalTimestamp: NOW / 1000,
    Data: Buffer.from('a').toString('base64'),
    PartitionKey: 'k',
  });
  assert.equal(page.behind, 0);
  // The next iterator picks up only what arrives later.
  assert.deepEqual((await read(kinesis, page.next)).values, []);
  await call(
    kinesis,
    kinesisRequest('PutRecord', {
      StreamName: 's',
      Data: Buffer.from('d').toString('base64'),
      PartitionKey: 'k',
    }),
  );
  assert.deepEqual((await read(kinesis, page.next)).values, ['d']);
});

test('Limit pages through the shard', async () => {
  const { kinesis } = await streamWith(['a', 'b', 'c']);
  const first = await read(kinesis, await iterator(kinesis, 'TRIM_HORIZON'), { Limit: 2 });
  assert.deepEqual(first.values, ['a', 'b']);
  assert.equal(first.behind, 8000); // the unread record arrived at NOW + 2 s; it is NOW + 10 s
  const second = await read(kinesis, first.next, { Limit: 2 });
  assert.deepEqual(second.values, ['c']);
  await assert.rejects(
    read(kinesis, first.next, { Limit: 10001 }),
    (err: unknown) => err instanceof ServiceError && err.code === 'ValidationException',
  );
});

test('LATEST, AT_ and AFTER_SEQUENCE_NUMBER, and AT_TIMESTAMP start where they say', async () => {
  const { kinesis, seqs } = await streamWith(['a', 'b', 'c']);
  assert.deepEqual((await read(kinesis, await iterator(kinesis, 'LATEST'))).values, []);
  const at = await iterator(kinesis, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seqs[1] });
  assert.deepEqual((await read(kinesis, at)).values, ['b', 'c']);
  const after = await iterator(kinesis, 'AFTER_SEQUENCE_NUMBER', {
    StartingSequenceNumber: seqs[1],
  });
  assert.deepEqual((await read(kinesis, after)).values, ['c']);
  const stamp = await iterator(kinesis, 'AT_TIMESTAMP', { Timestamp: (NOW + 1500) / 1000 });
  assert.deepEqual((await read(kinesis, stamp)).values, ['c']);
  await assert.rejects(
    iterator(kinesis, 'AT_SEQUENCE_NUMBER'),
    (err: unknown) => err instanceof ServiceError && err.code === 'InvalidArgumentException',
  );
  await assert.rejects(
    iterator(kinesis, 'SOMEWHERE'),
    (err: unknown) => err instanceof ServiceError && err.code === 'ValidationException',
  );
});

test('an unknown shard is ResourceNotFoundException', async () => {
  const { kinesis } = await streamWith([]);
  await assert.rejects(
    call(
      kinesis,
      kinesisRequest('GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000007',
        ShardIteratorType: 'LATEST',
      }),
    ),
    (err: unknown) => err instanceof ServiceError && err.code === 'ResourceNotFoundException',
  );
});

test('iterators expire after five minutes; garbage iterators are refused', async () => {
  const { kinesis } = await streamWith(['a']);
  const it = await iterator(kinesis, 'TRIM_HORIZON');
  assert.deepEqual((await read(kinesis, it, {}, NOW + 300_000)).values, ['a']);
  await assert.rejects(
    read(kinesis, it, {}, NOW + 300_001),
    (err: unknown) => err instanceof ServiceError && err.code === 'ExpiredIteratorException',
  );
  await assert.rejects(
    read(kinesis, 'not-an-iterator'),
    (err: unknown) => err instanceof ServiceError && err.code === 'InvalidArgumentException',
  );
});
