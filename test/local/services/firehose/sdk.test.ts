/** Firehose driven by the real @aws-sdk/client-firehose: its parser checks every answer's shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  FirehoseServiceException,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { createFirehoseService } from '../../../../src/local/services/firehose/index.js';
import { MemoryStore, NOW } from './helpers.js';
import { CREDENTIALS, inProcess } from './sdk.js';

test('the SDK creates, describes, lists and puts, and reads the answers', async () => {
  const firehose = createFirehoseService(new MemoryStore(), {
    autoCreate: false,
    failRecord: (index) =>
      index === 2 ? { code: 'ServiceUnavailableException', message: 'Slow down.' } : undefined,
  });
  const client = new FirehoseClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(firehose),
  });

  const created = await client.send(
    new CreateDeliveryStreamCommand({ DeliveryStreamName: 'logs' }),
  );
  assert.equal(
    created.DeliveryStreamARN,
    'arn:aws:firehose:us-east-1:123456789012:deliverystream/logs',
  );
  const described = await client.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'logs' }),
  );
  assert.equal(described.DeliveryStreamDescription?.DeliveryStreamStatus, 'ACTIVE');
  assert.deepEqual(described.DeliveryStreamDescription?.CreateTimestamp, new Date(NOW));
  const listed = await client.send(new ListDeliveryStreamsCommand({}));
  assert.deepEqual(listed.DeliveryStreamNames, ['logs']);

  const single = await client.send(
    new PutRecordCommand({ DeliveryStreamName: 'logs', Record: { Data: Buffer.from('one\n') } }),
  );
  assert.equal(typeof single.RecordId, 'string');
  const batch = await client.send(
    new PutRecordBatchCommand({
      DeliveryStreamName: 'logs',
      Records: ['a\n', 'b\n', 'c\n'].map((s) => ({ Data: Buffer.from(s) })),
    }),
  );
  assert.equal(batch.FailedPutCount, 1);
  assert.equal(batch.RequestResponses?.[2]?.ErrorCode, 'ServiceUnavailableException');
  assert.equal(typeof batch.RequestResponses?.[1]?.RecordId, 'string');
  assert.deepEqual(firehose.records('logs').map(String), ['one\n', 'a\n', 'b\n']);
});

test("the SDK sees AWS's error codes", async () => {
  const firehose = createFirehoseService(new MemoryStore(), { autoCreate: false });
  const client = new FirehoseClient({
    region: 'us-east-1',
    credentials: CREDENTIALS,
    requestHandler: inProcess(firehose),
  });
  const rejects = (promise: Promise<unknown>, name: string) =>
    assert.rejects(
      promise,
      (e: unknown) => e instanceof FirehoseServiceException && e.name === name,
    );
  await rejects(
    client.send(
      new PutRecordCommand({ DeliveryStreamName: 'none', Record: { Data: Buffer.from('x') } }),
    ),
    'ResourceNotFoundException',
  );
  await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 's' }));
  const records = Array.from({ length: 501 }, () => ({ Data: Buffer.from('x') }));
  await rejects(
    client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: records })),
    'ValidationException',
  );
  const big = Array.from({ length: 5 }, () => ({ Data: Buffer.alloc(900_000) }));
  await rejects(
    client.send(new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: big })),
    'InvalidArgumentException',
  );
});
