/**
 * Kinesis routing, stream management and persistence: what the core sees
 * from operation(), and that a restarted service keeps streams and records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { createKinesisService } from '../../../../src/local/services/kinesis/index.js';
import { blob, call, kinesisRequest, MemoryStore, NOW } from './helpers.js';

const ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream/s';

test('operation() names the action and the stream ARN', async () => {
  const kinesis = createKinesisService(new MemoryStore());
  assert.equal(kinesis.signingName, 'kinesis');
  assert.equal(kinesis.protocol, 'json');
  assert.deepEqual(
    kinesis.operation(kinesisRequest('PutRecords', { StreamName: 's', Records: [] })),
    {
      action: 'kinesis:PutRecords',
      resource: ARN,
      name: 'PutRecords',
    },
  );
  const byArn = kinesisRequest('PutRecord', {
    StreamARN: 'arn:aws:kinesis:eu-west-1:444455556666:stream/x',
  });
  assert.equal(
    kinesis.operation(byArn)?.resource,
    'arn:aws:kinesis:eu-west-1:444455556666:stream/x',
  );

  // GetRecords names no stream; its iterator does.
  const it = await call(
    kinesis,
    kinesisRequest('GetShardIterator', {
      StreamName: 's',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST',
    }),
  );
  assert.equal(
    kinesis.operation(kinesisRequest('GetRecords', { ShardIterator: it.json['ShardIterator'] }))
      ?.resource,
    ARN,
  );

  const firehose = kinesisRequest('PutRecord', {});
  assert.equal(
    kinesis.operation({ ...firehose, headers: { 'x-amz-target': 'Firehose_20150804.PutRecord' } }),
    undefined,
  );
  assert.throws(
    () => kinesis.operation(kinesisRequest('DeleteStream', { StreamName: 's' })),
    (err: unknown) => err instanceof ServiceError && err.code === 'UnknownOperationException',
  );
  const cbor = kinesisRequest('PutRecord', {});
  assert.throws(
    () =>
      kinesis.operation({
        ...cbor,
        headers: { ...cbor.headers, 'content-type': 'application/x-amz-cbor-1.1' },
      }),
    (err: unknown) => err instanceof ServiceError && /CBOR/.test(err.message),
  );
});

test('CreateStream, DescribeStreamSummary and ListShards', async () => {
  const kinesis = createKinesisService(new MemoryStore(), { autoCreate: false });
  const created = await call(
    kinesis,
    kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 3 }),
  );
  assert.deepEqual(created, { status: 200, json: {} });
  await assert.rejects(
    call(kinesis, kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 1 })),
    (err: unknown) => err instanceof ServiceError && err.code === 'ResourceInUseException',
  );
  const summary = await call(kinesis, kinesisRequest('DescribeStreamSummary', { StreamARN: ARN }));
  assert.deepEqual(summary.json['StreamDescriptionSummary'], {
    StreamName: 's',
    StreamARN: ARN,
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: 'PROVISIONED' },
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: NOW / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
    OpenShardCount: 3,
    ConsumerCount: 0,
    MaxRecordSizeInKiB: 1024,
  });
  const shards = (await call(kinesis, kinesisRequest('ListShards', { StreamName: 's' }))).json[
    'Shards'
  ] as {
    ShardId: string;
    HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  }[];
  assert.deepEqual(
    shards.map((s) => s.ShardId),
    ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'],
  );
  // The ranges tile the 128-bit key space with no gap.
  assert.equal(shards[0]?.HashKeyRange.StartingHashKey, '0');
  assert.equal(
    BigInt(shards[1]?.HashKeyRange.StartingHashKey ?? -1),
    BigInt(shards[0]?.HashKeyRange.EndingHashKey ?? -1) + 1n,
  );
  assert.equal(shards[2]?.HashKeyRange.EndingHashKey, ((1n << 128n) - 1n).toString());

  await assert.rejects(
    call(kinesis, kinesisRequest('DescribeStreamSummary', { StreamName: 'missing' })),
    (err: unknown) => err instanceof ServiceError && err.code === 'ResourceNotFoundException',
  );
});

test('CreateStream checks its parameters', async () => {
  const kinesis = createKinesisService(new MemoryStore());
  const create = (body: object) =>
    call(kinesis, kinesisRequest('CreateStream', { StreamName: 's', ...body }));
  const code = (expected: string) => (err: unknown) =>
    err instanceof ServiceError && err.code === expected;
  await assert.rejects(create({ ShardCount: 0 }), code('ValidationException'));
  await assert.rejects(create({ ShardCount: 501 }), code('LimitExceededException'));
  await assert.rejects(create({ MaxRecordSizeInKiB: 1023 }), code('ValidationException'));
  await assert.rejects(create({ MaxRecordSizeInKiB: 10241 }), code('ValidationException'));
  await assert.rejects(
    create({ StreamModeDetails: { StreamMode: 'FAST' } }),
    code('ValidationException'),
  );
  await assert.rejects(create({ StreamName: 'bad name' }), code('ValidationException'));
  await create({ StreamModeDetails: { StreamMode: 'ON_DEMAND' }, MaxRecordSizeInKiB: 10240 });
  const summary = await call(kinesis, kinesisRequest('DescribeStreamSummary', { StreamName: 's' }));
  const s = summary.json['StreamDescriptionSummary'] as Record<string, unknown>;
  assert.equal(s['OpenShardCount'], 4);
  assert.equal(s['MaxRecordSizeInKiB'], 10240);
});

test('streams, records and sequence numbers survive a restart on the same store', async () => {
  const store = new MemoryStore();
  const first = createKinesisService(store, { autoCreate: false });
  await call(first, kinesisRequest('CreateStream', { StreamName: 's', ShardCount: 2 }));
  const put = (service: typeof first, key: string) =>
    call(
      service,
      kinesisRequest('PutRecord', { StreamName: 's', Data: blob(2, 0x41), PartitionKey: key }),
    );
  const before = String((await put(first, 'a')).json['SequenceNumber']);
  await put(first, 'b');

  const second = createKinesisService(store, { autoCreate: false });
  assert.deepEqual(second.records('s').map(String), ['AA', 'AA']);
  const after = String((await put(second, 'a')).json['SequenceNumber']);
  assert.ok(BigInt(after) > BigInt(before));
  const shards = (await call(second, kinesisRequest('ListShards', { StreamName: 's' }))).json[
    'Shards'
  ] as unknown[];
  assert.equal(shards.length, 2);
});
