/** Kinesis driven by the real @aws-sdk/client-kinesis: its parser checks every answer's shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  KinesisServiceException,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { createKinesisService } from '../../../../src/local/services/kinesis/index.js';
import { MemoryStore, NOW } from '../firehose/helpers.js';
import { CREDENTIALS, inProcess } from '../firehose/sdk.js';

test('the SDK creates a stream, puts records and reads them back', async () => {
  const kinesis = createKinesisService(new MemoryStore(), {
    autoCreate: false,
    failRecord: (index) =>
      index === 1 ? { code: 'InternalFailure', message: 'Internal service failure.' } : undefined,
  });
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(kinesis),
  });

  await client.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 1 }));
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'events' }));
  assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
  assert.deepEqual(summary.StreamDescriptionSummary?.StreamCreationTimestamp, new Date(NOW));
  const shards = await client.send(new ListShardsCommand({ StreamName: 'events' }));
  const shardId = shards.Shards?.[0]?.ShardId;
  assert.equal(shardId, 'shardId-000000000000');

  const single = await client.send(
    new PutRecordCommand({ StreamName: 'events', Data: Buffer.from('first'), PartitionKey: 'k' }),
  );
  assert.equal(single.ShardId, shardId);
  const batch = await client.send(
    new PutRecordsCommand({
      StreamName: 'events',
      Records: ['a', 'b', 'c'].map((s) => ({ Data: Buffer.from(s), PartitionKey: s })),
    }),
  );
  assert.equal(batch.FailedRecordCount, 1);
  assert.equal(batch.Records?.[1]?.ErrorCode, 'InternalFailure');

  const it = await client.send(
    new GetShardIteratorCommand({
      StreamName: 'events',
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const got = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
  assert.deepEqual(
    got.Records?.map((r) => Buffer.from(r.Data ?? []).toString()),
    ['first', 'a', 'c'],
  );
  assert.deepEqual(got.Records?.[0]?.ApproximateArrivalTimestamp, new Date(NOW));
  assert.equal(got.MillisBehindLatest, 0);
  assert.equal(typeof got.NextShardIterator, 'string');
});

test("the SDK sees AWS's error codes", async () => {
  const kinesis = createKinesisService(new MemoryStore(), { autoCreate: false });
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(kinesis),
  });
  const rejects = (promise: Promise<unknown>, name: string) =>
    assert.rejects(
      promise,
      (e: unknown) => e instanceof KinesisServiceException && e.name === name,
    );
  await rejects(
    client.send(
      new PutRecordCommand({ StreamName: 'none', Data: Buffer.from('x'), PartitionKey: 'k' }),
    ),
    'ResourceNotFoundException',
  );
  await client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
  await rejects(
    client.send(
      new PutRecordCommand({ StreamName: 's', Data: Buffer.alloc(1024 * 1024), PartitionKey: 'k' }),
    ),
    'ValidationException',
  );
  await rejects(
    client.send(new GetRecordsCommand({ ShardIterator: 'bogus' })),
    'InvalidArgumentException',
  );
});
