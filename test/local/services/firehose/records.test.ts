/**
 * Firehose puts: each documented limit at the limit and one past it, per-record
 * failures in PutRecordBatch, and read-back of what was accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../../src/local/service.js';
import {
  createFirehoseService,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  MAX_RECORD_BYTES,
  type FirehoseOptions,
} from '../../../../src/local/services/firehose/index.js';
import { blob, call, firehoseRequest, MemoryStore } from './helpers.js';

function service(options: FirehoseOptions = {}) {
  return createFirehoseService(new MemoryStore(), options);
}

function batch(stream: string, sizes: readonly number[]) {
  return firehoseRequest('PutRecordBatch', {
    DeliveryStreamName: stream,
    Records: sizes.map((n) => ({ Data: blob(n) })),
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

test('the limits are the documented ones', () => {
  assert.equal(MAX_BATCH_RECORDS, 500);
  assert.equal(MAX_RECORD_BYTES, 1_024_000);
  assert.equal(MAX_BATCH_BYTES, 4_194_304);
});

test('PutRecord stores the decoded data and answers a RecordId', async () => {
  const firehose = service();
  await call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 's1' }));
  const data = Buffer.from('{"hello":"world"}\n');
  const { status, json } = await call(
    firehose,
    firehoseRequest('PutRecord', {
      DeliveryStreamName: 's1',
      Record: { Data: data.toString('base64') },
    }),
  );
  assert.equal(status, 200);
  assert.equal(typeof json['RecordId'], 'string');
  assert.equal(json['Encrypted'], false);
  assert.deepEqual(firehose.records('s1'), [data]);
  assert.deepEqual(firehose.records('arn:aws:firehose:us-east-1:111122223333:deliverystream/s1'), [
    data,
  ]);
  assert.deepEqual(firehose.records('other'), []);
});

test('PutRecord takes a record of exactly 1,024,000 bytes and refuses one byte more', async () => {
  const firehose = service();
  const put = (n: number) =>
    call(
      firehose,
      firehoseRequest('PutRecord', { DeliveryStreamName: 's', Record: { Data: blob(n) } }),
    );
  await put(MAX_RECORD_BYTES);
  await assert.rejects(
    put(MAX_RECORD_BYTES + 1),
    isError('ValidationException', /at 'record\.data' .*less than or equal to 1024000/),
  );
  assert.equal(firehose.records('s').length, 1);
});

test('PutRecordBatch takes 500 records and refuses 501', async () => {
  const firehose = service();
  const ok = await call(firehose, batch('s', Array<number>(500).fill(10)));
  assert.equal(ok.json['FailedPutCount'], 0);
  assert.equal((ok.json['RequestResponses'] as unknown[]).length, 500);
  await assert.rejects(
    call(firehose, batch('s', Array<number>(501).fill(10))),
    isError('ValidationException', /at 'records' .*less than or equal to 500/),
  );
  assert.equal(firehose.records('s').length, 500);
});

test('PutRecordBatch refuses an empty list', async () => {
  await assert.rejects(
    call(service(), batch('s', [])),
    isError('ValidationException', /greater than or equal to 1/),
  );
});

test('PutRecordBatch names each oversized record by its 1-based index', async () => {
  const firehose = service();
  await call(firehose, batch('s', [5, MAX_RECORD_BYTES]));
  await assert.rejects(
    call(firehose, batch('s', [5, MAX_RECORD_BYTES + 1, 7, MAX_RECORD_BYTES + 2])),
    isError(
      'ValidationException',
      /^2 validation errors detected: .*'records\.2\.member\.data'.*'records\.4\.member\.data'/,
    ),
  );
});

test('PutRecordBatch takes 4 MiB of decoded data in total and refuses one byte more', async () => {
  const firehose = service();
  // Four records at the per-record maximum plus the remainder make exactly 4 MiB.
  const sizes = [
    ...Array<number>(4).fill(MAX_RECORD_BYTES),
    MAX_BATCH_BYTES - 4 * MAX_RECORD_BYTES,
  ];
  assert.equal(
    sizes.reduce((a, b) => a + b),
    MAX_BATCH_BYTES,
  );
  const ok = await call(firehose, batch('s', sizes));
  assert.equal(ok.json['FailedPutCount'], 0);
  await assert.rejects(
    call(firehose, batch('s', [...sizes.slice(0, -1), sizes.at(-1)! + 1])),
    isError('InvalidArgumentException', /Records size exceeds 4 MB limit/),
  );
  assert.equal(firehose.records('s').length, 5);
});

test('PutRecordBatch reports injected per-record failures and stores only the rest', async () => {
  const seen: string[] = [];
  const firehose = service({
    failRecord: (index, data, stream) => {
      seen.push(`${stream}:${index}:${data.toString()}`);
      return index % 2 === 1
        ? { code: 'ServiceUnavailableException', message: 'Slow down.' }
        : undefined;
    },
  });
  const records = ['a', 'b', 'c', 'd'].map((s) => ({ Data: Buffer.from(s).toString('base64') }));
  const { json } = await call(
    firehose,
    firehoseRequest('PutRecordBatch', { DeliveryStreamName: 's', Records: records }),
  );
  assert.deepEqual(seen, ['s:0:a', 's:1:b', 's:2:c', 's:3:d']);
  assert.equal(json['FailedPutCount'], 2);
  const responses = json['RequestResponses'] as Record<string, unknown>[];
  assert.equal(typeof responses[0]?.['RecordId'], 'string');
  assert.deepEqual(responses[1], {
    ErrorCode: 'ServiceUnavailableException',
    ErrorMessage: 'Slow down.',
  });
  assert.equal(typeof responses[2]?.['RecordId'], 'string');
  assert.equal(responses[2]?.['ErrorCode'], undefined);
  assert.deepEqual(responses[3], {
    ErrorCode: 'ServiceUnavailableException',
    ErrorMessage: 'Slow down.',
  });
  assert.deepEqual(firehose.records('s').map(String), ['a', 'c']);
});

test("an injected failure on PutRecord is the whole call's error, with the model's status", async () => {
  const firehose = service({
    failRecord: () => ({ code: 'ServiceUnavailableException', message: 'Slow down.' }),
  });
  await assert.rejects(
    call(
      firehose,
      firehoseRequest('PutRecord', { DeliveryStreamName: 's', Record: { Data: blob(1) } }),
    ),
    (err: unknown) =>
      err instanceof ServiceError && err.status === 503 && err.message === 'Slow down.',
  );
  assert.deepEqual(firehose.records('s'), []);
});

test('with autoCreate off, a put to an unknown stream is ResourceNotFoundException', async () => {
  const firehose = service({ autoCreate: false });
  await assert.rejects(
    call(
      firehose,
      firehoseRequest('PutRecord', { DeliveryStreamName: 'nope', Record: { Data: blob(1) } }),
    ),
    isError('ResourceNotFoundException', /nope under account 111122223333 not found/),
  );
  await call(firehose, firehoseRequest('CreateDeliveryStream', { DeliveryStreamName: 'nope' }));
  await call(
    firehose,
    firehoseRequest('PutRecord', { DeliveryStreamName: 'nope', Record: { Data: blob(1) } }),
  );
  assert.equal(firehose.records('nope').length, 1);
});

test('malformed records are SerializationException or ValidationException', async () => {
  const firehose = service();
  await assert.rejects(
    call(
      firehose,
      firehoseRequest('PutRecord', { DeliveryStreamName: 's', Record: { Data: '@@@' } }),
    ),
    isError('SerializationException'),
  );
  await assert.rejects(
    call(firehose, firehoseRequest('PutRecord', { DeliveryStreamName: 's', Record: {} })),
    isError('ValidationException', /Value null at 'record\.data'/),
  );
  await assert.rejects(
    call(firehose, firehoseRequest('PutRecord', { Record: { Data: blob(1) } })),
    isError('ValidationException', /Value null at 'deliveryStreamName'/),
  );
  await assert.rejects(
    call(firehose, firehoseRequest('PutRecord', '{"DeliveryStreamName": ')),
    isError('SerializationException'),
  );
});
