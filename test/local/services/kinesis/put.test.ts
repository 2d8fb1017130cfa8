/**
 * Kinesis puts: each documented limit at the limit and one past it, shard
 * routing, and per-record failures in PutRecords.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import {
  createKinesisService,
  MAX_PUT_RECORDS,
  MAX_REQUEST_BYTES,
  type KinesisOptions,
} from '../../../../src/local/services/kinesis/index.js';
import { blob, call, kinesisRequest, MemoryStore } from './helpers.js';

const MiB = 1024 * 1024;

async function withStream(options: KinesisOptions = { autoCreate: false }, extra: object = {}) {
  const kinesis = createKinesisService(new MemoryStore(), options);
  await call(kinesis, kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 1, ...extra }));
  return kinesis;
}

function putRecords(records: readonly { data: number; key: string }[]) {
  return kinesisRequest('PutRecords', {
    StreamName: 's',
    Records: records.map((r) => ({ Data: blob(r.data), PartitionKey: r.key })),
  });
}

function isError(code: string, message?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}

test('PutRecord answers a shard and an increasing sequence number', async () => {
  const kinesis = await withStream();
  const put = (data: string) =>
    call(
      kinesis,
      kinesisRequest('PutRecord', {
        StreamName: 's',
        Data: Buffer.from(data).toString('base64'),
        PartitionKey: 'k',
      }),
    );
  const first = (await put('one')).json;
  const second = (await put('two')).json;
  assert.equal(first['ShardId'], 'shardId-000000000000');
  assert.match(String(first['SequenceNumber']), /^\d{56}$/);
  assert.ok(BigInt(String(second['SequenceNumber'])) > BigInt(String(first['SequenceNumber'])));
  assert.deepEqual(kinesis.records('s').map(String), ['one', 'two']);
});

test('a record of data plus key of exactly 1 MiB is taken; one byte more is refused', async () => {
  const kinesis = await withStream();
  await call(kinesis, putRecords([{ data: MiB - 3, key: 'key' }]));
  await assert.rejects(
    call(
      kinesis,
      putRecords([
        { data: 1, key: 'a' },
        { data: MiB - 2, key: 'key' },
      ]),
    ),
    isError('ValidationException', /'records\.2\.member\.data' .*less than or equal to 1048576/),
  );
  await assert.rejects(
    call(
      kinesis,
      kinesisRequest('PutRecord', { StreamName: 's', Data: blob(MiB), PartitionKey: 'k' }),
    ),
    isError('ValidationException', /at 'data' .*less than or equal to 1048576/),
  );
  assert.equal(kinesis.records('s').length, 1);
});

test('a stream created with a larger MaxRecordSizeInKiB takes larger records', async () => {
  const kinesis = await withStream({ autoCreate: false }, { MaxRecordSizeInKiB: 2048 });
  await call(kinesis, putRecords([{ data: 2 * MiB - 1, key: 'k' }]));
  await assert.rejects(
    call(kinesis, putRecords([{ data: 2 * MiB, key: 'k' }])),
    isError('ValidationException'),
  );
});

test('PutRecords takes 500 records and refuses 501', async () => {
  assert.equal(MAX_PUT_RECORDS, 500);
  const kinesis = await withStream();
  const ok = await call(
    kinesis,
    putRecords(Array.from({ length: 500 }, (_, i) => ({ data: 4, key: `k${i}` }))),
  );
  assert.equal(ok.json['FailedRecordCount'], 0);
  assert.equal((ok.json['Records'] as unknown[]).length, 500);
  await assert.rejects(
    call(kinesis, putRecords(Array.from({ length: 501 }, () => ({ data: 4, key: 'k' })))),
    isError('ValidationException', /at 'records' .*less than or equal to 500/),
  );
  await assert.rejects(
    call(kinesis, putRecords([])),
    isError('ValidationException', /greater than or equal to 1/),
  );
});

test('PutRecords takes 5 MiB of data plus keys in total and refuses one byte more', async () => {
  assert.equal(MAX_REQUEST_BYTES, 5 * MiB);
  assert.equal(MAX_REQUEST_BYTES, 5_242_880);
  const kinesis = await withStream();
  // Five records of exactly 1 MiB each (data + one-character key): 5,242,880 bytes.
  const full = Array.from({ length: 5 }, () => ({ data: MiB - 1, key: 'k' }));
  const ok = await call(kinesis, putRecords(full));
  assert.equal(ok.json['FailedRecordCount'], 0);
  // A sixth record with empty data still carries a one-byte key: the partition key counts.
  await assert.rejects(
    call(kinesis, putRecords([...full, { data: 0, key: 'k' }])),
    isError('InvalidArgumentException', /Records size exceeds 5 MB limit/),
  );
  assert.equal(kinesis.records('s').length, 5);
});

test('partition keys are 1 to 256 characters', async () => {
  const kinesis = await withStream();
  await call(kinesis, putRecords([{ data: 1, key: 'é'.repeat(256) }]));
  await assert.rejects(
    call(kinesis, putRecords([{ data: 1, key: 'x'.repeat(257) }])),
    isError(
      'ValidationException',
      /'records\.1\.member\.partitionKey' .*less than or equal to 256/,
    ),
  );
  await assert.rejects(
    call(kinesis, putRecords([{ data: 1, key: '' }])),
    isError('ValidationException', /greater than or equal to 1/),
  );
  await assert.rejects(
    call(kinesis, kinesisRequest('PutRecord', { StreamName: 's', Data: blob(1) })),
    isError('ValidationException', /Value null at 'partitionKey'/),
  );
});

test('records go to the shard whose hash key range holds the MD5 of the key', async () => {
  const kinesis = createKinesisService(new MemoryStore());
  await call(kinesis, kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 2 }));
  const put = async (extra: object) =>
    (
      await call(
        kinesis,
        kinesisRequest('PutRecord', {
          StreamName: 's',
          Data: blob(1),
          PartitionKey: 'k',
          ...extra,
        }),
      )
    ).json['ShardId'];
  // MD5("a") = 0cc175b9…, below 2^127; MD5("b") = 92eb5ffe…, above it.
  assert.equal(await put({ PartitionKey: 'a' }), 'shardId-000000000000');
  assert.equal(await put({ PartitionKey: 'b' }), 'shardId-000000000001');
  assert.equal(await put({ ExplicitHashKey: '0' }), 'shardId-000000000000');
  assert.equal(
    await put({ ExplicitHashKey: ((1n << 128n) - 1n).toString() }),
    'shardId-000000000001',
  );
  await assert.rejects(
    put({ ExplicitHashKey: (1n << 128n).toString() }),
    isError('InvalidArgumentException', /ExplicitHashKey/),
  );
});

test('PutRecords reports injected per-record failures and stores only the rest', async () => {
  const kinesis = await withStream({
    autoCreate: false,
    failRecord: (index) =>
      index === 1
        ? {
            code: 'ProvisionedThroughputExceededException',
            message: 'Rate exceeded for shard shardId-000000000000',
          }
        : undefined,
  });
  const { json } = await call(
    kinesis,
    putRecords([
      { data: 1, key: 'a' },
      { data: 2, key: 'b' },
      { data: 3, key: 'c' },
    ]),
  );
  assert.equal(json['FailedRecordCount'], 1);
  const results = json['Records'] as Record<string, unknown>[];
  assert.equal(results[0]?.['ShardId'], 'shardId-000000000000');
  assert.deepEqual(results[1], {
    ErrorCode: 'ProvisionedThroughputExceededException',
    ErrorMessage: 'Rate exceeded for shard shardId-000000000000',
  });
  assert.equal(typeof results[2]?.['SequenceNumber'], 'string');
  assert.deepEqual(
    kinesis.records('s').map((b) => b.length),
    [1, 3],
  );
});

test("an injected failure on PutRecord is the call's error", async () => {
  const kinesis = await withStream({
    autoCreate: false,
    failRecord: () => ({
      code: 'ProvisionedThroughputExceededException',
      message: 'Rate exceeded',
    }),
  });
  await assert.rejects(
    call(
      kinesis,
      kinesisRequest('PutRecord', { StreamName: 's', Data: blob(1), PartitionKey: 'k' }),
    ),
    (err: unknown) =>
      err instanceof ServiceError &&
      err.code === 'ProvisionedThroughputExceededException' &&
      err.status === 400,
  );
  assert.deepEqual(kinesis.records('s'), []);
});

test('an unknown stream is ResourceNotFoundException with autoCreate off, created with it on', async () => {
  const strict = createKinesisService(new MemoryStore(), { autoCreate: false });
  await assert.rejects(
    call(
      strict,
      kinesisRequest('PutRecord', { StreamName: 'nope', Data: blob(1), PartitionKey: 'k' }),
    ),
    isError('ResourceNotFoundException', /Stream nope under account 111122223333 not found/),
  );
  const relaxed = createKinesisService(new MemoryStore());
  await call(
    relaxed,
    kinesisRequest('PutRecord', { StreamName: 'auto', Data: blob(1), PartitionKey: 'k' }),
  );
  assert.equal(relaxed.records('auto').length, 1);
});
