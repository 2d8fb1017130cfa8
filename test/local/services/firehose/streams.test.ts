/**
 * Firehose routing, stream management and persistence: what the core sees
 * from operation(), and that a restarted service keeps what it accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import { createFirehoseService } from '../../../../src/local/services/firehose/index.js';
import { blob, call, firehoseRequest, MemoryStore, NOW } from './helpers.js';

test('operation() names the action and the stream ARN, and ignores other targets', () => {
  const firehose = createFirehoseService(new MemoryStore());
  assert.equal(firehose.signingName, 'firehose');
  assert.equal(firehose.protocol, 'json');
  assert.deepEqual(
    firehose.operation(
      firehoseRequest('PutRecordBatch', { DeliveryStreamName: 'logs', Records: [] }),
    ),
    {
      action: 'firehose:PutRecordBatch',
      resource: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/logs',
      name: 'PutRecordBatch',
    },
  );
  const anonymous = firehoseRequest(
    'PutRecord',
    { DeliveryStreamName: 'logs' },
    { principal: undefined },
  );
  assert.equal(
    firehose.operation(anonymous)?.resource,
    'arn:aws:firehose:us-east-1:123456789012:deliverystream/logs',
  );
  assert.equal(firehose.operation(firehoseRequest('ListDeliveryStreams', {}))?.resource, '*');
  const other = firehoseRequest('PutRecord', {});
  assert.equal(
    firehose.operation({ ...other, headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord' } }),
    undefined,
  );
  for (const name of ['DeleteDeliveryStream', 'constructor', 'toString']) {
    assert.throws(
      () => firehose.operation(firehoseRequest(name, {})),
      (err: unknown) => err instanceof ServiceError && err.code === 'UnknownOperationException',
      name,
    );
  }
});

test('create, describe and list delivery streams', async () => {
  const firehose = createFirehoseService(new MemoryStore(), { autoCreate: false });
  const created = await call(
    firehose,
    firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'b-stream' }),
  );
  assert.equal(
    created.json['DeliveryStreamARN'],
    'arn:aws:firehose:us-east-1:111122223333:deliverystream/b-stream',
  );
  await call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'a-stream' }));
  await assert.rejects(
    call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'a-stream' })),
    (err: unknown) => err instanceof ServiceError && err.code === 'ResourceInUseException',
  );

  const described = await call(
    firehose,
    firehoseRequest('DescribeDeliveryStream', { DeliveryStreamName: 'b-stream' }),
  );
  assert.deepEqual(described.json['DeliveryStreamDescription'], {
    DeliveryStreamName: 'b-stream',
    DeliveryStreamARN: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/b-stream',
    DeliveryStreamStatus: 'ACTIVE',
    DeliveryStreamType: 'DirectPut',
    VersionId: '1',
    CreateTimestamp: NOW / 1000,
    Destinations: [],
    HasMoreDestinations: false,
  });
  await assert.rejects(
    call(firehose, firehoseRequest('DescribeDeliveryStream', { DeliveryStreamName: 'missing' })),
    (err: unknown) => err instanceof ServiceError && err.code === 'ResourceNotFoundException',
  );

  const listed = await call(firehose, firehoseRequest('ListDeliveryStreams', {}));
  assert.deepEqual(listed.json, {
    DeliveryStreamNames: ['a-stream', 'b-stream'],
    HasMoreDeliveryStreams: false,
  });
  const page = await call(firehose, firehoseRequest('ListDeliveryStreams', { Limit: 1 }));
  assert.deepEqual(page.json, { DeliveryStreamNames: ['a-stream'], HasMoreDeliveryStreams: true });
  const next = await call(
    firehose,
    firehoseRequest('ListDeliveryStreams', { ExclusiveStartDeliveryStreamName: 'a-stream' }),
  );
  assert.deepEqual(next.json['DeliveryStreamNames'], ['b-stream']);

  // Streams belong to an account: another caller sees none of them.
  const otherAccount = firehoseRequest('ListDeliveryStreams', {}, { principal: undefined });
  assert.deepEqual((await call(firehose, otherAccount)).json['DeliveryStreamNames'], []);
});

test('stream names are checked against the documented pattern', async () => {
  const firehose = createFirehoseService(new MemoryStore());
  await assert.rejects(
    call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'bad name' })),
    (err: unknown) =>
      err instanceof ServiceError &&
      err.code === 'ValidationException' &&
      err.message.includes('regular expression pattern'),
  );
  await assert.rejects(
    call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'x'.repeat(65) })),
    (err: unknown) =>
      err instanceof ServiceError && err.message.includes('less than or equal to 64'),
  );
});

test('with autoCreate on (the default), describing an unknown stream creates it', async () => {
  const firehose = createFirehoseService(new MemoryStore());
  const described = await call(
    firehose,
    firehoseRequest('DescribeDeliveryStream', { DeliveryStreamName: 'implicit' }),
  );
  assert.equal(
    (described.json['DeliveryStreamDescription'] as Record<string, unknown>)[
      'DeliveryStreamStatus'
    ],
    'ACTIVE',
  );
});

test('streams and records survive a restart on the same store', async () => {
  const store = new MemoryStore();
  const first = createFirehoseService(store, { autoCreate: false });
  await call(first, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'kept' }));
  await call(
    first,
    firehoseRequest('PutRecordBatch', {
      DeliveryStreamName: 'kept',
      Records: [{ Data: blob(3, 0x31) }, { Data: blob(2, 0x32) }],
    }),
  );

  const second = createFirehoseService(store, { autoCreate: false });
  assert.deepEqual(second.records('kept').map(String), ['111', '22']);
  const listed = await call(second, firehoseRequest('ListDeliveryStreams', {}));
  assert.deepEqual(listed.json['DeliveryStreamNames'], ['kept']);
});

test('a saved state of an unknown shape is an error, not a silent fresh start', () => {
  const store = new MemoryStore();
  store.save('firehose', { version: 99 });
  assert.throws(() => createFirehoseService(store), /firehose state/);
});
